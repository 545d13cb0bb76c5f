"""The review workflow: draft → submitted → in review → finalised, and back.

Every transition re-checks the actor's role and the assessment's current status on a
locked row (`assessments.services.guards`), so a view that forgot a check (or two people
clicking at once) cannot move an assessment the wrong way. Views turn `WorkflowError` into
a message; nothing is written. Reopening a finalised assessment is
`assessments.services.revisions.start_revision`; reads are in `assessments.selectors`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from assessments import audit
from assessments.limits import text_length, too_long
from assessments.models import (
    Assessment,
    AssessmentStatus,
    ReviewComment,
    ScoreSnapshot,
    SignOff,
    User,
)
from assessments.scoring import take_snapshot
from assessments.selectors.reviews import open_thread_count
from assessments.services import submissions

# Other modules (forms, views, other services) still import these names from here.
from assessments.services.guards import (
    MAX_COMMENT_LENGTH,
    UNDER_REVIEW,
    WorkflowError,
    lock_assessment,
    require_role,
    require_status,
)
from scorecard.models import Question


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise WorkflowError("Write something first: the comment is empty.")
    if text_length(body) > MAX_COMMENT_LENGTH:
        # Refused whole, never cut to the limit: the writer decides what goes.
        raise WorkflowError(too_long("The comment", text_length(body), MAX_COMMENT_LENGTH))
    return body


def _save_status(assessment: Assessment, *fields: str) -> None:
    assessment.save(update_fields=["status", "updated_at", *fields])


# --- transitions -----------------------------------------------------------------------------


@transaction.atomic
def submit(*, assessment: Assessment, user: User) -> Assessment:
    assessment = lock_assessment(assessment)
    require_role(user=user, assessment=assessment, actions=("submit",), doing="submit for review")
    require_status(assessment, (AssessmentStatus.DRAFT,), "submit it for review")
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    _save_status(assessment, "submitted_at")
    # From here on the answer set is frozen (guards.require_editable): this is what is reviewed.
    submission = submissions.record_submission(assessment=assessment, user=user)
    audit.record(
        "assessment.submitted",
        actor=user,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Submitted {assessment} for review",
        data={
            "submission": submission.sequence,
            "answer_set_hash": submission.answer_set_hash,
        },
    )
    return assessment


@transaction.atomic
def add_comment(
    *,
    assessment: Assessment,
    question: Question,
    user: User,
    body: str,
) -> ReviewComment:
    """A reviewer's comment on one question; the first one opens the review."""
    assessment = lock_assessment(assessment)
    require_role(user=user, assessment=assessment, actions=("review",), doing="review")
    require_status(assessment, UNDER_REVIEW, "comment for review")
    if question.framework_id != assessment.framework_id:
        raise WorkflowError(
            f"Question {question.display_ref} is not part of {assessment.framework}, "
            "the catalog this assessment uses."
        )
    body = _clean_body(body)
    comment = ReviewComment.objects.create(
        assessment=assessment, question=question, author=user, body=body
    )
    if assessment.status == AssessmentStatus.SUBMITTED:
        assessment.status = AssessmentStatus.IN_REVIEW
        _save_status(assessment)
        submissions.note_review_started(assessment=assessment, user=user, at=comment.created_at)
        audit.record(
            "assessment.review_started",
            actor=user,
            organisation=assessment.organisation,
            target=assessment,
            summary=f"Review of {assessment} started",
        )
    audit.record(
        "review.comment",
        actor=user,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Commented on {question.ref}",
        data={"comment": comment.pk, "question": question.ref},
    )
    return comment


def _thread_of(comment: ReviewComment) -> ReviewComment:
    if comment.parent_id is None:
        return comment
    return ReviewComment.objects.get(pk=comment.parent_id)


@transaction.atomic
def reply(*, comment: ReviewComment, user: User, body: str) -> ReviewComment:
    """An answer in a review thread: the assessor's, or the reviewer following up."""
    assessment = lock_assessment(comment.assessment)
    require_role(user=user, assessment=assessment, actions=("thread",), doing="reply")
    require_status(assessment, (AssessmentStatus.DRAFT, *UNDER_REVIEW), "reply to review comments")
    thread = _thread_of(comment)
    body = _clean_body(body)
    answer = ReviewComment.objects.create(
        assessment=assessment, question_id=thread.question_id, parent=thread, author=user, body=body
    )
    audit.record(
        "review.reply",
        actor=user,
        organisation=assessment.organisation,
        target=assessment,
        summary="Replied to a review comment",
        data={"comment": answer.pk, "thread": thread.pk},
    )
    return answer


