"""Saving a questionnaire page: drafts, history, confirmation, and refusals that write nothing."""

from __future__ import annotations

import pytest

from assessments.models import Answer, AnswerChange, Assessment, AuditEvent
from assessments.services.answers import AnswerInput, framework_options, save_answers
from scorecard.models import Question
from tests.factories import make_assessment, make_framework
from tests.questionnaire.helpers import (
    answers_snapshot,
    load_form,
    name,
    option_key,
    page_url,
    question,
)

pytestmark = pytest.mark.django_db


def test_saving_a_draft_stores_answers_and_records_history(editor, assessor, rich):
    framework = rich.framework
    scale, choice, yes_no = (question(framework, f"D1-C1.q{n}") for n in (1, 2, 3))
    number, text = question(framework, "D1.1-C1.number"), question(framework, "D1.1-C1.text")
    data = load_form(editor, rich)
    data[name(scale, "choice")] = option_key(scale, "Established")
    data[name(choice, "choice")] = option_key(choice, "Some")
    data[name(choice, "comment")] = "Rolled out in two teams."
    data[name(number, "number")] = "12"
    data[name(text, "text")] = "A spreadsheet."
    data[name(yes_no, "choice")] = "Yes"
    response = editor.post(page_url(rich), data)
    assert response.status_code == 302
    stored = {a.question_id: a for a in Answer.objects.filter(assessment=rich)}
    # Untouched questions get no row.
    assert set(stored) == {scale.pk, choice.pk, yes_no.pk, number.pk, text.pk}
    assert (stored[scale.pk].option_label, stored[scale.pk].value) == ("Established", 0.75)
    assert (stored[choice.pk].value, stored[choice.pk].comment) == (0.5, "Rolled out in two teams.")
    assert stored[number.pk].number == 12.0 and stored[text.pk].text == "A spreadsheet."
    assert (stored[yes_no.pk].option_label, stored[yes_no.pk].value) == ("Yes", 1.0)
    assert all(a.version == 1 and a.updated_by == assessor for a in stored.values())
    change = AnswerChange.objects.get(assessment=rich, question=scale)
    assert change.old is None and change.new == stored[scale.pk].as_record()
    assert change.changed_by == assessor
    event = AuditEvent.objects.get(action="answers.saved")
    changed = (scale, choice, yes_no, number, text)
    assert sorted(event.data["questions"]) == sorted(q.ref for q in changed)


def test_changing_an_answer_records_old_and_new(editor, rich):
    q = question(rich.framework, "D1-C1.q1")
    data = load_form(editor, rich)
    data[name(q, "choice")] = option_key(q, "Ad hoc")
    editor.post(page_url(rich), data)
    data = load_form(editor, rich)
    data[name(q, "choice")] = option_key(q, "Optimised")
    editor.post(page_url(rich), data)
    answer = Answer.objects.get(assessment=rich, question=q)
    assert (answer.option_label, answer.value, answer.version) == ("Optimised", 1.0, 2)
    latest = AnswerChange.objects.filter(question=q).first()
    assert latest.old["option"] == "Ad hoc" and latest.new["option"] == "Optimised"


def test_saving_an_unchanged_page_writes_nothing(editor, rich):
    q = question(rich.framework, "D1-C1.q1")
    Answer.objects.create(assessment=rich, question=q, option_label="Partial", value=0.5)
    before = answers_snapshot(rich)
    response = editor.post(page_url(rich), load_form(editor, rich))
    assert response.status_code == 302
    assert answers_snapshot(rich) == before


def test_confirming_a_carried_over_answer_clears_the_mark(editor, rich):
    q = question(rich.framework, "D1-C1.q1")
    Answer.objects.create(
        assessment=rich, question=q, option_label="Partial", value=0.5, carried_over=True
    )
    data = load_form(editor, rich)
    data[name(q, "confirm")] = "on"
    assert editor.post(page_url(rich), data).status_code == 302
    answer = Answer.objects.get(assessment=rich, question=q)
    assert not answer.carried_over and answer.option_label == "Partial" and answer.version == 2
    assert AnswerChange.objects.filter(question=q).count() == 1


def test_changing_a_carried_over_answer_also_confirms_it(editor, rich):
    q = question(rich.framework, "D1-C1.q1")
    Answer.objects.create(
        assessment=rich, question=q, option_label="Partial", value=0.5, carried_over=True
    )
    data = load_form(editor, rich)
    data[name(q, "choice")] = option_key(q, "Optimised")
    editor.post(page_url(rich), data)
    assert not Answer.objects.get(assessment=rich, question=q).carried_over


# --- bad input: a clear error and nothing written ---------------------------------------------


def _refused(client, assessment, data, expected_status=200):
    before = answers_snapshot(assessment)
    response = client.post(page_url(assessment), data)
    assert response.status_code == expected_status
    assert answers_snapshot(assessment) == before
    return response.content.decode()


def _with_valid_change(client, assessment):
    """A form with one valid change too, so a refusal must drop it as well (atomic)."""
    q = question(assessment.framework, "D1-C2.q1")
    data = load_form(client, assessment)
    data[name(q, "choice")] = option_key(q, "Optimised")
    return data


def test_option_of_another_question_is_refused(editor, rich):
    data = _with_valid_change(editor, rich)
    target = question(rich.framework, "D1-C1.q2")
    other = question(rich.framework, "D1-C2.q2")
    data[name(target, "choice")] = option_key(other, "All")
    html = _refused(editor, rich, data)
    assert "That option belongs to another question" in html
    assert "Nothing was saved." in html


