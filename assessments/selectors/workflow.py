"""Reads of the workflow pages and of the actions panel the detail and review pages share."""

from __future__ import annotations

from dataclasses import dataclass, field

from assessments.access import Access, role_allows
from assessments.models import Answer, Assessment, AssessmentStatus, ScoreSnapshot, SignOff
from assessments.selectors.reviews import open_thread_count
from scorecard.models import Framework


def upgrade_targets(assessment: Assessment) -> list[Framework]:
    """Other published versions of the assessment's framework, newest first."""
    return list(
        Framework.objects.published()
        .filter(slug=assessment.framework.slug)
        .exclude(pk=assessment.framework_id)
        .order_by("-published_at", "-created_at")
    )


def signoffs(assessment: Assessment) -> list[SignOff]:
    return list(SignOff.objects.filter(assessment=assessment).select_related("user", "snapshot"))


def successor(assessment: Assessment) -> Assessment | None:
    """The revision that continues this one, if it was reopened."""
    return assessment.successors.order_by("revision").first()


def answers_to_confirm(assessment: Assessment) -> int:
    """Answers carried over from the previous revision that nobody has confirmed yet."""
    return Answer.objects.filter(assessment=assessment, carried_over=True).count()


UNDER_REVIEW = (AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW)


def possible_actions(
    *,
    status: str,
    role: str | None,
    signed: bool = False,
    has_successor: bool = False,
    has_targets: bool = False,
) -> frozenset[str]:
    """The buttons a person sees: the actions their role allows that the status makes
    possible now. The services check the same on the locked row; this only decides what
    is offered. `signed`: this auditor signed the current score already."""
    if role is None:
        return frozenset()

    def may(action: str) -> bool:
        return role_allows(role, action)

    possible: set[str] = set()
    if status == AssessmentStatus.DRAFT:
        possible |= {a for a in ("submit", "assign") if may(a)}
        if may("answer"):
            possible |= {"answer", "scope"}
        if may("upgrade") and has_targets:
            possible.add("upgrade")
    elif status in UNDER_REVIEW:
        if may("review"):
            possible |= {"review", "return"}
        if may("finalise"):
            possible.add("finalise")
    elif status == AssessmentStatus.FINALISED:
        if may("signoff") and not signed:
            possible.add("signoff")
        if may("reopen") and not has_successor:
            possible.add("reopen")
    if may("create") and status not in UNDER_REVIEW:
        possible.add("start_from")
    return frozenset(possible)


@dataclass(frozen=True)
class WorkflowSummary:
    """What `assessments/workflow/_actions.html` shows; the template only formats it."""

    open_comments: int
    signoffs: list[SignOff] = field(default_factory=list)
    successor: Assessment | None = None
    targets: list[Framework] = field(default_factory=list)
    actions: frozenset[str] = frozenset()


def workflow_summary(
    assessment: Assessment, access: Access | None, *, open_comments: int | None = None
) -> WorkflowSummary:
    """Open threads, and either sign-offs and the next revision (finalised) or the catalog
    versions an owner may move the draft to; and the actions this person may take now.
    Four queries at most; one fewer when the caller already counted the open threads (the
    review page)."""
    if open_comments is None:
        open_comments = open_thread_count(assessment)
    role = access.role if access is not None else None
    if assessment.is_finalised:
        signed_by = signoffs(assessment)
        later = successor(assessment)
        signed = False
        if access is not None and access.can("signoff"):
            # The score a sign-off binds to is the latest snapshot (services.workflow.sign_off).
            current = (
                ScoreSnapshot.objects.filter(assessment=assessment)
                .values_list("pk", flat=True)
                .first()
            )
            signed = any(
                s.user_id == access.membership.user_id and s.snapshot_id == current
                for s in signed_by
            )
        return WorkflowSummary(
            open_comments=open_comments,
            signoffs=signed_by,
            successor=later,
            actions=possible_actions(
                status=assessment.status, role=role, signed=signed, has_successor=later is not None
            ),
        )
    targets = []
    if access is not None and access.can("upgrade") and assessment.status == AssessmentStatus.DRAFT:
        targets = upgrade_targets(assessment)
    return WorkflowSummary(
        open_comments=open_comments,
        targets=targets,
        actions=possible_actions(status=assessment.status, role=role, has_targets=bool(targets)),
    )
