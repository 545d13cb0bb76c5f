"""Audit records of authentication events (Django's auth signals; no business logic here)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from assessments.audit import Action, record
from assessments.models import User


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs):
    record(Action.LOGIN, actor=user, target=user, summary="Logged in")


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is None:
        return
    expired = bool(getattr(request, "session_expired", False))
    record(
        Action.LOGOUT,
        actor=user,
        target=user,
        summary="Session expired" if expired else "Logged out",
        data={"expired": expired},
    )


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password masked by Django; only the attempted e-mail is kept.
    attempted = str(credentials.get("username") or credentials.get("email") or "")[:254]
    target = User.objects.filter(email__iexact=attempted).first() if attempted else None
    locked = bool(getattr(request, "axes_locked_out", False))
    record(
        Action.LOGIN_FAILED,
        target=target,
        summary=f"Failed login for {attempted or 'an empty e-mail'}"
        + (" (locked out)" if locked else ""),
        data={"email": attempted, "locked_out": locked},
    )
