"""The scorecard page and "why this score"."""

import re
from html import unescape

import pytest
from django.urls import reverse

from assessments.models import AISystem, Answer
from assessments.scoring import current_result, score_assessment, take_snapshot
from scorecard.models import Control, Question
from scorecard.scoring import format_score
from tests.factories import make_assessment
from tests.reports.conftest import answer_everything, finalise, make_report_framework

pytestmark = pytest.mark.django_db


def scorecard_url(assessment):
    return reverse("scorecard", kwargs={"assessment_id": assessment.pk})


def explain_url(assessment, kind, ref):
    return reverse(
        "score_explain", kwargs={"assessment_id": assessment.pk, "kind": kind, "ref": ref}
    )


def visible_text(html: str) -> str:
    """The text a sighted reader sees: no tags, no screen-reader-only link descriptions."""
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def test_scorecard_shows_overall_tier_and_completeness(client, owner, scored):
    client.force_login(owner)
    result = current_result(scored)
    html = client.get(scorecard_url(scored)).content.decode()
    assert (
        f'href="{explain_url(scored, "overall", "overall")}">{format_score(result.overall)}<'
        in html
    )
    assert result.tier in html
    assert format_score(result.completeness) in html
    text = f"{result.answered} of {result.applicable_questions} scored questions"
    assert text in visible_text(html)


def test_every_domain_control_and_risk_score_links_to_its_derivation(client, owner, scored):
    client.force_login(owner)
    result = current_result(scored)
    html = client.get(scorecard_url(scored)).content.decode()
    for did, node in result.domains.items():
        assert f'href="{explain_url(scored, "domain", did)}">{format_score(node.score)}<' in html
    for cid, control in result.controls.items():
        assert (
            f'href="{explain_url(scored, "control", cid)}">{format_score(control.score)}<' in html
        )
    for rid, risk in result.risks.items():
        assert f'href="{explain_url(scored, "risk", rid)}">{format_score(risk.coverage)}<' in html


def test_gated_tier_names_the_critical_controls(client, owner, organisation, report_framework):
    assessment = make_assessment(organisation, report_framework, title="Gated system")
    answer_everything(assessment)
    # Everything in place except the critical control D1-C1: a high score, capped tier.
    Answer.objects.filter(assessment=assessment).update(na=False, value=1.0)
    Answer.objects.filter(assessment=assessment, question__control__ref="D1-C1").update(value=0.0)
    result = current_result(assessment)
    assert result.gated and result.gated_by == ("D1-C1",)
    client.force_login(owner)
    html = client.get(scorecard_url(assessment)).content.decode()
    assert "Capped." in html
    assert f"The score reaches {result.tier_before_gate}" in html
    assert explain_url(assessment, "control", "D1-C1") in html


def test_charts_are_accessible_images_with_data_tables(client, owner, scored):
    client.force_login(owner)
    html = client.get(scorecard_url(scored)).content.decode()
    for chart_id in ("chart-domains", "chart-radar", "chart-risks"):
        assert (
            f'id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"' in html
        )
        assert f'<title id="{chart_id}-title">' in html
    assert html.count('<table class="visually-hidden">') >= 3
    assert "style=" not in html.split("<main", 1)[1]  # CSP: no inline styles


def test_roadmap_ranks_gaps_by_points_with_the_next_step(client, owner, scored):
    client.force_login(owner)
    result = current_result(scored)
    html = client.get(scorecard_url(scored)).content.decode()
    first, second = result.gaps[0], result.gaps[1]
    assert first.points >= second.points
    assert html.index('id="gap-1"') < html.index('id="gap-2"')
    block = html[html.index('id="gap-1"') : html.index('id="gap-2"')]
    assert f"+{format_score(first.points)}" in block
    assert first.guidance in block
    projected = result.overall + first.points
    assert format_score(projected) in block


def test_crosswalk_groups_nist_functions_and_lists_references(client, owner, scored):
    client.force_login(owner)
    result = current_result(scored)
    html = client.get(scorecard_url(scored)).content.decode()
    assert "NIST AI RMF" in html
    for group, value in result.crosswalk_groups["nist-ai-rmf"].items():
        assert f'<th scope="row">{group}</th><td>{format_score(value)}</td>' in html
    assert "MITRE ATLAS" in html
    assert "AML.M0007" in html


