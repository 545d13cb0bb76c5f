"""Changing a password, and resetting a forgotten one by e-mail."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "another-long-passphrase-31"


def test_password_change_keeps_the_session_and_is_audited(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    owner.refresh_from_db()
    assert owner.check_password(NEW)
    assert client.get(reverse("org_members")).status_code == 200
    assert AuditEvent.objects.filter(action="password.changed", actor=owner).exists()


def test_password_change_needs_the_old_password_and_a_strong_new_one(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "old_password" in errors and "new_password2" in errors
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_password_reset_by_email(client, owner, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "OWNER@acme.example"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [owner.email]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    owner.refresh_from_db()
    assert owner.check_password(NEW)
    assert AuditEvent.objects.filter(action="password.reset", actor=owner).exists()
    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert not again.context["validlink"]


def test_password_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []
    assert AuditEvent.objects.filter(action="password.reset_requested").exists()


def test_tampered_reset_link_is_refused(client, owner):
    response = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "set-password"})
    )
    assert response.status_code == 200
    assert not response.context["validlink"]
    assert b"cannot be used" in response.content
