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


class Action:
    """The action names the log uses; the audit log page filters on these."""

    LOGIN = "login"
    LOGIN_FAILED = "login.failed"
    LOGOUT = "logout"
    PASSWORD_CHANGED = "password.changed"  # noqa: S105 - an action name
    PASSWORD_RESET_REQUESTED = "password.reset_requested"  # noqa: S105
    PASSWORD_RESET = "password.reset"  # noqa: S105
    INVITATION_SENT = "invitation.sent"
    INVITATION_ACCEPTED = "invitation.accepted"
    INVITATION_REVOKED = "invitation.revoked"
    ROLE_CHANGED = "member.role_changed"
    MEMBER_REMOVED = "member.removed"
    EXPORTED = "assessment.exported"
    FINALISED = "assessment.finalised"
    SIGNED_OFF = "assessment.signed_off"
    ANSWER_CHANGED = "answer.changed"


# Events about one assessment are recorded with the assessment as target, so a
# limited auditor's view of the log can be cut down to their assessments.


def record_export(*, assessment, fmt: str, actor=None, request=None) -> AuditEvent:
    return record(
        Action.EXPORTED,
        actor=actor,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Exported “{assessment.title}” as {fmt}",
        data={"format": fmt, "revision": assessment.revision},
        request=request,
    )


def record_finalise(*, assessment, actor=None, request=None) -> AuditEvent:
    return record(
        Action.FINALISED,
        actor=actor,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Finalised “{assessment.title}” (revision {assessment.revision})",
        data={"revision": assessment.revision},
        request=request,
    )


def record_signoff(*, assessment, actor=None, request=None, snapshot_hash: str = "") -> AuditEvent:
    return record(
        Action.SIGNED_OFF,
        actor=actor,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Signed off “{assessment.title}” (revision {assessment.revision})",
        data={"revision": assessment.revision, "snapshot_hash": snapshot_hash},
        request=request,
    )


def record_answer_change(
    *, assessment, question_ref: str, actor=None, request=None, old=None, new=None
) -> AuditEvent:
    return record(
        Action.ANSWER_CHANGED,
        actor=actor,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Changed the answer to {question_ref} in “{assessment.title}”",
        data={"question": question_ref, "old": old, "new": new},
        request=request,
    )
