"""The crosswalk page: each other catalog's risks with status, coverage and the matching
controls linked as the scorecard links them, and the matching rule in words; read by every
member role, a 404 to anyone else. Numbers hand-worked in conftest.py."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from scorecard.scoring.crosswalk_catalogs import SCHEME_ALIASES
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db


def page(client, user, assessment):
    client.force_login(user)
    response = client.get(reverse("assessment_crosswalk", kwargs={"assessment_id": assessment.pk}))
    return response


def explain(assessment, kind, ref):
    return reverse(
        "score_explain", kwargs={"assessment_id": assessment.pk, "kind": kind, "ref": ref}
    )


def row(html: str, risk_id: str) -> str:
    match = re.search(rf'<tr [^>]*data-risk="{re.escape(risk_id)}">(.*?)</tr>', html, re.S)
    assert match, risk_id
    return match.group(1)


def cell(row_html: str, name: str) -> str:
    return re.search(rf'data-cell="{name}">([^<]*)<', row_html).group(1).strip()


def test_each_catalog_lists_its_risks_with_status_and_coverage(client, owner, answered, others):
    response = page(client, owner, answered)
    assert response.status_code == 200
    html = response.content.decode()
    assert "MITRE ATLAS 5.6.0" in html and "FINOS AI Governance Framework 1.0" in html
    assert "NIST SP 800-53 slice" not in html  # shares no scheme
    totals = re.findall(r'data-crosswalk="totals">(.*?)</p>', html, re.S)
    flat = [re.sub(r"<[^>]+>|\s+", " ", t).split(". Shared")[0].split() for t in totals]
    assert [" ".join(t) for t in flat] == [
        "Of 4 risks: 1 covered, 2 partly covered, 1 not covered",  # FINOS first, by name
        "Of 4 risks: 2 covered, 1 partly covered, 1 not covered",
    ]
    expected = {
        "AML.T0020": ("Partly covered", "68.75"),
        "AML.T0010.002": ("Covered", "50.00"),
        "AML.T0051": ("Covered", "11.11"),
        "AML.T0010": ("Not covered", "N/A"),
        "ri-10": ("Partly covered", "33.33"),
        "ri-1": ("Covered", "0.00"),
        "ri-9": ("Partly covered", "37.50"),
        "ri-16": ("Not covered", "N/A"),
    }
    for risk_id, (status, coverage) in expected.items():
        tr = row(html, risk_id)
        assert (cell(tr, "status"), cell(tr, "coverage")) == (status, coverage), risk_id


def test_the_figure_and_the_reach_are_spelled_out(client, owner, answered, others):
    html = page(client, owner, answered).content.decode()
    poison = row(html, "AML.T0020")
    assert cell(poison, "mitigations").startswith("mitigations 2 of 3 (AML.M0007, AML.M0008)")
    assert "(1×50.00 + 1×87.50) / (1 + 1) = 68.75" in poison
    inject = row(html, "ri-10")
    assert cell(inject, "references") == "own references 3 of 4"
    assert "owasp-top10-llm LLM01:2025 = owasp-llm llm01-2025" in inject


def test_matching_controls_link_to_their_derivation_as_on_the_scorecard(
    client, owner, answered, others
):
    html = page(client, owner, answered).content.decode()
    poison = row(html, "AML.T0020")
    cid = "controlTrainingDataSanitization"
    assert f'href="{explain(answered, "control", cid)}">50.00<' in poison
    assert '<span class="catalog-code">DAT-4</span>' in poison
    assert "mitre-atlas AML.M0007@5.0.1 = mitre-atlas AML.M0007@5.6.0 via AML.M0007" in poison
    # An N/A control is listed with N/A, and still links to why.
    inject = row(html, "ri-10")
    assert f'href="{explain(answered, "control", "controlAgentPluginPermissions")}">N/A<' in inject


def test_the_page_explains_how_ids_are_matched(client, owner, answered, others):
    html = page(client, owner, answered).content.decode()
    rule = html[html.index('id="crosswalk-rule-title"') :]
    for alias, scheme in SCHEME_ALIASES.items():
        assert f"<code>{alias}</code> is read as <code>{scheme}</code>" in rule
    assert "<code>AML.M0007@5.0.1</code> is read as <code>AML.M0007</code>" in rule
    assert "latest published version" in rule and "Drafts are left out" in rule


def test_with_no_catalog_to_compare_the_page_says_so(client, owner, answered):
    html = page(client, owner, answered).content.decode()
    assert 'data-crosswalk="none"' in html
    assert "How ids are matched" in html


def test_the_scorecard_links_to_the_page(client, owner, answered):
    client.force_login(owner)
    html = client.get(reverse("scorecard", kwargs={"assessment_id": answered.pk})).content.decode()
    url = reverse("assessment_crosswalk", kwargs={"assessment_id": answered.pk})
    assert f'href="{url}">Coverage of other catalogs</a>' in html


@pytest.mark.parametrize("role", ["viewer", "assessor", "auditor"])
def test_every_member_role_reads_it(client, request, answered, others, role):
    assert page(client, request.getfixturevalue(role), answered).status_code == 200


def test_another_organisations_assessment_is_a_404(
    client, outsider, other_organisation, answered, bundled, others
):
    assert page(client, outsider, answered).status_code == 404
    # Its own assessment of the same catalog is fine.
    own = make_assessment(other_organisation, bundled, created_by=outsider)
    assert page(client, outsider, own).status_code == 200


def test_a_post_is_refused(client, owner, answered):
    client.force_login(owner)
    url = reverse("assessment_crosswalk", kwargs={"assessment_id": answered.pk})
    assert client.post(url).status_code == 405


def test_the_methodology_page_states_the_rule_with_the_engines_examples(client):
    html = client.get(reverse("methodology")).content.decode()
    section = html[html.index('id="m-catalog-crosswalk"') :]
    examples = re.findall(r"<li><code>([^<]*)</code> and <code>([^<]*)</code> are both read as "
                          r"<code>([^<]*)</code></li>", section)  # fmt: skip
    # Worked by hand from the rule: alias, case, separator; pins dropped.
    assert examples == [
        ("owasp-top10-llm LLM01:2025", "owasp-llm llm01-2025", "owasp-top10-llm llm01-2025"),
        ("mitre-atlas AML.M0007@5.0.1", "mitre-atlas AML.M0007@5.6.0", "mitre-atlas aml.m0007"),
        ("mitre-atlas AML.T0020@5.0.1", "mitre-atlas AML.T0020", "mitre-atlas aml.t0020"),
    ]
    assert "<code>LLM01:2023</code> and <code>LLM01:2025</code> stay different" in section
