"""The scorecard page and the PDF list the controls whose answers claim maturity without
the evidence the system's autonomy level expects; the list never moves a score.

The catalog: D1-C1 expects evidence from L3, D1-C2 (builder persona only) from L2, D2-C1
from L4, D2-C2 states no rule. Answers and evidence are chosen so the expected list can be
worked out by hand in each test."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import AISystem, Answer, Evidence, EvidenceKind
from assessments.reports import pdf
from assessments.reports.context import build_report_context
from assessments.scoring import current_result
from scorecard.models import Control, Question
from tests.factories import make_assessment
from tests.reports.conftest import finalise, make_report_framework

pytestmark = pytest.mark.django_db

RULES = {"D1-C1": 3, "D1-C2": 2, "D2-C1": 4}
# question ref -> (value, na); D2-C2 has no rule, D2-C1 claims nothing (0 and N/A).
ANSWERS = {
    "D1-C1.q1": (0.75, False),
    "D1-C1.q2": (0.5, False),
    "D1-C2.q1": (1.0, False),
    "D1-C2.q2": (0.0, False),
    "D2-C1.q1": (0.0, False),
    "D2-C1.q2": (None, True),
    "D2-C2.q1": (1.0, False),
    "D2-C2.q2": (0.5, False),
}
TITLE = "Claims without the evidence this autonomy level expects"


def with_rules(framework):
    for ref, level in RULES.items():
        Control.objects.filter(framework=framework, ref=ref).update(evidence_autonomy=level)


def ruled_framework(slug="evidence-fw", controls_per_domain=2):
    return make_report_framework(
        slug=slug,
        domains=2,
        controls_per_domain=controls_per_domain,
        questions_per_control=2,
        before_publish=with_rules,
    )


def assess(organisation, framework, level, *, personas=(), evidenced=("D1-C1.q1",)):
    assessment = make_assessment(organisation, framework, personas=list(personas))
    AISystem.objects.filter(pk=assessment.system_id).update(autonomy_level=level)
    questions = {q.ref: q for q in Question.objects.filter(framework=framework)}
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=questions[ref], value=value, na=na)
        for ref, (value, na) in ANSWERS.items()
        if ref in questions
    )
    for ref in evidenced:
        add_evidence(assessment, questions[ref])
    assessment.refresh_from_db()
    return assessment


def add_evidence(assessment, question):
    Evidence.objects.create(
        assessment=assessment, question=question, kind=EvidenceKind.LINK, url="https://e.example"
    )


def section(client, assessment) -> str:
    html = client.get(reverse("scorecard", args=[assessment.pk])).content.decode()
    start = html.index('<section id="evidence-claims"')
    return html[start : html.index("</section>", start)]


def listed(html: str) -> list[tuple[str, str, list[str]]]:
    """(control code, rule, question codes) per row of the section's table."""
    rows = []
    for row in re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", html, re.S):
        control = re.search(r'class="catalog-code">([^<]+)<', row).group(1)
        rule = re.search(r"<td>(L\d\+)</td>", row).group(1)
        questions = re.findall(r'<li><span class="catalog-code">([^<]+)<', row)
        rows.append((control, rule, questions))
    return rows


@pytest.fixture
def framework(db):
    return ruled_framework()


def test_at_l3_the_ruled_controls_with_unevidenced_claims_are_listed(
    client, owner, organisation, framework
):
    # D1-C1: q1 has evidence, q2 (0.5) does not. D1-C2: q1 (1.0) claims, q2 is 0.
    # D2-C1 needs L4. D2-C2 has no rule.
    assessment = assess(organisation, framework, 3)
    client.force_login(owner)
    html = section(client, assessment)
    assert TITLE in html
    assert listed(html) == [("DM1-1", "L3+", ["DM1-1.2"]), ("DM1-2", "L2+", ["DM1-2.1"])]
    assert "Question 2 about Control D1-1?" in html
    assert "it does not change any score" in html


def test_at_l4_the_l4_rule_applies_but_zero_and_n_a_are_not_claims(
    client, owner, organisation, framework
):
    assessment = assess(organisation, framework, 4)
    client.force_login(owner)
    assert [row[0] for row in listed(section(client, assessment))] == ["DM1-1", "DM1-2"]


