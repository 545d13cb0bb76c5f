"""N/A is one clear state: a level, or N/A with a justification, or not answered; a value and
N/A together are refused with a message beside the question, and nothing is written."""

from __future__ import annotations

import re

import pytest

from assessments.models import Answer, AnswerChange
from assessments.services.answers import AnswerInput, AnswersRejected, save_answers
from tests.questionnaire.helpers import (
    answers_snapshot,
    load_form,
    name,
    option_key,
    page_url,
    question,
)

pytestmark = pytest.mark.django_db


def checked_radios(html: str, q) -> list[str]:
    """The values of the checked radios of a question's answer group."""
    return re.findall(rf'name="{name(q, "choice")}" id="[^"]+" value="([^"]*)" checked', html)


def test_choosing_the_na_radio_saves_na_with_its_justification(editor, rich):
    q = question(rich.framework, "D1-C1.q2")  # a choice question that allows N/A
    data = load_form(editor, rich)
    data[name(q, "choice")] = "na"
    data[name(q, "justification")] = "No models are trained in-house."
    assert editor.post(page_url(rich), data).status_code == 302
    answer = Answer.objects.get(assessment=rich, question=q)
    assert (answer.na, answer.value, answer.option_label) == (True, None, "")
    assert answer.justification == "No models are trained in-house."


def test_an_na_answer_shows_only_the_na_radio_checked(editor, rich):
    q = question(rich.framework, "D1-C1.q2")
    Answer.objects.create(assessment=rich, question=q, na=True, justification="Not used.")
    html = editor.get(page_url(rich)).content.decode()
    # Not "Not answered yet" (value "") as well: exactly one state shows.
    assert checked_radios(html, q) == ["na"]
    # Saving the page untouched changes nothing (the N/A radio posts back the same state).
    before = answers_snapshot(rich)
    assert editor.post(page_url(rich), load_form(editor, rich)).status_code == 302
    assert answers_snapshot(rich) == before


def test_an_unanswered_question_shows_only_not_answered_checked(editor, rich):
    q = question(rich.framework, "D1-C1.q2")
    assert checked_radios(editor.get(page_url(rich)).content.decode(), q) == [""]


def test_the_old_na_checkbox_post_is_still_accepted(editor, rich):
    """Callers that post the N/A box with no level (as the page did before) still work."""
    q = question(rich.framework, "D1-C1.q2")
    data = load_form(editor, rich)
    data[name(q, "choice")] = ""
    data[name(q, "na")] = "on"
    data[name(q, "justification")] = "Bought in."
    assert editor.post(page_url(rich), data).status_code == 302
    assert Answer.objects.get(assessment=rich, question=q).na


def _refused(client, assessment, data) -> str:
    before = answers_snapshot(assessment)
    response = client.post(page_url(assessment), data)
    assert response.status_code == 200
    assert answers_snapshot(assessment) == before
    return response.content.decode()


def _with_valid_change(client, assessment):
    q = question(assessment.framework, "D1-C2.q1")
    data = load_form(client, assessment)
    data[name(q, "choice")] = option_key(q, "Optimised")
    return data


def test_a_level_and_na_together_are_refused_beside_the_question(editor, rich):
    q = question(rich.framework, "D1-C1.q2")
    data = _with_valid_change(editor, rich)
    data[name(q, "choice")] = option_key(q, "All")
    data[name(q, "na")] = "on"
    data[name(q, "justification")] = "Not used."
    html = _refused(editor, rich, data)
    assert (
        f'<div class="invalid-feedback d-block" id="q{q.pk}-choice-error">'
        "Choose a level or N/A, not both: nothing was saved." in html
    )
    # Neither is dropped: the level stays chosen in the form for the editor to decide.
    assert checked_radios(html, q) == [option_key(q, "All")]


def test_a_written_answer_and_na_together_are_refused(editor, rich):
    text = question(rich.framework, "D1.1-C1.text")  # the text question allows N/A
    data = _with_valid_change(editor, rich)
    data[name(text, "text")] = "A spreadsheet."
    data[name(text, "na")] = "on"
    data[name(text, "justification")] = "No inventory."
    html = _refused(editor, rich, data)
    assert "Write an answer or tick N/A, not both" in html
    assert f'id="q{text.pk}-text-error"' in html


def test_na_radio_where_na_is_not_allowed_is_refused(editor, rich):
    q = question(rich.framework, "D1-C1.q1")  # scale, no N/A
    data = _with_valid_change(editor, rich)
    data[name(q, "choice")] = "na"
    data[name(q, "justification")] = "Because."
    assert "N/A is not allowed for this question." in _refused(editor, rich, data)


def test_na_radio_without_justification_is_refused(editor, rich):
    q = question(rich.framework, "D1-C1.q2")
    data = _with_valid_change(editor, rich)
    data[name(q, "choice")] = "na"
    assert "Explain why this question does not apply" in _refused(editor, rich, data)


@pytest.mark.parametrize(
    "given",
    [
        {"option_label": "All"},
        {"number": 3.0},
        {"text": "Some text."},
    ],
    ids=["level", "number", "text"],
)
def test_the_service_refuses_a_value_with_na(rich, assessor, given):
    """Other callers of the service get the same rule: nothing is written."""
    q = question(rich.framework, "D1-C1.q2")
    with pytest.raises(AnswersRejected) as refused:
        save_answers(
            assessment=rich,
            user=assessor,
            submitted=[AnswerInput(question=q, na=True, justification="Not used.", **given)],
        )
    assert refused.value.by_question == {
        q.pk: ["DM1-1.2 (D1-C1.q2): answer with a value or N/A, not both."]
    }
    assert not Answer.objects.filter(assessment=rich).exists()
    assert not AnswerChange.objects.filter(assessment=rich).exists()
