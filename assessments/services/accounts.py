"""Membership workflows: invitations, role changes and removals.

Each function is one transaction and writes its own audit event, so a change and
its record either both happen or neither does.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments.audit import Action, record
from assessments.models import Assessment, Invitation, Membership, Organisation, Role, User

INVITATION_DAYS = 7


class LastOwnerError(ValidationError):
    def __init__(self):
        super().__init__(
            "An organisation needs at least one owner: make someone else an owner first.",
            code="last_owner",
        )


class InvitationInvalid(Exception):
    """An invitation that cannot be used; `reason` is shown to the person holding the link."""

    def __init__(self, reason: str, *, gone: bool = True):
        super().__init__(reason)
        self.reason = reason
        self.gone = gone


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def find_invitation(*, token: str) -> Invitation:
    """The invitation a link points to, if it may still be used.

    Raises InvitationInvalid with `gone=False` for a token that never existed.
    """
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationInvalid("This invitation link is not valid.", gone=False)
    check_usable(invitation)
    return invitation


def check_usable(invitation: Invitation) -> None:
    if invitation.revoked_at is not None:
        raise InvitationInvalid("This invitation was withdrawn by the organisation.")
    if invitation.accepted_at is not None:
        raise InvitationInvalid("This invitation has already been used.")
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("This invitation has expired: ask an owner to invite you again.")


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.", code="invalid_role")


class NoLongerOwnerError(ValidationError):
    def __init__(self):
        super().__init__(
            "You are no longer an owner of this organisation, so nothing was changed.",
            code="not_owner",
        )


def _lock_for_change(*, membership: Membership, actor: User) -> tuple[Membership, set[int]]:
    """Lock the organisation's owner rows, then the target; return (target, owner ids).

    Every membership change takes its row locks in this one order (owners by id, then the
    target), so two changes in one organisation queue behind each other instead of
    deadlocking. Once the locks are held the facts are re-read: the target may have been
    removed, and the actor may have stopped being an owner, while this request waited.
    """
    owners = set(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.OWNER)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    target = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .filter(pk=membership.pk)
        .first()
    )
    if target is None:
        raise ValidationError("This person is no longer a member.", code="gone")
    if target.role == Role.OWNER:
        owners.add(target.pk)  # promoted after the owners were locked
    if not Membership.objects.filter(pk__in=owners, user=actor).exists():
        raise NoLongerOwnerError()
    return target, owners


@transaction.atomic
def invite(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    invited_by: User,
    limited_to: Iterable[Assessment] | None = None,
    days: int = INVITATION_DAYS,
    base_url: str = "",
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link once the transaction commits.

    Returns the invitation and the raw token (shown nowhere else; only its hash is kept).
    Earlier open invitations of the same address to the same organisation are withdrawn.
    `base_url` (scheme and host, as the inviter reached us) makes the e-mailed link absolute.
    """
    email = User.objects.normalize_email(email).strip().lower()
    _check_role(role)
    limited = list(limited_to or [])
    if limited and role != Role.AUDITOR:
        raise ValidationError("Only auditors can be limited to named assessments.")
    if any(a.organisation_id != organisation.pk for a in limited):
        raise ValidationError("An auditor can only be limited to this organisation's assessments.")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(f"{email} is already a member.", code="already_member")
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=now + timedelta(days=days),
    )
    invitation.limited_to.set(limited)
    record(
        Action.INVITATION_SENT,
        actor=invited_by,
        organisation=organisation,
        target=invitation,
        summary=f"Invited {email} as {invitation.get_role_display()}",
        data={"email": email, "role": role, "limited_to": sorted(str(a.pk) for a in limited)},
    )
    link = invitation_link(token, base_url)
    transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation, token


def invitation_link(token: str, base_url: str = "") -> str:
    path = reverse("invitation_accept", kwargs={"token": token})
    return f"{base_url.rstrip('/')}{path}"


def _send_invitation(invitation: Invitation, link: str) -> None:
    context = {"invitation": invitation, "link": link}
    send_mail(
        subject=f"You are invited to {invitation.organisation.name} on Scorecard",
        message=render_to_string("accounts/invitation_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )


def _locked_invitation(invitation: Invitation) -> Invitation:
    # Re-read under the lock: what the caller holds may be stale by the time the lock is ours.
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Join the organisation as the invited role. The link works once."""
    invitation = _locked_invitation(invitation)
    check_usable(invitation)
    if user.email.lower() != invitation.email.lower():
        raise InvitationInvalid(
            f"This invitation was sent to {invitation.email}, not to your account.", gone=False
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if created and membership.role == Role.AUDITOR:
        membership.limited_to.set(invitation.limited_to.all())
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        Action.INVITATION_ACCEPTED,
        actor=user,
        organisation=invitation.organisation,
        target=invitation,
        summary=f"{user.email} joined as {membership.get_role_display()}",
        data={"role": membership.role, "new_member": created},
    )
    return membership


@transaction.atomic
def register_and_accept(
    *,
    invitation: Invitation,
    password: str,
    full_name: str = "",
) -> User:
    """Create the account an invitation was sent to, then accept the invitation.

    The invitation row is locked before the account is looked for: two people using one
    link at once queue here, and the second finds it used rather than a duplicate e-mail.
    """
    invitation = _locked_invitation(invitation)
    check_usable(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationInvalid(
            "An account with this e-mail address exists: log in to accept.", gone=False
        )
    user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
    accept_invitation(invitation=invitation, user=user)
    return user


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation was already accepted.", code="accepted")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record(
            Action.INVITATION_REVOKED,
            actor=actor,
            organisation=invitation.organisation,
            target=invitation,
            summary=f"Withdrew the invitation of {invitation.email}",
            data={"email": invitation.email, "role": invitation.role},
        )
    return invitation


@transaction.atomic
def change_role(
    *,
    membership: Membership,
    role: str,
    actor: User,
    limited_to: Iterable[Assessment] | None = None,
) -> Membership:
    """Give a member another role; `limited_to` (assessments) applies to auditors only."""
    _check_role(role)
    membership, owners = _lock_for_change(membership=membership, actor=actor)
    old_role = membership.role
    if old_role == Role.OWNER and role != Role.OWNER and len(owners) <= 1:
        raise LastOwnerError()
    limited = list(limited_to or []) if role == Role.AUDITOR else []
    foreign = [a for a in limited if a.organisation_id != membership.organisation_id]
    if foreign:
        raise ValidationError("An auditor can only be limited to this organisation's assessments.")
    old_limited = sorted(str(pk) for pk in membership.limited_to.values_list("pk", flat=True))
    membership.role = role
    membership.save(update_fields=["role"])
    membership.limited_to.set(limited)
    new_limited = sorted(str(a.pk) for a in limited)
    if old_role != role or old_limited != new_limited:
        record(
            Action.ROLE_CHANGED,
            actor=actor,
            organisation=membership.organisation,
            target=membership,
            summary=f"{membership.user.email}: {old_role} → {role}",
            data={
                "email": membership.user.email,
                "old_role": old_role,
                "new_role": role,
                "old_limited_to": old_limited,
                "new_limited_to": new_limited,
            },
        )
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, actor: User) -> None:
    membership, owners = _lock_for_change(membership=membership, actor=actor)
    if membership.role == Role.OWNER and len(owners) <= 1:
        raise LastOwnerError()
    email, role, organisation = membership.user.email, membership.role, membership.organisation
    record(
        Action.MEMBER_REMOVED,
        actor=actor,
        organisation=organisation,
        target=membership,
        summary=f"Removed {email} ({role})",
        data={"email": email, "role": role},
    )
    membership.delete()