@transaction.atomic
def resolve(
    *,
    comment: ReviewComment,
    user: User,
    resolved: bool = True,
) -> ReviewComment:
    """Mark a thread resolved (or open it again). Replies share their thread's state."""
    assessment = lock_assessment(comment.assessment)
    require_role(user=user, assessment=assessment, actions=("thread",), doing="resolve")
    require_status(assessment, (AssessmentStatus.DRAFT, *UNDER_REVIEW), "change review comments")
    thread = _thread_of(comment)
    if thread.resolved != resolved:
        thread.resolved = resolved
        thread.save(update_fields=["resolved"])
        audit.record(
            "review.resolved" if resolved else "review.unresolved",
            actor=user,
            organisation=assessment.organisation,
            target=assessment,
            summary="Resolved a review comment" if resolved else "Reopened a review comment",
            data={"thread": thread.pk},
        )
    return thread


@transaction.atomic
def return_to_draft(*, assessment: Assessment, user: User, message: str) -> Assessment:
    """Send the assessment back to its team; the reason stays as an open general comment."""
    assessment = lock_assessment(assessment)
    require_role(user=user, assessment=assessment, actions=("review",), doing="send it back")
    require_status(assessment, UNDER_REVIEW, "send it back to draft")
    body = _clean_body(message)
    comment = ReviewComment.objects.create(assessment=assessment, author=user, body=body)
    assessment.status = AssessmentStatus.DRAFT
    _save_status(assessment)
    audit.record(
        "assessment.returned",
        actor=user,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Returned {assessment} to draft",
        data={"comment": comment.pk},
    )
    return assessment


@transaction.atomic
def finalise(*, assessment: Assessment, user: User) -> Assessment:
    """Freeze the assessment and store its score. Open review threads must be resolved first."""
    assessment = lock_assessment(assessment)
    require_role(user=user, assessment=assessment, actions=("finalise",), doing="finalise")
    require_status(assessment, UNDER_REVIEW, "finalise it")
    open_threads = open_thread_count(assessment)
    if open_threads:
        raise WorkflowError(
            f"{open_threads} review comment{'s' if open_threads != 1 else ''} "
            "still open: resolve them before finalising.",
            code="unresolved",
        )
    assessment.status = AssessmentStatus.FINALISED
    assessment.finalised_at = timezone.now()
    assessment.finalised_by = user
    _save_status(assessment, "finalised_at", "finalised_by")
    snapshot = take_snapshot(assessment=assessment, reason="finalised")
    audit.record(
        "assessment.finalised",
        actor=user,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Finalised {assessment}",
        data={"snapshot": snapshot.pk, "result_hash": snapshot.result_hash},
    )
    return assessment


@transaction.atomic
def sign_off(*, assessment: Assessment, user: User, statement: str = "") -> SignOff:
    """An auditor's signature on the score snapshot they saw; once per snapshot each."""
    assessment = lock_assessment(assessment)
    require_role(user=user, assessment=assessment, actions=("signoff",), doing="sign off")
    require_status(assessment, (AssessmentStatus.FINALISED,), "sign it off")
    snapshot = ScoreSnapshot.objects.filter(assessment=assessment).first()
    if snapshot is None:
        raise WorkflowError("This assessment has no stored score to sign off.")
    if SignOff.objects.filter(assessment=assessment, snapshot=snapshot, user=user).exists():
        raise WorkflowError("You have already signed off this score.", code="duplicate")
    statement = (statement or "").strip()
    if text_length(statement) > MAX_COMMENT_LENGTH:
        raise WorkflowError(
            too_long("The statement", text_length(statement), MAX_COMMENT_LENGTH),
            code="too_long",
        )
    signoff = SignOff.objects.create(
        assessment=assessment, snapshot=snapshot, user=user, statement=statement
    )
    audit.record(
        "assessment.signed_off",
        actor=user,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Signed off {assessment}",
        data={"snapshot": snapshot.pk, "result_hash": snapshot.result_hash},
    )
    return signoff
