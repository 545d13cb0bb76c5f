"""Writing to the audit log. Reading it happens in the audit log view.

Who acted and from where comes from a small context, not from the caller: the
middleware sets it for every request, management commands and Celery tasks set it
with `acting_as`. Services therefore never take an `HttpRequest` just to audit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from axes.helpers import get_client_ip_address

from assessments.models import AuditEvent


@dataclass(frozen=True)
class AuditContext:
    """The actor (a user, possibly anonymous or lazy), their address and the channel."""

    actor: object = None
    ip_address: str | None = None
    # "web" for requests; "command:<name>" and "task:<name>" elsewhere.
    via: str = ""


_EMPTY = AuditContext()
_current: ContextVar[AuditContext] = ContextVar("audit_context", default=_EMPTY)


def current() -> AuditContext:
    return _current.get()


@contextmanager
def acting_as(actor=None, *, ip_address: str | None = None, via: str = "") -> Iterator[None]:
    """Everything recorded inside the block is attributed to `actor` (or to nobody)."""
    token = _current.set(AuditContext(actor=actor, ip_address=ip_address, via=via))
    try:
        yield
    finally:
        _current.reset(token)


def client_ip(request) -> str | None:
    """The client's address as the lockout sees it, so both agree behind a load balancer
    (the AXES_IPWARE_* settings say which forwarded header to trust, if any)."""
    if request is None:
        return None
    return get_client_ip_address(request) or None


class AuditContextMiddleware:
    """Sets the audit context for the request: the (lazy) user and the client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None), ip_address=client_ip(request), via="web"):
            return self.get_response(request)


def _authenticated(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def record(
    action: str,
    *,
    actor=None,
    organisation=None,
    target=None,
    summary: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one event. `actor` overrides the context's (used for log in / log out)."""
    context = current()
    who = _authenticated(actor) or _authenticated(context.actor)
    data = dict(data or {})
    if context.via and context.via != "web":
        data.setdefault("via", context.via)
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=who,
        actor_email=getattr(who, "email", "") or getattr(actor, "email", "") or "",
        action=action,
        target_type=type(target).__name__.lower() if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:500],
        data=data,
        ip_address=context.ip_address,
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


def record_export(*, assessment, fmt: str, actor=None) -> AuditEvent:
    return record(
        Action.EXPORTED,
        actor=actor,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Exported “{assessment.title}” as {fmt}",
        data={"format": fmt, "revision": assessment.revision},
    )


def record_finalise(*, assessment, actor=None) -> AuditEvent:
    return record(
        Action.FINALISED,
        actor=actor,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Finalised “{assessment.title}” (revision {assessment.revision})",
        data={"revision": assessment.revision},
    )


def record_signoff(*, assessment, actor=None, snapshot_hash: str = "") -> AuditEvent:
    return record(
        Action.SIGNED_OFF,
        actor=actor,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Signed off “{assessment.title}” (revision {assessment.revision})",
        data={"revision": assessment.revision, "snapshot_hash": snapshot_hash},
    )


def record_answer_change(
    *, assessment, question_ref: str, actor=None, old=None, new=None
) -> AuditEvent:
    return record(
        Action.ANSWER_CHANGED,
        actor=actor,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Changed the answer to {question_ref} in “{assessment.title}”",
        data={"question": question_ref, "old": old, "new": new},
    )
