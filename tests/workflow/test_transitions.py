"""The workflow services: every transition, its guards, its audit event and timestamps."""

import pytest

from assessments.models import (
    Assessment,
    AssessmentStatus,
    AuditEvent,
    Membership,
    ReviewComment,
    ScoreSnapshot,
    SignOff,
)
from assessments.services import workflow
from assessments.services.guards import WorkflowError
from assessments.services.revisions import start_revision
from scorecard.models import Question
from tests.factories import make_assessment, make_framework, make_member
from tests.workflow.helpers import answer_all, comment_on, question, set_status

pytestmark = pytest.mark.django_db


def actions(assessment):
    return list(
        AuditEvent.objects.filter(target_id=str(assessment.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_assessor_submits_a_draft_and_it_is_timestamped_and_audited(assessment, assessor):
    result = workflow.submit(assessment=assessment, user=assessor)

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_at is not None
    assert result.status == AssessmentStatus.SUBMITTED
    event = AuditEvent.objects.get(action="assessment.submitted")
    assert event.actor == assessor
    assert event.target_id == str(assessment.pk)


def test_submitting_twice_is_refused_with_a_clear_message(assessment, owner):
    workflow.submit(assessment=assessment, user=owner)
    with pytest.raises(WorkflowError, match="submitted for review"):
        workflow.submit(assessment=assessment, user=owner)
    assert actions(assessment) == ["assessment.submitted"]


@pytest.mark.parametrize("who", ["viewer", "auditor", "outsider"])
def test_submit_is_refused_for_roles_without_the_action(assessment, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(WorkflowError) as error:
        workflow.submit(assessment=assessment, user=user)
    assert error.value.code == "forbidden"
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert actions(assessment) == []


def test_first_review_comment_opens_the_review(assessment, owner, auditor):
    workflow.submit(assessment=assessment, user=owner)
    comment = workflow.add_comment(
        assessment=assessment,
        question=question(assessment, "D1-C1.q1"),
        user=auditor,
        body=" Why? ",
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW
    assert comment.body == "Why?"
    assert comment.author == auditor
    assert actions(assessment) == [
        "assessment.submitted",
        "assessment.review_started",
        "review.comment",
    ]


def test_comment_on_a_draft_is_refused(assessment, owner):
    with pytest.raises(WorkflowError, match="draft"):
        workflow.add_comment(
            assessment=assessment, question=question(assessment, "D1-C1.q1"), user=owner, body="x"
        )
    assert not ReviewComment.objects.exists()


def test_comment_on_a_question_of_another_framework_is_refused(assessment, owner):
    set_status(assessment, AssessmentStatus.SUBMITTED)
    other = make_framework(slug="other-fw")
    foreign = Question.objects.get(framework=other, ref="D1-C1.q1")
    with pytest.raises(WorkflowError, match="not part of"):
        workflow.add_comment(assessment=assessment, question=foreign, user=owner, body="x")
    assert not ReviewComment.objects.exists()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_empty_comment_is_refused(assessment, owner):
    set_status(assessment, AssessmentStatus.SUBMITTED)
    with pytest.raises(WorkflowError, match="empty"):
        workflow.add_comment(
            assessment=assessment, question=question(assessment, "D1-C1.q1"), user=owner, body=" "
        )
    assert not ReviewComment.objects.exists()


def test_viewer_and_assessor_cannot_comment_for_review(assessment, viewer, assessor):
    set_status(assessment, AssessmentStatus.SUBMITTED)
    for user in (viewer, assessor):
        with pytest.raises(WorkflowError, match="may not review"):
            workflow.add_comment(
                assessment=assessment,
                question=question(assessment, "D1-C1.q1"),
                user=user,
                body="x",
            )
    assert not ReviewComment.objects.exists()


def test_auditor_limited_to_other_assessments_cannot_comment(assessment, organisation, framework):
    set_status(assessment, AssessmentStatus.SUBMITTED)
    auditor = make_member(organisation, "auditor", "limited@audit.example")
    other = make_assessment(organisation, framework)
    Membership.objects.get(user=auditor).limited_to.add(other)
    with pytest.raises(WorkflowError, match="not an auditor of this assessment"):
        workflow.add_comment(
            assessment=assessment, question=question(assessment, "D1-C1.q1"), user=auditor, body="x"
        )
    assert not ReviewComment.objects.exists()


def test_assessor_replies_into_the_thread_and_resolves_it(assessment, auditor, assessor):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    thread = comment_on(assessment, "D1-C1.q1", auditor)
    first = workflow.reply(comment=thread, user=assessor, body="Added the policy.")
    # A reply to a reply joins the same thread.
    second = workflow.reply(comment=first, user=auditor, body="Thanks.")
    assert first.parent == thread and second.parent == thread
    assert second.question_id == thread.question_id

    workflow.resolve(comment=second, user=assessor)
    thread.refresh_from_db()
    assert thread.resolved is True
    assert actions(assessment) == ["review.reply", "review.reply", "review.resolved"]


def test_viewer_cannot_reply_or_resolve(assessment, auditor, viewer):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    thread = comment_on(assessment, "D1-C1.q1", auditor)
    with pytest.raises(WorkflowError):
        workflow.reply(comment=thread, user=viewer, body="x")
    with pytest.raises(WorkflowError):
        workflow.resolve(comment=thread, user=viewer)
    thread.refresh_from_db()
    assert thread.resolved is False
    assert ReviewComment.objects.count() == 1


def test_reviewer_returns_to_draft_with_an_open_note(assessment, owner):
    set_status(assessment, AssessmentStatus.SUBMITTED)
    workflow.return_to_draft(assessment=assessment, user=owner, message="Section 2 is empty.")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    note = ReviewComment.objects.get()
    assert note.question is None and not note.resolved
    assert actions(assessment) == ["assessment.returned"]


def test_return_to_draft_needs_a_reason_and_a_review_status(assessment, owner):
    with pytest.raises(WorkflowError, match="draft"):
        workflow.return_to_draft(assessment=assessment, user=owner, message="x")
    set_status(assessment, AssessmentStatus.SUBMITTED)
    with pytest.raises(WorkflowError, match="empty"):
        workflow.return_to_draft(assessment=assessment, user=owner, message="")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert not ReviewComment.objects.exists()


def test_owner_finalises_and_the_score_snapshot_is_stored(assessment, owner):
    answer_all(assessment)
    workflow.submit(assessment=assessment, user=owner)
    workflow.finalise(assessment=assessment, user=owner)

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FINALISED
    assert assessment.finalised_by == owner and assessment.finalised_at is not None
    snapshot = ScoreSnapshot.objects.get(assessment=assessment)
    assert snapshot.reason == "finalised"
    event = AuditEvent.objects.get(action="assessment.finalised")
    assert event.data["snapshot"] == snapshot.pk


def test_finalise_is_refused_while_review_comments_are_open(assessment, owner, auditor):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    comment_on(assessment, "D1-C1.q1", auditor)
    comment_on(assessment, "D1-C2.q1", auditor, resolved=True)
    with pytest.raises(WorkflowError, match="1 review comment still open") as error:
        workflow.finalise(assessment=assessment, user=owner)
    assert error.value.code == "unresolved"
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW
    assert not ScoreSnapshot.objects.exists()


def test_finalise_from_draft_or_by_an_assessor_is_refused(assessment, owner, assessor):
    with pytest.raises(WorkflowError, match="draft"):
        workflow.finalise(assessment=assessment, user=owner)
    set_status(assessment, AssessmentStatus.SUBMITTED)
    with pytest.raises(WorkflowError, match="may not finalise"):
        workflow.finalise(assessment=assessment, user=assessor)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert not ScoreSnapshot.objects.exists()


@pytest.fixture
def finalised(assessment, owner):
    answer_all(assessment)
    workflow.submit(assessment=assessment, user=owner)
    return workflow.finalise(assessment=assessment, user=owner)


def test_auditor_signs_off_the_current_snapshot(finalised, auditor):
    signoff = workflow.sign_off(assessment=finalised, user=auditor, statement=" Scope: all. ")
    assert signoff.snapshot == ScoreSnapshot.objects.get(assessment=finalised)
    assert signoff.statement == "Scope: all."
    assert "assessment.signed_off" in actions(finalised)


def test_sign_off_binds_to_the_newest_snapshot(finalised, auditor):
    from assessments.scoring import take_snapshot

    newer = take_snapshot(assessment=finalised, reason="rescore")
    assert workflow.sign_off(assessment=finalised, user=auditor).snapshot == newer


def test_the_service_refuses_an_over_long_statement_whole(finalised, auditor):
    # Line breaks count once, as the counter in the form shows them.
    with pytest.raises(WorkflowError) as refused:
        workflow.sign_off(assessment=finalised, user=auditor, statement="a\r\n" * 2500 + "b")
    assert refused.value.message == (
        "The statement is 5,001 characters long; the limit is 5,000. "
        "Shorten it and try again: nothing was saved."
    )
    assert not SignOff.objects.exists()
    assert "assessment.signed_off" not in actions(finalised)


def test_signing_off_twice_is_refused(finalised, auditor):
    workflow.sign_off(assessment=finalised, user=auditor)
    with pytest.raises(WorkflowError, match="already signed off"):
        workflow.sign_off(assessment=finalised, user=auditor)
    assert SignOff.objects.count() == 1


@pytest.mark.parametrize("who", ["owner", "assessor", "viewer", "outsider"])
def test_sign_off_by_a_non_auditor_is_refused(finalised, who, request):
    with pytest.raises(WorkflowError):
        workflow.sign_off(assessment=finalised, user=request.getfixturevalue(who))
    assert not SignOff.objects.exists()


def test_sign_off_of_an_unfinalised_assessment_is_refused(assessment, auditor):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    with pytest.raises(WorkflowError, match="in review"):
        workflow.sign_off(assessment=assessment, user=auditor)
    assert not SignOff.objects.exists()


def test_reopen_of_a_draft_is_refused(assessment, owner):
    with pytest.raises(WorkflowError, match="reopen"):
        start_revision(assessment=assessment, user=owner)
    assert Assessment.objects.count() == 1
