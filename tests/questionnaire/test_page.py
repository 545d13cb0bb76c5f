"""The questionnaire page: what it shows, to whom, and at what cost in queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Answer, Assessment, ReviewComment
from scorecard.loader import load_catalog
from tests.factories import make_assessment, make_framework
from tests.questionnaire.helpers import (
    builder_only_controls,
    name,
    page_url,
    question,
)

pytestmark = pytest.mark.django_db


def fieldsets(html: str) -> list[str]:
    return re.findall(r'<fieldset class="question[^"]*" id="q(\d+)"', html)


def test_page_shows_the_domain_with_its_sub_domains_and_nothing_else(client, owner, rich):
    client.force_login(owner)
    html = client.get(page_url(rich, "D1")).content.decode()
    framework = rich.framework
    on_page = {int(pk) for pk in fieldsets(html)}
    expected = set(framework_questions(framework, ("D1", "D1.1")))
    assert on_page == expected
    assert (
        '<h2 class="h4 mt-4" id="domain-D1.1">'
        '<span class="catalog-ref">D1.1</span> Sub-domain one</h2>'
    ) in html
    assert "About the sub-domain." in html
    assert html.count("<h1") == 1


def framework_questions(framework, domain_refs):
    from scorecard.models import Question

    return Question.objects.filter(
        framework=framework, control__domain__ref__in=domain_refs
    ).values_list("pk", flat=True)


def test_sub_domain_ref_redirects_to_its_top_level_page(client, owner, rich):
    client.force_login(owner)
    response = client.get(page_url(rich, "D1.1"))
    assert response.status_code == 302
    assert response["Location"] == page_url(rich, "D1") + "#domain-D1.1"


def test_unknown_domain_is_404(client, owner, rich):
    client.force_login(owner)
    assert client.get(page_url(rich, "NOPE")).status_code == 404


def test_each_question_type_gets_its_widget_with_labels(client, owner, rich):
    client.force_login(owner)
    html = client.get(page_url(rich, "D1")).content.decode()
    framework = rich.framework
    scale = question(framework, "D1-C1.q1")
    choice = question(framework, "D1-C1.q2")
    number = question(framework, "D1.1-C1.number")
    text = question(framework, "D1.1-C1.text")
    # Scale: a radio per level, each with a label, descriptions tied by aria-describedby.
    radios = re.findall(
        rf'type="radio" form="questionnaire-form" name="{name(scale, "choice")}" id="([^"]+)"', html
    )
    assert len(radios) == 6  # five levels and "not answered yet"
    for radio_id in radios:
        assert f'<label class="form-check-label" for="{radio_id}">' in html or (
            f'for="{radio_id}"' in html
        )
    assert "Some teams do it, not all." in html
    assert "Covers part of the estate." in html
    # N/A is one more radio of a scored question's group where allowed (the factory's choice
    # questions), with no separate box; the scale question does not allow it.
    assert f'name="{name(choice, "choice")}" id="q{choice.pk}-choice-na" value="na"' in html
    assert f'name="{name(choice, "na")}"' not in html
    assert f'id="q{scale.pk}-choice-na"' not in html
    assert f'name="{name(scale, "na")}"' not in html
    # A text question keeps its N/A box.
    assert f'name="{name(text, "na")}" id="q{text.pk}-na"' in html
    assert (
        f'type="number" step="any" form="questionnaire-form" name="{name(number, "number")}"'
        in html
    )
    assert f'<label class="form-label" for="q{text.pk}-text">Answer</label>' in html
    assert f'<fieldset class="question" id="q{scale.pk}"' in html
    assert "<legend" in html
    # Control context, help and the history link are shown with each question.
    assert "What control D1-1 asks for." in html
    assert "What to consider." in html
    assert reverse("answer_history", args=[rich.pk, scale.ref]) in html


def test_only_applicable_controls_are_shown(client, owner, organisation):
    framework = make_framework(slug="personas", controls_per_domain=4)
    assessment = make_assessment(
        organisation, framework, created_by=owner, personas=["personaUser"]
    )
    client.force_login(owner)
    html = client.get(page_url(assessment, "D1")).content.decode()
    hidden = [c for c in builder_only_controls(framework) if c.startswith("D1-")]
    assert hidden
    for ref in hidden:
        assert f">{ref}</span>" not in html
    assert ">D1-C1</span>" in html  # a control for every persona stays


def test_carried_over_answer_is_marked_and_offers_confirmation(client, owner, rich):
    q = question(rich.framework, "D1-C1.q1")
    Answer.objects.create(
        assessment=rich, question=q, option_label="Partial", value=0.5, carried_over=True
    )
    client.force_login(owner)
    html = client.get(page_url(rich)).content.decode()
    assert f'<fieldset class="question carried-over" id="q{q.pk}"' in html
    assert "Carried over, please confirm" in html
    assert f'name="{name(q, "confirm")}"' in html


def test_review_comments_of_a_question_are_listed(client, owner, rich):
    q = question(rich.framework, "D1-C1.q1")
    ReviewComment.objects.create(assessment=rich, question=q, author=owner, body="Show the policy.")
    client.force_login(owner)
    html = client.get(page_url(rich)).content.decode()
    assert "Show the policy." in html


def test_viewer_sees_answers_read_only(client, viewer, rich):
    q = question(rich.framework, "D1-C1.q1")
    Answer.objects.create(assessment=rich, question=q, option_label="Partial", value=0.5)
    client.force_login(viewer)
    html = client.get(page_url(rich)).content.decode()
    assert "Save draft" not in html
    assert "Add evidence" not in html
    assert re.search(r'id="q\d+-choice-2" value="\d+" checked[^>]* disabled>', html)


def test_finalised_assessment_is_read_only(client, owner, rich):
    Assessment.objects.filter(pk=rich.pk).update(status="finalised")
    client.force_login(owner)
    html = client.get(page_url(rich)).content.decode()
    assert "This assessment is finalised" in html
    assert "Save draft" not in html


def test_progress_per_domain_and_overall(client, owner, rich):
    framework = rich.framework
    for ref in ("D1-C1.q1", "D2-C1.q1"):
        Answer.objects.create(
            assessment=rich, question=question(framework, ref), option_label="Ad hoc", value=0.25
        )
    client.force_login(owner)
    html = client.get(page_url(rich)).content.decode()
    # 12 scored questions (number and text are not scored), 2 answered.
    assert "Whole assessment: 16.67% answered" in html
    assert "1 of 6 answered" in html


@pytest.mark.parametrize("controls", [5, 20])
def test_page_queries_do_not_grow_with_its_size(
    client, owner, organisation, controls, django_assert_num_queries
):
    """10 and 40 questions on the page: the same number of queries."""
    framework = make_framework(slug=f"size{controls}", controls_per_domain=controls)
    assessment = make_assessment(organisation, framework, created_by=owner)
    for q in framework_questions(framework, ("D1",))[:5]:
        Answer.objects.create(assessment=assessment, question_id=q, comment="x")
    client.force_login(owner)
    client.get(page_url(assessment))  # warms the per-process catalog cache
    # One read of all answers serves both the score and the progress in the navigation.
    with django_assert_num_queries(13):
        response = client.get(page_url(assessment))
    assert len(fieldsets(response.content.decode())) == controls * 2


def test_a_page_reads_only_its_own_questions(client, owner, organisation):
    """150 questions in 5 domains: a page asks the database for its 30 questions only."""
    framework = make_framework(slug="big", domains=5, controls_per_domain=15)
    assessment = make_assessment(organisation, framework, created_by=owner)
    load_catalog(framework)  # warm the per-process cache (catalog and answer options)
    client.force_login(owner)
    client.get(page_url(assessment, "D3"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(assessment, "D3"))
    question_queries = [
        q["sql"] for q in queries.captured_queries if 'FROM "scorecard_question"' in q["sql"]
    ]
    assert len(question_queries) == 1
    assert '"scorecard_control"."ref" IN' in question_queries[0]
    assert len(fieldsets(response.content.decode())) == 30


def test_page_has_no_inline_script_or_style(client, owner, rich):
    client.force_login(owner)
    html = client.get(page_url(rich)).content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert " onclick=" not in html
    assert "js/questionnaire.js" in html
