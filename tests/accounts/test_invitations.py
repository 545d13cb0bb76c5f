"""Invitations: an owner invites by e-mail; the link works once, expires, and can be withdrawn."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import AuditEvent, Invitation, Membership, User
from assessments.services import accounts as service
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-77"


def send_invitation(client, owner, email="new@acme.example", role="assessor", capture=None):
    client.force_login(owner)
    with capture(execute=True):
        return client.post(reverse("invite"), {"email": email, "role": role})


def link_from(message) -> str:
    match = re.search(r"http://testserver(/invitations/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_owner_invites_by_email_and_only_the_token_hash_is_stored(
    client, owner, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    response = send_invitation(client, owner, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new@acme.example")
    assert invitation.organisation == organisation and invitation.role == "assessor"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["new@acme.example"]
    path = link_from(mailoutbox[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert abs(invitation.expires_at - invitation.created_at - timedelta(days=7)) < timedelta(
        seconds=5
    )
    assert AuditEvent.objects.filter(action="invitation.sent", organisation=organisation).exists()


def test_invitee_without_account_sets_password_and_joins(
    client, owner, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    send_invitation(client, owner, capture=django_capture_on_commit_callbacks)
    path = link_from(mailoutbox[0])
    client.logout()
    assert client.get(path).status_code == 200
    response = client.post(
        path, {"full_name": "Nia New", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@acme.example")
    assert user.check_password(NEW_PASSWORD) and user.full_name == "Nia New"
    assert Membership.objects.get(user=user, organisation=organisation).role == "assessor"
    assert client.get(reverse("org_members")).status_code == 200  # logged in as the new user
    assert AuditEvent.objects.filter(action="invitation.accepted", actor=user).exists()


def test_link_works_only_once(client, owner, mailoutbox, django_capture_on_commit_callbacks):
    send_invitation(client, owner, capture=django_capture_on_commit_callbacks)
    path = link_from(mailoutbox[0])
    client.logout()
    client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert b"already been used" in response.content
    assert User.objects.filter(email="new@acme.example").count() == 1


def test_expired_invitation_is_refused_and_changes_nothing(
    client, owner, mailoutbox, django_capture_on_commit_callbacks
):
    send_invitation(client, owner, capture=django_capture_on_commit_callbacks)
    path = link_from(mailoutbox[0])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.logout()
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert b"expired" in response.content
    assert not User.objects.filter(email="new@acme.example").exists()


def test_revoked_invitation_is_refused(
    client, owner, mailoutbox, django_capture_on_commit_callbacks
):
    send_invitation(client, owner, capture=django_capture_on_commit_callbacks)
    path = link_from(mailoutbox[0])
    invitation = Invitation.objects.get()
    response = client.post(reverse("invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action="invitation.revoked").exists()
    client.logout()
    response = client.get(path)
    assert response.status_code == 410 and b"withdrawn" in response.content


def test_made_up_token_is_404(client, owner):
    response = client.get(reverse("invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert b"not valid" in response.content


def test_existing_account_is_asked_to_log_in_then_joins(
    client, owner, organisation, other_organisation, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import make_member

    existing = make_member(other_organisation, "viewer", "consultant@example.org")
    send_invitation(
        client,
        owner,
        email="Consultant@Example.org",
        role="auditor",
        capture=django_capture_on_commit_callbacks,
    )
    path = link_from(mailoutbox[0])
    client.logout()
    response = client.get(path)
    assert response.status_code == 200 and b"Log in to accept" in response.content
    response = client.post(path, {"password1": "x", "password2": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert existing.check_password(PASSWORD)  # nobody could set the password from the link

    client.force_login(existing)
    response = client.post(path)
    assert response.status_code == 302
    roles = dict(Membership.objects.filter(user=existing).values_list("organisation__slug", "role"))
    assert roles == {"acme": "auditor", "globex": "viewer"}
    # Joining makes the new organisation the current one.
    assert client.session["organisation_id"] == organisation.pk


def test_logged_in_as_someone_else_is_refused_and_changes_nothing(
    client, owner, viewer, mailoutbox, django_capture_on_commit_callbacks
):
    send_invitation(client, owner, capture=django_capture_on_commit_callbacks)
    path = link_from(mailoutbox[0])
    client.force_login(viewer)
    response = client.post(path)
    assert response.status_code == 403
    assert b"this invitation is for new@acme.example" in response.content
    assert Invitation.objects.get().accepted_at is None
    assert Membership.objects.get(user=viewer).role == "viewer"


@pytest.mark.parametrize("role", ["superuser", "admin", "", "OWNER"])
def test_invitation_with_a_role_that_does_not_exist_is_refused(client, owner, role):
    client.force_login(owner)
    response = client.post(reverse("invite"), {"email": "new@acme.example", "role": role})
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert not Invitation.objects.exists()


def test_inviting_a_member_again_is_refused(client, owner, viewer):
    client.force_login(owner)
    response = client.post(reverse("invite"), {"email": viewer.email, "role": "owner"})
    assert "already a member" in str(response.context["form"].errors["email"])
    assert not Invitation.objects.exists()


def test_inviting_again_withdraws_the_earlier_link(owner, organisation):
    first, _ = service.invite(
        organisation=organisation, email="new@acme.example", role="viewer", invited_by=owner
    )
    second, _ = service.invite(
        organisation=organisation, email="new@acme.example", role="assessor", invited_by=owner
    )
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None


@pytest.mark.parametrize("persona", ["assessor", "viewer", "auditor"])
def test_only_owners_invite(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("invite"), {"email": "new@acme.example", "role": "owner"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_owner_cannot_withdraw_another_organisations_invitation(client, owner, outsider):
    invitation, _ = service.invite(
        organisation=owner.memberships.get().organisation,
        email="new@acme.example",
        role="viewer",
        invited_by=owner,
    )
    client.force_login(outsider)
    response = client.post(reverse("invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_new_account_password_must_pass_the_validators(
    client, owner, mailoutbox, django_capture_on_commit_callbacks
):
    send_invitation(client, owner, capture=django_capture_on_commit_callbacks)
    path = link_from(mailoutbox[0])
    client.logout()
    response = client.post(path, {"password1": "password", "password2": "password"})
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(email="new@acme.example").exists()
    assert Invitation.objects.get().accepted_at is None


def test_existing_user_is_not_created_twice_even_without_a_form(owner, organisation):
    invitation, _ = service.invite(
        organisation=organisation, email="dup@example.org", role="viewer", invited_by=owner
    )
    make_user("dup@example.org")
    with pytest.raises(service.InvitationInvalid):
        service.register_and_accept(invitation=invitation, password=NEW_PASSWORD)
    assert User.objects.filter(email="dup@example.org").count() == 1


def test_invited_auditor_limited_to_one_assessment_sees_only_that_one(
    client, owner, organisation, framework, mailoutbox, django_capture_on_commit_callbacks
):
    from assessments.access import visible_assessments
    from tests.factories import make_assessment

    named = make_assessment(organisation, framework, title="Named system")
    make_assessment(organisation, framework, title="Other system")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invite"),
            {"email": "ext@audit.example", "role": "auditor", "limited_to": [str(named.pk)]},
        )
    assert response.status_code == 302
    path = link_from(mailoutbox[0])
    client.logout()
    client.post(path, {"full_name": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    auditor = User.objects.get(email="ext@audit.example")
    assert list(visible_assessments(auditor)) == [named]


def test_invitation_limited_to_another_organisations_assessment_is_refused(
    client, owner, other_organisation, framework
):
    from tests.factories import make_assessment

    foreign = make_assessment(other_organisation, framework, title="Not yours")
    client.force_login(owner)
    response = client.post(
        reverse("invite"),
        {"email": "ext@audit.example", "role": "auditor", "limited_to": [str(foreign.pk)]},
    )
    assert response.status_code == 200
    assert "limited_to" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_only_auditor_invitations_can_be_limited(client, owner, organisation, framework):
    from tests.factories import make_assessment

    named = make_assessment(organisation, framework)
    client.force_login(owner)
    response = client.post(
        reverse("invite"),
        {"email": "new@acme.example", "role": "viewer", "limited_to": [str(named.pk)]},
    )
    assert response.status_code == 200
    assert "Only auditors" in str(response.context["form"].errors["limited_to"])
    assert not Invitation.objects.exists()
    with pytest.raises(ValidationError):
        service.invite(
            organisation=organisation,
            email="new@acme.example",
            role="viewer",
            invited_by=owner,
            limited_to=[named],
        )
    assert not Invitation.objects.exists()