def test_user_text_is_escaped_on_the_page(client, owner, organisation, report_framework):
    assessment = make_assessment(
        organisation, report_framework, title='<script>alert("x")</script>'
    )
    client.force_login(owner)
    html = client.get(scorecard_url(assessment)).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_draft_without_answers_shows_na_not_an_error(client, owner, organisation, report_framework):
    assessment = make_assessment(organisation, report_framework, title="Empty")
    client.force_login(owner)
    response = client.get(scorecard_url(assessment))
    assert response.status_code == 200
    html = response.content.decode()
    # Unanswered questions count as 0, so every control is a gap and completeness is 0.
    assert f'{explain_url(assessment, "overall", "overall")}">0.00<' in html
    assert "0 of 27 scored questions answered" in visible_text(html)


def test_finalised_scorecard_shows_the_stored_snapshot_not_a_live_score(
    client, owner, organisation, report_framework
):
    assessment = make_assessment(organisation, report_framework, title="Snapshot system")
    answer_everything(assessment)
    live = score_assessment(assessment)
    finalise(assessment, owner)
    # A later snapshot (e.g. a rescore) with another result is what the page must show.
    empty = make_assessment(organisation, report_framework, title="Nothing answered")
    take_snapshot(assessment=assessment, reason="rescore", result=score_assessment(empty))
    client.force_login(owner)
    html = client.get(scorecard_url(assessment)).content.decode()
    assert "Stored score of the finalised assessment" in html
    assert (
        f">{format_score(live.overall)}<"
        not in html.split('id="summary"')[1].split("</section>")[0]
    )
    assert f'{explain_url(assessment, "overall", "overall")}">0.00<' in html


def test_comparison_with_the_previous_revision_shows_deltas(
    client, owner, organisation, report_framework
):
    before = make_assessment(organisation, report_framework, title="Chatbot")
    answer_everything(before, seed=1)
    finalise(before, owner)
    after = make_assessment(
        organisation, report_framework, title="Chatbot", revision=2, previous=before
    )
    answer_everything(after, seed=2)
    old, new = current_result(before), current_result(after)
    client.force_login(owner)
    html = client.get(scorecard_url(after)).content.decode()
    section = html[html.index('id="compare"') :]
    assert f"{format_score(old.overall)} → {format_score(new.overall)}" in visible_text(section)
    from assessments.reports.charts import format_delta

    assert format_delta(old.overall, new.overall) in section
    for did in new.domains:
        assert format_delta(old.domains[did].score, new.domains[did].score) in section


def test_an_earlier_assessment_of_the_same_ai_system_counts_as_the_previous_one(
    client, owner, organisation, report_framework
):
    before = make_assessment(organisation, report_framework, title="Chatbot")
    after = make_assessment(organisation, report_framework, title="v2", system=before.system)
    other = AISystem.objects.create(organisation=organisation, name="Another bot")
    elsewhere = make_assessment(organisation, report_framework, title="Chatbot", system=other)
    client.force_login(owner)
    html = client.get(scorecard_url(after)).content.decode()
    assert "There is no earlier assessment" not in html
    # The earlier one has nothing earlier to compare with, and neither has the assessment of
    # another system, whatever its title.
    for alone in (before, elsewhere):
        html = client.get(scorecard_url(alone)).content.decode()
        assert "There is no earlier assessment" in html


