"""Template helpers of the review workflow partials."""

from __future__ import annotations

from django import template

from assessments.models import AssessmentStatus, ReviewComment, SignOff

register = template.Library()


@register.filter
def can(access, action: str) -> bool:
    """`{% if access|can:"review" %}`: the role table, never a role name, decides."""
    return access is not None and access.can(action)


@register.filter
def under_review(assessment) -> bool:
    return assessment.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW)


@register.simple_tag
def workflow_summary(assessment, access) -> dict:
    """What the actions panel shows: open threads, sign-offs, the next revision. 3 queries."""
    summary = {
        "open_comments": ReviewComment.objects.filter(
            assessment=assessment, parent__isnull=True, resolved=False
        ).count(),
        "signoffs": [],
        "successor": None,
        "targets": [],
    }
    if assessment.is_finalised:
        summary["signoffs"] = list(
            SignOff.objects.filter(assessment=assessment).select_related("user")
        )
        summary["successor"] = assessment.successors.order_by("revision").first()
    elif access is not None and access.can("upgrade"):
        from assessments.services.upgrade import upgrade_targets

        summary["targets"] = upgrade_targets(assessment)
    return summary
