"""Reads of the assessment lists: the organisation's list page and the scorecard's
"compare with" choices. Both start from `visible_assessments`, so an auditor limited to
named assessments sees only those."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.access import Access, visible_assessments
from assessments.models import Assessment, Report
from scorecard.models import Framework

COMPARE_CHOICES = 20


def frameworks_in_use(organisation) -> QuerySet[Framework]:
    """The catalog versions the organisation's assessments use (the list's filter choices)."""
    return Framework.objects.filter(
        pk__in=Assessment.objects.filter(organisation=organisation).values("framework_id")
    ).order_by("name", "version")


def organisation_assessments(
    user, access: Access, *, q: str = "", status: str = "", framework: Framework | None = None
) -> QuerySet[Assessment]:
    """The current organisation's assessments the user may see, newest change first."""
    assessments = (
        visible_assessments(user)
        .filter(organisation=access.organisation)
        .select_related("framework", "system")
    )
    if q:
        assessments = assessments.filter(title__icontains=q)
    if status:
        assessments = assessments.filter(status=status)
    if framework is not None:
        assessments = assessments.filter(framework=framework)
    return assessments.order_by("-updated_at", "pk")


def compare_choices(visible: QuerySet[Assessment], assessment: Assessment) -> list[Assessment]:
    """Other visible assessments of the same organisation, most recently changed first."""
    return list(
        visible.filter(organisation_id=assessment.organisation_id)
        .exclude(pk=assessment.pk)
        .order_by("-updated_at")
        .only("id", "title", "revision", "status", "updated_at")[:COMPARE_CHOICES]
    )


def latest_report(assessment: Assessment) -> Report | None:
    return assessment.reports.order_by("-created_at").first()
