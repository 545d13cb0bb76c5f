"""Writing to the audit log. Reading it happens in the audit log view."""

from __future__ import annotations

from django.http import HttpRequest

from assessments.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    actor=None,
    organisation=None,
    target=None,
    summary: str = "",
    data: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_email=getattr(actor, "email", "") or "",
        action=action,
        target_type=type(target).__name__.lower() if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:500],
        data=data or {},
        ip_address=client_ip(request),
    )
