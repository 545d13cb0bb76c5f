"""Save and next, previous/next links, and saving before leaving for another domain: the
destination travels with the save as `then`, is only ever a domain of this catalog, and a
refused save stays on the page with its errors."""

from __future__ import annotations

import pytest

from assessments.models import Answer
from tests.factories import make_assessment
from tests.questionnaire.helpers import (
    answers_snapshot,
    load_form,
    name,
    option_key,
    page_url,
    question,
)

pytestmark = pytest.mark.django_db


def test_save_and_next_saves_then_goes_to_the_next_domain(editor, rich):
    q = question(rich.framework, "D1-C1.q1")
    data = load_form(editor, rich)
    data[name(q, "choice")] = option_key(q, "Partial")
    data["then"] = "D2"
    response = editor.post(page_url(rich), data)
    assert response.status_code == 302
    assert response["Location"] == page_url(rich, "D2")
    assert Answer.objects.get(assessment=rich, question=q).option_label == "Partial"


@pytest.mark.parametrize(
    "then", ["https://evil.example/", "//evil.example", "D1.1", "NOPE", "../D2"]
)
def test_then_is_only_ever_a_top_level_domain_of_the_catalog(editor, rich, then):
    data = load_form(editor, rich)
    data["then"] = then
    response = editor.post(page_url(rich), data)
    assert response.status_code == 302
    assert response["Location"] == page_url(rich, "D1")


def test_save_and_next_with_errors_stays_and_saves_nothing(editor, rich):
    q = question(rich.framework, "D1-C1.q2")
    data = load_form(editor, rich)
    data[name(q, "choice")] = "na"  # no justification
    data["then"] = "D2"
    before = answers_snapshot(rich)
    response = editor.post(page_url(rich), data)
    assert response.status_code == 200
    assert answers_snapshot(rich) == before
    assert "There is a problem" in response.content.decode()


def test_page_offers_save_and_next_and_previous_next_links(editor, rich):
    first = editor.get(page_url(rich, "D1")).content.decode()
    assert (
        '<button type="submit" class="btn btn-primary" form="questionnaire-form" name="then" '
        'value="D2">Save and next' in first
    )
    assert f'<a href="{page_url(rich, "D2")}" rel="next" data-save-first="D2">' in first
    assert 'rel="prev"' not in first
    assert "nothing is required yet" not in first
    assert "until it is answered, a question counts as 0 in the score" in first
    last = editor.get(page_url(rich, "D2")).content.decode()
    assert f'<a href="{page_url(rich, "D1")}" rel="prev" data-save-first="D1">' in last
    assert 'name="then"' not in last  # no domain after the last one
    # The domain list's other entries save first too (questionnaire.js), and it collapses.
    assert (
        f'<a href="{page_url(rich, "D2")}" data-save-first="D2">'
        '<span class="catalog-code">DM2</span> Domain 2</a>'
    ) in first
    assert '<details class="questionnaire-nav-details" id="questionnaire-nav-details">' in first


def test_domains_out_of_scope_are_skipped_by_previous_and_next(editor, organisation, owner):
    from scorecard.models import ControlPersona, Persona
    from tests.factories import make_framework

    framework = make_framework(slug="skip", domains=3, controls_per_domain=1)
    builder = Persona.objects.get(framework=framework, ref="personaBuilder")
    # Every control of D2 for builders only; the assessment is for users: D2 is out of scope.
    d2_controls = ControlPersona.objects.filter(control__domain__ref="D2", persona=builder)
    assert d2_controls.exists()
    assessment = make_assessment(
        organisation, framework, created_by=owner, personas=["personaUser"]
    )
    html = editor.get(page_url(assessment, "D1")).content.decode()
    assert "Not in scope" in html
    assert 'name="then" value="D3"' in html
    assert 'rel="next" data-save-first="D3"' in html
