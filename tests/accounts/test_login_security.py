"""Logging in: brute-force lockout with a cool-off, session limits, and the audit trail."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from assessments.middleware import SESSION_STARTED
from assessments.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, email, password=PASSWORD, ip="192.0.2.10"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def fail_until_locked(client, email, settings, ip="192.0.2.10"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, email, "wrong-password", ip=ip)


def test_login_and_logout_are_audited(client, owner):
    response = log_in(client, owner.email)
    assert response.status_code == 302
    login = AuditEvent.objects.get(action="login")
    assert login.actor == owner and login.ip_address == "192.0.2.10"
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="logout", actor=owner).exists()


def test_failed_login_is_audited_without_the_password(client, owner):
    response = log_in(client, owner.email, "wrong-password")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="login.failed")
    assert event.actor is None and event.data["email"] == owner.email
    assert event.target_id == str(owner.pk)
    assert "wrong-password" not in str(event.data) + event.summary


def test_lockout_after_repeated_failures_shows_a_clear_message(client, owner, settings):
    fail_until_locked(client, owner.email, settings)
    response = log_in(client, owner.email)  # the right password no longer helps
    assert response.status_code == 429
    assert b"Login temporarily blocked" in response.content
    assert b"Try again in 15 minutes" in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.failed", data__locked_out=True).exists()


def test_lockout_is_per_username_and_address(client, owner, viewer, settings):
    fail_until_locked(client, owner.email, settings)
    assert log_in(client, owner.email, ip="198.51.100.7").status_code == 302
    client.post(reverse("logout"))
    assert log_in(client, viewer.email).status_code == 302


def test_lockout_ends_after_the_cool_off(client, owner, settings):
    fail_until_locked(client, owner.email, settings)
    assert log_in(client, owner.email).status_code == 429
    # Age the failures past the cool-off, as if 16 minutes had gone by.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = log_in(client, owner.email)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code in {200, 302}
    assert int(client.session["_auth_user_id"]) == owner.pk


def test_success_before_the_limit_resets_the_count(client, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, owner.email, "wrong-password")
    assert log_in(client, owner.email).status_code == 302
    client.post(reverse("logout"))
    log_in(client, owner.email, "wrong-password")
    assert log_in(client, owner.email).status_code == 302


def test_session_ends_after_the_absolute_lifetime(client, owner, settings):
    client.force_login(owner)
    assert client.get(reverse("org_members")).status_code == 200
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("org_members"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    event = AuditEvent.objects.get(action="logout", actor=owner)
    assert event.data == {"expired": True}


def test_session_in_use_is_kept_within_the_absolute_lifetime(client, owner, settings):
    client.force_login(owner)
    client.get(reverse("org_members"))
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS + 60
    session.save()
    assert client.get(reverse("org_members")).status_code == 200


def test_idle_session_expires(client, owner, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(owner)
    response = client.get(reverse("org_members"))
    assert response.cookies["sessionid"]["max-age"] == 30 * 60  # renewed on each request
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("org_members"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_login_page_links_to_password_reset(client):
    response = client.get(reverse("login"))
    assert reverse("password_reset").encode() in response.content