def test_a_control_outside_the_personas_is_not_listed(client, owner, organisation, framework):
    assessment = assess(organisation, framework, 3, personas=["personaUser"])
    client.force_login(owner)
    assert listed(section(client, assessment)) == [("DM1-1", "L3+", ["DM1-1.2"])]


def test_below_every_rule_nothing_is_listed_and_the_page_says_none(
    client, owner, organisation, framework
):
    assessment = assess(organisation, framework, 1)
    client.force_login(owner)
    html = section(client, assessment)
    assert listed(html) == []
    assert "None: " in html and "is at L1 (Suggests)" in html


def test_with_the_level_not_stated_the_page_says_so(client, owner, organisation, framework):
    assessment = assess(organisation, framework, None)
    client.force_login(owner)
    html = section(client, assessment)
    assert listed(html) == []
    assert "is not stated, so no control expects evidence" in html


def test_a_catalog_without_rules_says_it_states_none(client, owner, organisation):
    plain = make_report_framework(slug="no-rules", domains=2, controls_per_domain=2)
    assessment = assess(organisation, plain, 5)
    client.force_login(owner)
    assert "This catalog states no autonomy evidence rule" in section(client, assessment)


def test_evidence_empties_the_list_and_leaves_every_score_as_it_was(
    client, owner, organisation, framework
):
    assessment = assess(organisation, framework, 3)
    before = current_result(assessment).to_json_scores()
    questions = Question.objects.filter(framework=framework, ref__in=["D1-C1.q2", "D1-C2.q1"])
    for question in questions:
        add_evidence(assessment, question)
    client.force_login(owner)
    html = section(client, assessment)
    assert listed(html) == []
    assert "None: " in html
    assert current_result(assessment).to_json_scores() == before


def test_a_finalised_assessment_lists_its_frozen_answers_and_evidence(
    client, owner, organisation, framework
):
    assessment = finalise(assess(organisation, framework, 3), owner)
    client.force_login(owner)
    assert [row[0] for row in listed(section(client, assessment))] == ["DM1-1", "DM1-2"]


def test_the_pdf_has_the_section_with_the_same_controls(organisation, framework):
    assessment = assess(organisation, framework, 3)
    html = pdf.render_html(build_report_context(assessment, for_pdf=True))
    start = html.index('<section class="chapter" id="evidence-claims">')
    chapter = html[start : html.index("</section>", start)]
    assert f"<h1>{TITLE}</h1>" in chapter
    rows = re.findall(r'<th scope="row"><span class="catalog-code">([^<]+)</span>', chapter)
    assert rows == ["DM1-1", "DM1-2"]
    assert '<span class="mono">DM1-1.2</span> Question 2 about Control D1-1?' in chapter
    assert f'href="#evidence-claims">{TITLE}</a>' in html


@pytest.mark.parametrize("controls", [2, 12])
def test_the_list_costs_no_query_on_a_draft_and_one_when_finalised(
    client, owner, organisation, controls, django_assert_num_queries
):
    framework = ruled_framework(slug=f"evidence-{controls}", controls_per_domain=controls)
    draft = assess(organisation, framework, 3)
    done = finalise(assess(organisation, framework, 3), owner)
    client.force_login(owner)
    client.get(reverse("scorecard", args=[draft.pk]))  # warm the catalog cache
    # The draft's one read of its answers also says which have evidence: as many queries
    # as before the list existed. The finalised one reads its snapshot, so the list needs
    # one query of its own.
    with django_assert_num_queries(12):
        assert client.get(reverse("scorecard", args=[draft.pk])).status_code == 200
    with django_assert_num_queries(14):
        assert client.get(reverse("scorecard", args=[done.pk])).status_code == 200


def test_the_comparison_page_does_not_read_the_claims_it_does_not_show(
    client, owner, organisation, framework
):
    stated, unstated = assess(organisation, framework, 3), assess(organisation, framework, None)
    other = assess(organisation, framework, None)
    client.force_login(owner)

    def queries(assessment):
        url = reverse("assessment_compare", args=[assessment.pk, other.pk])
        client.get(url)  # warm the catalog cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # With the level stated the list would need a query; the comparison never shows it.
    assert queries(stated) == queries(unstated)