def test_unknown_option_is_refused(editor, rich):
    data = _with_valid_change(editor, rich)
    data[name(question(rich.framework, "D1-C1.q1"), "choice")] = "999999"
    assert "Choose one of the options listed" in _refused(editor, rich, data)


def test_number_out_of_range_is_refused(editor, rich):
    data = _with_valid_change(editor, rich)
    data[name(question(rich.framework, "D1.1-C1.number"), "number")] = "1e300"
    assert "less than or equal to" in _refused(editor, rich, data)


def test_na_where_not_allowed_is_refused(editor, rich):
    data = _with_valid_change(editor, rich)
    q = question(rich.framework, "D1-C1.q1")
    data[name(q, "na")] = "on"
    data[name(q, "justification")] = "Because."
    assert "N/A is not allowed for this question." in _refused(editor, rich, data)


def test_na_without_justification_is_refused(editor, rich):
    data = _with_valid_change(editor, rich)
    data[name(question(rich.framework, "D1-C1.q2"), "na")] = "on"
    assert "required with N/A" in _refused(editor, rich, data)


def test_question_of_another_framework_is_refused(editor, rich):
    data = _with_valid_change(editor, rich)
    foreign = question(make_framework(slug="foreign"), "D1-C1.q1")
    data[f"q{foreign.pk}-choice"] = "1"
    html = _refused(editor, rich, data)
    assert "is not part of this assessment&#x27;s framework" in html


def test_question_of_another_page_is_refused(editor, rich):
    data = _with_valid_change(editor, rich)
    other = question(rich.framework, "D2-C1.q1")
    data[name(other, "choice")] = option_key(other, "Yes" if other.type == "yes_no" else "Partial")
    data[name(other, "version")] = "0"
    assert "is not on this page" in _refused(editor, rich, data)


def test_post_for_a_finalised_assessment_is_refused(editor, rich):
    data = _with_valid_change(editor, rich)
    Assessment.objects.filter(pk=rich.pk).update(status="finalised")
    html = _refused(editor, rich, data, expected_status=409)
    assert "finalised and cannot be changed" in html


def test_viewer_cannot_save(client, viewer, rich):
    client.force_login(viewer)
    data = _with_valid_change(client, rich)
    _refused(client, rich, data, expected_status=403)


# --- the service directly ------------------------------------------------------------------


def test_service_refuses_unknown_label_and_writes_nothing(rich, owner):
    good = AnswerInput(question=question(rich.framework, "D1-C1.q1"), option_label="Partial")
    bad = AnswerInput(question=question(rich.framework, "D1-C2.q1"), option_label="Sometimes")
    before = answers_snapshot(rich)
    with pytest.raises(Exception, match="not one of the answer options"):
        save_answers(assessment=rich, user=owner, submitted=[good, bad])
    assert answers_snapshot(rich) == before


def _inputs(framework, label: str, version: int | None = 0):
    return [
        AnswerInput(
            question=q,
            option_label={"scale": label, "choice": "Some", "yes_no": "Yes"}.get(q.type, ""),
            comment=f"note {label}",
            version=version,
        )
        for q in Question.objects.filter(framework=framework, control__domain__ref="D1")
    ]


@pytest.mark.parametrize("controls", [5, 20])
def test_saving_a_page_costs_at_most_ten_queries(controls, django_assert_max_num_queries):
    """10 and 40 answers, half new and half changed: bulk writes, no query per answer."""
    from tests.factories import make_member, make_organisation

    organisation = make_organisation()
    user = make_member(organisation, "assessor")
    framework = make_framework(slug=f"save{controls}", controls_per_domain=controls)
    assessment = Assessment.objects.select_related("organisation", "framework").get(
        pk=make_assessment(organisation, framework).pk
    )
    first = _inputs(framework, "Partial")
    save_answers(assessment=assessment, user=user, submitted=first[: len(first) // 2])
    framework_options(framework)  # cached per process, like the catalog
    second = _inputs(framework, "Established", None)
    with django_assert_max_num_queries(10) as queries:
        result = save_answers(assessment=assessment, user=user, submitted=second)
    statements = [q["sql"] for q in queries.captured_queries]
    # The transaction's own BEGIN/SAVEPOINT and COMMIT/RELEASE aside: seven statements.
    work = [sql for sql in statements if not sql.startswith(("BEGIN", "SAVEPOINT", "RELEASE"))]
    assert len(work) == 7, work
    assert len(result.saved) == controls * 2
    assert Answer.objects.filter(assessment=assessment, version=2).count() == controls


@pytest.mark.parametrize("controls", [5, 20])
def test_saving_a_page_request_is_bounded(
    client, owner, organisation, controls, django_assert_max_num_queries
):
    framework = make_framework(slug=f"post{controls}", controls_per_domain=controls)
    assessment = make_assessment(organisation, framework, created_by=owner)
    client.force_login(owner)
    data = load_form(client, assessment)
    for key in list(data):
        if key.endswith("-comment"):
            data[key] = "changed"
    # The whole request: session and user (2), access (2), the page's questions (1), the
    # save (7) and the session update (1), plus four savepoint statements that exist only
    # because the test runs inside a transaction.
    with django_assert_max_num_queries(17):
        assert client.post(page_url(assessment), data).status_code == 302
    assert Answer.objects.filter(assessment=assessment).count() == controls * 2