def test_compare_view_with_any_visible_assessment(
    client, owner, organisation, report_framework, scored
):
    other = make_assessment(organisation, report_framework, title="Other system")
    client.force_login(owner)
    url = reverse("assessment_compare", kwargs={"assessment_id": scored.pk, "other_id": other.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert "Other system, revision 1" in response.content.decode()


def test_compare_with_itself_is_404(client, owner, scored):
    client.force_login(owner)
    url = reverse("assessment_compare", kwargs={"assessment_id": scored.pk, "other_id": scored.pk})
    assert client.get(url).status_code == 404


def test_compare_with_another_organisations_assessment_is_404(
    client, owner, scored, other_organisation, report_framework
):
    theirs = make_assessment(other_organisation, report_framework, title="Theirs")
    client.force_login(owner)
    url = reverse("assessment_compare", kwargs={"assessment_id": scored.pk, "other_id": theirs.pk})
    assert client.get(url).status_code == 404


# --- why this score ---------------------------------------------------------------------------


def test_explain_overall_shows_domain_terms_and_formula(client, owner, scored):
    client.force_login(owner)
    result = current_result(scored)
    response = client.get(explain_url(scored, "overall", "overall"))
    html = response.content.decode()
    assert response.status_code == 200
    assert result.explain("overall").formula in visible_text(html)
    for did in result.explanation:
        assert explain_url(scored, "domain", did.id) in html


def test_explain_control_lists_its_questions_and_answers(client, owner, scored):
    client.force_login(owner)
    result = current_result(scored)
    cid = next(iter(result.controls))
    html = client.get(explain_url(scored, "control", cid)).content.decode()
    for term in result.controls[cid].explanation:
        question = Question.objects.get(framework=scored.framework, ref=term.id)
        assert question.text in html
    assert format_score(result.controls[cid].score) in html


def test_explain_risk_and_contributions(client, owner, scored):
    client.force_login(owner)
    result = current_result(scored)
    rid = next(iter(result.risks))
    assert client.get(explain_url(scored, "risk", rid)).status_code == 200
    html = client.get(explain_url(scored, "contributions", "overall")).content.decode()
    assert "effective weight" in html


@pytest.mark.parametrize(
    ("kind", "ref"), [("nonsense", "x"), ("control", "no-such-control"), ("domain", "ZZ")]
)
def test_explain_unknown_score_is_404(client, owner, scored, kind, ref):
    client.force_login(owner)
    assert client.get(explain_url(scored, kind, ref)).status_code == 404


def test_explain_for_htmx_returns_the_fragment_only(client, owner, scored):
    client.force_login(owner)
    html = client.get(
        explain_url(scored, "overall", "overall"), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in html
    assert 'class="explain"' in html


def test_explain_of_an_out_of_scope_control_is_404(client, owner, organisation, report_framework):
    assessment = make_assessment(organisation, report_framework, personas=["personaUser"])
    builder_only = Control.objects.filter(
        framework=report_framework, personas__ref="personaBuilder"
    ).first()
    client.force_login(owner)
    assert client.get(explain_url(assessment, "control", builder_only.ref)).status_code == 404


# --- query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(2, 2), (6, 25)])
def test_scorecard_query_count_does_not_grow_with_the_catalog(
    client, owner, organisation, django_assert_max_num_queries, size
):
    domains, controls = size
    framework = make_report_framework(
        slug=f"q{domains}", domains=domains, controls_per_domain=controls, risks=10
    )
    assessment = make_assessment(organisation, framework, title="Sized")
    answer_everything(assessment)
    client.force_login(owner)
    client.get(scorecard_url(assessment))  # warm the published catalog's cache
    with django_assert_max_num_queries(13):
        assert client.get(scorecard_url(assessment)).status_code == 200


def test_finalised_scorecard_query_count(client, owner, finalised, django_assert_max_num_queries):
    client.force_login(owner)
    client.get(scorecard_url(finalised))
    with django_assert_max_num_queries(13):
        assert client.get(scorecard_url(finalised)).status_code == 200


def test_no_score_is_printed_with_another_rounding(client, owner, scored):
    """Every score cell and score link has exactly two decimals (format_score) or N/A."""
    client.force_login(owner)
    html = client.get(scorecard_url(scored)).content.decode()
    cells = re.findall(r'<td class="num">(.*?)</td>', html, flags=re.S)
    cells += re.findall(r'class="score-link" href="[^"]*">([^<]*)<', html)
    numbers = [re.sub(r"<[^>]+>.*", "", c, flags=re.S).strip() for c in cells]
    decimals = [n for n in numbers if re.fullmatch(r"-?\d+\.\d+", n)]
    assert decimals
    assert all(re.fullmatch(r"-?\d+\.\d{2}", n) for n in decimals), decimals
