"""Reads of the workflow pages and of the actions panel the detail and review pages share."""

from __future__ import annotations

from dataclasses import dataclass, field

from assessments.access import Access
from assessments.models import Answer, Assessment, SignOff
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


@dataclass(frozen=True)
class WorkflowSummary:
    """What `assessments/workflow/_actions.html` shows; the template only formats it."""

    open_comments: int
    signoffs: list[SignOff] = field(default_factory=list)
    successor: Assessment | None = None
    targets: list[Framework] = field(default_factory=list)


def workflow_summary(
    assessment: Assessment, access: Access | None, *, open_comments: int | None = None
) -> WorkflowSummary:
    """Open threads, and either sign-offs and the next revision (finalised) or the catalog
    versions an owner may move the draft to. Three queries at most; one fewer when the
    caller already counted the open threads (the review page)."""
    if open_comments is None:
        open_comments = open_thread_count(assessment)
    if assessment.is_finalised:
        return WorkflowSummary(
            open_comments=open_comments,
            signoffs=signoffs(assessment),
            successor=successor(assessment),
        )
    if access is not None and access.can("upgrade"):
        return WorkflowSummary(open_comments=open_comments, targets=upgrade_targets(assessment))
    return WorkflowSummary(open_comments=open_comments)
