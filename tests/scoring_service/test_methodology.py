"""The methodology page: public, and its worked example is the engine's own arithmetic."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.methodology import example_result, methodology_context
from scorecard.scoring import METHODOLOGY_VERSION, format_score

# Worked out by hand from EXAMPLE_CATALOG and EXAMPLE_ANSWERS:
GOV_1 = 100 * (2 * 0.5 + 1 * 0.0) / (2 + 1)  # 33.33; critical, below 50
GOV_2 = 100 * 1.0  # GOV-2.2 is N/A and left out
SEC_1 = 100 * (1.0 + 0.75) / 2  # 87.5
SEC_3 = 100 * (0.75 + 0.0) / 2  # SEC-3.2 unanswered counts as 0: 37.5
GOV = (2 * GOV_1 + 1 * GOV_2) / 3  # 55.56
SEC = (SEC_1 + SEC_3) / 2  # SEC-2 is for model builders only: 62.5
OVERALL = (2 * GOV + 1 * SEC) / 3  # 57.87
HAND = {
    "control-GOV-1": "33.33",
    "control-GOV-2": "100.00",
    "control-SEC-1": "87.50",
    "control-SEC-2": "N/A",
    "control-SEC-3": "37.50",
    "overall": "57.87",
    "completeness": "87.50 %",  # 7 of 8: the N/A counts as answered, the blank does not
    # Gap points: effective weight × (100 − score); GOV-1 carries 2/3 × 2/3 = 4/9.
    "gap-GOV-1": "29.63",
    "gap-GOV-2": "0.00",
    "gap-SEC-1": "2.08",
    "gap-SEC-3": "10.42",
    "risk-riskUnsafeUse": "33.33",
    "risk-riskShadowAI": "100.00",
    "risk-riskModelTheft": "62.50",
    "crosswalk-GOVERN": "55.56",
    "crosswalk-MANAGE": "62.50",
}


def _cells(html):
    return {
        key: re.sub(r"\s+", " ", value).strip()
        for key, value in re.findall(r'data-example="([^"]+)">(.*?)</', html, re.S)
    }


def test_hand_computed_example_matches_the_engine():
    result = example_result()

    assert result.controls["GOV-1"].score == pytest.approx(GOV_1)
    assert result.domains["GOV"].score == pytest.approx(GOV)
    assert result.domains["SEC"].score == pytest.approx(SEC)
    assert result.overall == pytest.approx(OVERALL)
    assert "SEC-2" not in result.controls
    assert (result.tier_before_gate, result.tier, result.gated_by) == (
        "Defined",
        "Developing",
        ("GOV-1",),
    )
    gaps = {g.control: g.points for g in result.gaps}
    assert gaps["GOV-1"] == pytest.approx(4 / 9 * (100 - GOV_1))
    assert gaps["SEC-3"] == pytest.approx(1 / 6 * (100 - SEC_3))
    assert sum(gaps.values()) == pytest.approx(100 - OVERALL)


def test_methodology_page_is_public_and_shows_the_engines_numbers(client):
    response = client.get(reverse("methodology"))

    assert response.status_code == 200
    html = response.content.decode()
    cells = _cells(html)
    for key, expected in HAND.items():
        assert cells[key] == expected, key
    result = example_result()
    assert cells["overall"] == format_score(result.overall)
    assert cells["tier"].startswith("Developing (capped from Defined by GOV-1)")
    assert f"Methodology version <strong>{METHODOLOGY_VERSION}</strong>" in html
    assert result.explain("overall").formula in html


def test_methodology_page_follows_the_house_html_rules(client):
    html = client.get(reverse("methodology")).content.decode()

    assert html.count("<h1") == 1
    assert " style=" not in html
    assert "<script>" not in html
    assert 'scope="col"' in html and "<caption>" in html
    for rule in ("N/A", "unanswered", "Personas", "critical", "Completeness",
                 "effective weight", "gap points", "coverage", "Crosswalk"):  # fmt: skip
        assert rule.lower() in html.lower(), rule


def test_signed_in_users_get_a_nav_link(client, owner):
    client.force_login(owner)
    html = client.get(reverse("methodology")).content.decode()

    assert f'href="{reverse("methodology")}"' in html


def test_methodology_page_refuses_a_post(client):
    assert client.post(reverse("methodology")).status_code == 405


def test_body_partial_renders_on_its_own_for_the_pdf():
    html = render_to_string("assessments/_methodology_body.html", methodology_context())

    assert _cells(html)["overall"] == HAND["overall"]
    assert "<h1" not in html


# The scope example (assessments/methodology_scope.py), worked out by hand from the rule:
# the system uses Model serving and Output handling, in Deployment and Operations, open to
# External users. SCP-2 lists only Training data, SCP-4 only Privileged insiders and SCP-5
# the Retirement stage, so those three are out.
SCOPE_HAND = {
    "scope-SCP-1": "Yes (in: components Model serving, Output handling)",
    "scope-SCP-2": (
        "No (out: component Training data not in use; "
        "out: lifecycle stage Data preparation not in use)"
    ),
    "scope-SCP-3": "Yes (in: no particular component; in: every lifecycle stage)",
    "scope-SCP-4": "No (out: actor access level Privileged insiders not in use)",
    "scope-SCP-5": ("No (in: component Model serving; out: lifecycle stage Retirement not in use)"),
    # 1.0: (1 + 0 + 0.5 + 0 + 0) / 5; 1.1: SCP-1 and SCP-3 only, (1 + 0.5) / 2.
    "scope-overall-1.0": "30.00",
    "scope-overall-1.1": "75.00",
}


def test_the_scope_example_shows_each_decision_and_both_versions_scores(client):
    html = client.get(reverse("methodology")).content.decode()
    cells = _cells(html)
    for key, expected in SCOPE_HAND.items():
        assert cells[key] == expected, key


def test_the_page_says_what_changed_in_1_1(client):
    html = client.get(reverse("methodology")).content.decode()
    versions = html[html.index('id="m-versions"') :]
    assert "<dt>1.1</dt>" in versions and "<dt>1.0</dt>" in versions
    assert "Scope is read from the AI system" in versions
    assert "personas alone decide which controls apply" in versions
