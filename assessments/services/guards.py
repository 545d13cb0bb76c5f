"""Checks every state-changing service runs first: who acts, on which locked row, in what status.

They live below the workflow, revisions, assignments and upgrade services, which all use
them, so those services depend on this module and never on each other for their checks.
"""

from __future__ import annotations

from django.utils import dateformat, timezone

from assessments.access import role_allows
from assessments.limits import REVIEW_COMMENT
from assessments.models import (
    Assessment,
    AssessmentFinalised,
    AssessmentStatus,
    Membership,
    Role,
    Submission,
)

MAX_COMMENT_LENGTH = REVIEW_COMMENT
UNDER_REVIEW = (AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW)


class WorkflowError(Exception):
    """A transition that is not allowed now, or not for this person. Nothing was changed."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


def membership_for(*, user, assessment: Assessment) -> Membership:
    """The actor's membership, applying the same visibility rules as the access helpers."""
    membership = (
        Membership.objects.filter(user_id=user.pk, organisation_id=assessment.organisation_id)
        .prefetch_related("limited_to")
        .first()
        if user is not None and user.is_authenticated
        else None
    )
    if membership is None:
        raise WorkflowError("You are not a member of this organisation.", code="forbidden")
    if membership.role == Role.AUDITOR:
        limited = {a.pk for a in membership.limited_to.all()}
        if limited and assessment.pk not in limited:
            raise WorkflowError("You are not an auditor of this assessment.", code="forbidden")
    return membership


def require_role(
    *, user, assessment: Assessment, actions: tuple[str, ...], doing: str
) -> Membership:
    membership = membership_for(user=user, assessment=assessment)
    if not any(role_allows(membership.role, action) for action in actions):
        raise WorkflowError(
            f"Your role ({membership.get_role_display().lower()}) may not {doing}.",
            code="forbidden",
        )
    return membership


def lock_assessment(assessment: Assessment) -> Assessment:
    """The assessment's row, locked until the transaction ends, with what checks read."""
    return (
        Assessment.objects.select_for_update()
        .select_related("organisation", "framework")
        .get(pk=assessment.pk)
    )


def require_status(assessment: Assessment, allowed, doing: str) -> None:
    if assessment.status not in allowed:
        raise WorkflowError(
            f"You cannot {doing} while the assessment is "
            f"{assessment.get_status_display().lower()}.",
            code="status",
        )


class AssessmentFrozen(WorkflowError):
    """The assessment is with its reviewers: answers, scope, evidence and assignments wait."""

    def __init__(self, message: str):
        super().__init__(message, code="frozen")


FROZEN_UNTIL = "nothing can be changed until it is returned."


def held_by(assessment: Assessment) -> str:
    """Who holds a submitted assessment and since when, as a sentence part:
    "submitted by A on 2 Dec 2026 09:15", plus the reviewer who opened the review."""
    submission = Submission.objects.latest_for(assessment)
    submitted_at = submission.submitted_at if submission else assessment.submitted_at
    who = submission.submitted_by if submission and submission.submitted_by else None
    text = "submitted" + (f" by {who}" if who else "")
    if submitted_at:
        text += f" on {_when(submitted_at)}"
    if submission and submission.review_started_at:
        reviewer = submission.review_started_by
        text += "; review started" + (f" by {reviewer}" if reviewer else "")
        text += f" on {_when(submission.review_started_at)}"
    return text


def _when(moment) -> str:
    # The format the pages' `date:"j M Y H:i"` filter gives: 2 Dec 2026 09:15.
    return dateformat.format(timezone.localtime(moment), "j M Y H:i")


def frozen_message(assessment: Assessment, until: str = FROZEN_UNTIL) -> str:
    return f"This assessment is with its reviewers ({held_by(assessment)}); {until}"


def require_editable(assessment: Assessment, *, until: str = FROZEN_UNTIL) -> None:
    """The one check every write to answers, scope, evidence, assignments and the catalog
    version runs: refused while finalised (AssessmentFinalised) or with its reviewers
    (AssessmentFrozen). Pass the row locked by `lock_assessment` so the status is current."""
    if assessment.status == AssessmentStatus.FINALISED:
        raise AssessmentFinalised()
    require_not_frozen(assessment, until=until)


def require_not_frozen(assessment: Assessment, *, until: str = FROZEN_UNTIL) -> None:
    """AssessmentFrozen while the assessment is submitted or in review."""
    if assessment.status in UNDER_REVIEW:
        raise AssessmentFrozen(frozen_message(assessment, until))
