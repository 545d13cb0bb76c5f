"""Moving an assessment to another version of its framework without losing answers."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from assessments.models import (
    Answer,
    AnswerChange,
    AssessmentStatus,
    AuditEvent,
    DomainAssignment,
    Evidence,
    ReviewComment,
)
from assessments.services.guards import AssessmentFrozen, WorkflowError
from assessments.services.upgrade import UpgradeError, apply_upgrade, plan_upgrade
from scorecard.models import Domain
from tests.factories import make_framework
from tests.workflow.helpers import answer_all, comment_on, make_next_version, question

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(framework):
    return make_next_version()


@pytest.fixture
def answered(assessment, owner):
    answer_all(assessment, owner)
    return assessment


def refs(notes):
    return sorted(note.ref for note in notes)


def test_plan_lists_new_removed_changed_and_dropped(answered, target):
    plan = plan_upgrade(assessment=answered, target=target)

    assert refs(plan.new_questions) == ["D2-C2.q3"]
    assert refs(plan.removed) == ["D2-C2.q2"]
    assert plan.removed[0].answer == "Some"
    assert refs(plan.to_confirm) == ["D1-C1.q1", "D1-C1.q2", "D1-C2.q2", "D2-C1.q2"]
    changes = {note.ref: note.changes for note in plan.to_confirm}
    assert changes["D1-C1.q1"] == ("wording",)
    assert changes["D2-C1.q2"] == ("answer type",)
    assert refs(plan.dropped_values) == ["D1-C1.q2", "D2-C1.q2"]
    assert "“Some” is no longer offered" in plan.dropped_values[0].reason
    # 7 answers survive; 4 of them changed, so 3 move across untouched.
    assert plan.kept == 3


def test_plan_writes_nothing(answered, target, django_assert_max_num_queries):
    before = list(Answer.objects.filter(assessment=answered).values())
    with django_assert_max_num_queries(12):
        plan_upgrade(assessment=answered, target=target)
    assert list(Answer.objects.filter(assessment=answered).values()) == before
    answered.refresh_from_db()
    assert answered.framework_id != target.pk


def test_upgrade_keeps_every_answer_that_keeps_its_meaning(answered, target, owner):
    old = {
        a.question.ref: a
        for a in Answer.objects.filter(assessment=answered).select_related("question")
    }
    apply_upgrade(assessment=answered, target=target, user=owner)

    answered.refresh_from_db()
    assert answered.framework == target
    moved = {
        a.question.ref: a
        for a in Answer.objects.filter(assessment=answered).select_related("question")
    }
    # D2-C2.q2 is removed; D1-C1.q2 lost the chosen option "Some"; D2-C1.q2 became yes/no.
    assert set(moved) == set(old) - {"D2-C2.q2", "D1-C1.q2", "D2-C1.q2"}
    assert len(moved) == 5
    for ref, answer in moved.items():
        assert answer.question.framework_id == target.pk
        assert (answer.comment, answer.justification) == (old[ref].comment, old[ref].justification)
        assert answer.version == old[ref].version + 1


def test_upgrade_keeps_unchanged_answers_confirmed_and_flags_changed_ones(answered, target, owner):
    apply_upgrade(assessment=answered, target=target, user=owner)
    answers = {
        a.question.ref: a
        for a in Answer.objects.filter(assessment=answered).select_related("question")
    }

    assert answers["D1-C2.q1"].option_label == "Partial" and not answers["D1-C2.q1"].carried_over
    assert answers["D1-C1.q1"].option_label == "Partial" and answers["D1-C1.q1"].carried_over
    # Same label, new value: the value follows the new catalog.
    assert (answers["D1-C2.q2"].option_label, answers["D1-C2.q2"].value) == ("Some", 0.4)
    assert answers["D1-C2.q2"].carried_over
    # The chosen option is gone: the whole answer goes (comment and justification too),
    # and its history says so.
    assert "D1-C1.q2" not in answers
    history = AnswerChange.objects.get(
        assessment=answered, question__framework=target, question__ref="D1-C1.q2"
    )
    assert (history.old["option"], history.old["comment"]) == ("Some", "Why D1-C1.q2")
    assert history.new == {
        "option": "",
        "value": None,
        "number": None,
        "text": "",
        "na": False,
        "justification": "",
        "comment": "",
    }


def test_upgrade_moves_evidence_and_comments_and_drops_those_of_removed_questions(
    answered, target, owner, auditor, django_capture_on_commit_callbacks
):
    kept = Evidence(
        assessment=answered, question=question(answered, "D1-C1.q1"), kind="file", filename="a.pdf"
    )
    kept.file.save("a.pdf", ContentFile(b"kept"), save=True)
    gone = Evidence(
        assessment=answered, question=question(answered, "D2-C2.q2"), kind="file", filename="b.pdf"
    )
    gone.file.save("b.pdf", ContentFile(b"gone"), save=True)
    thread = comment_on(answered, "D1-C1.q1", auditor)
    reply = ReviewComment.objects.create(
        assessment=answered, question=thread.question, parent=thread, author=owner, body="Done."
    )
    orphan = comment_on(answered, "D2-C2.q2", auditor)

    with django_capture_on_commit_callbacks(execute=True):
        apply_upgrade(assessment=answered, target=target, user=owner)

    answered.refresh_from_db()
    kept.refresh_from_db()
    assert kept.question == question(answered, "D1-C1.q1")
    assert kept.question.framework == target
    assert not Evidence.objects.filter(pk=gone.pk).exists()
    assert not default_storage.exists(gone.file.name)
    assert default_storage.exists(kept.file.name)
    thread.refresh_from_db()
    reply.refresh_from_db()
    assert thread.question.framework == target and reply.question == thread.question
    # A thread on a removed question keeps its (old) question and stays on the review page.
    orphan.refresh_from_db()
    assert orphan.question.ref == "D2-C2.q2" and orphan.question.framework_id != target.pk


def test_upgrade_moves_domain_assignments_and_records_an_audit_event(
    answered, target, owner, assessor
):
    DomainAssignment.objects.create(
        assessment=answered,
        domain=Domain.objects.get(framework=answered.framework, ref="D2"),
        assignee=assessor,
    )
    apply_upgrade(assessment=answered, target=target, user=owner)
    row = DomainAssignment.objects.get(assessment=answered)
    assert row.domain.framework == target and row.domain.ref == "D2"
    event = AuditEvent.objects.get(action="assessment.upgraded")
    assert event.data["removed"] == {"D2-C2.q2": "Some"}
    assert sorted(event.data["dropped_values"]) == ["D1-C1.q2", "D2-C1.q2"]


def test_upgrade_to_another_framework_slug_is_refused(answered, owner):
    other = make_framework(slug="other-fw", version="2.0")
    with pytest.raises(UpgradeError, match="different framework"):
        apply_upgrade(assessment=answered, target=other, user=owner)
    answered.refresh_from_db()
    assert answered.framework.slug == "test-fw"


def test_upgrade_to_a_draft_version_is_refused(answered, owner, framework):
    draft = make_next_version("2.0-draft", publish=False)
    before = list(Answer.objects.filter(assessment=answered).values_list("question_id", "version"))
    with pytest.raises(UpgradeError, match="draft, not published"):
        plan_upgrade(assessment=answered, target=draft)
    with pytest.raises(UpgradeError, match="draft, not published"):
        apply_upgrade(assessment=answered, target=draft, user=owner)
    answered.refresh_from_db()
    assert answered.framework == framework
    after = list(Answer.objects.filter(assessment=answered).values_list("question_id", "version"))
    assert after == before


def test_upgrade_to_the_same_version_is_refused(answered, owner, framework):
    with pytest.raises(UpgradeError, match="already uses"):
        plan_upgrade(assessment=answered, target=framework)


@pytest.mark.parametrize("who", ["assessor", "auditor", "viewer"])
def test_only_owners_upgrade(answered, target, who, request):
    with pytest.raises(WorkflowError):
        apply_upgrade(assessment=answered, target=target, user=request.getfixturevalue(who))
    answered.refresh_from_db()
    assert answered.framework_id != target.pk


def test_a_stale_plan_is_refused(answered, target, owner):
    plan = plan_upgrade(assessment=answered, target=target)
    Answer.objects.filter(assessment=answered, question__ref="D1-C2.q1").update(
        option_label="Optimised", value=1.0, version=5
    )
    with pytest.raises(UpgradeError, match="changed while you were reading") as error:
        apply_upgrade(assessment=answered, target=target, user=owner, fingerprint=plan.fingerprint)
    assert error.value.code == "stale"
    answered.refresh_from_db()
    assert answered.framework_id != target.pk


def test_upgrade_is_refused_during_review_and_changes_nothing(answered, target, owner):
    # The reviewers review one answer set; moving it to another catalog version waits.
    type(answered).objects.filter(pk=answered.pk).update(status=AssessmentStatus.IN_REVIEW)
    answered.refresh_from_db()
    source = answered.framework_id
    plan = plan_upgrade(assessment=answered, target=target)
    with pytest.raises(AssessmentFrozen, match="with its reviewers") as error:
        apply_upgrade(assessment=answered, target=target, user=owner, fingerprint=plan.fingerprint)
    assert error.value.code == "frozen"
    answered.refresh_from_db()
    assert answered.framework_id == source and answered.status == AssessmentStatus.IN_REVIEW
