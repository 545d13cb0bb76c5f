"""Reads of the audit-log page. A limited auditor sees only what happened to the
assessments they audit."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.access import Access, auditor_scope
from assessments.models import AuditEvent


def audit_events(access: Access, *, action: str = "") -> QuerySet[AuditEvent]:
    """The organisation's events the member may read, newest first (the model's order)."""
    events = AuditEvent.objects.for_organisation(access.organisation).select_related("actor")
    scope = auditor_scope(access)
    if scope is not None:
        events = events.filter(target_type="assessment", target_id__in=scope)
    if action:
        events = events.filter(action=action)
    return events


def audit_actions(access: Access) -> list[str]:
    """The actions that occur in what the member may read (the filter's choices)."""
    events = audit_events(access)
    return list(events.order_by("action").values_list("action", flat=True).distinct())
