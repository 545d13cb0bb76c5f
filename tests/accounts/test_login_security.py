"""Logging in: brute-force lockout with a cool-off, session limits, and the audit trail."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db.models import F
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


def test_other_accounts_from_the_same_address_are_not_locked(client, owner, viewer, settings):
    fail_until_locked(client, owner.email, settings)
    assert log_in(client, owner.email).status_code == 429
    assert log_in(client, viewer.email).status_code == 302


SPELLINGS = [
    "owner@acme.example",
    "OWNER@ACME.EXAMPLE",
    "Owner@Acme.Example",
    " owner@acme.example",
    "owner@ACME.example ",
    "oWnEr@acme.EXAMPLE",
]


def test_every_spelling_of_an_address_shares_one_counter(client, owner, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = [log_in(client, email, "wrong-password").status_code for email in SPELLINGS[:4]]
    assert statuses == [200, 200, 200, 200]
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("owner@acme.example", 4)
    ]
    # The fifth failure, in a fifth spelling, reaches the limit of five.
    assert log_in(client, SPELLINGS[4], "wrong-password").status_code == 429
    for email in SPELLINGS:  # now no spelling gets in, not even with the right password
        assert log_in(client, email).status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_accepts_any_capitalisation_of_the_address(client, owner):
    assert log_in(client, "  OWNER@Acme.EXAMPLE ").status_code == 302
    assert int(client.session["_auth_user_id"]) == owner.pk


def test_a_success_in_any_spelling_clears_the_one_counter(client, owner, settings):
    for email in SPELLINGS[1:5]:
        log_in(client, email, "wrong-password")
    assert AccessAttempt.objects.get().failures_since_start == 4
    # The account has one counter, so a success under a sixth spelling clears it all...
    assert log_in(client, SPELLINGS[5]).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.post(reverse("logout"))
    # ... and the count starts again from nothing: four more failures do not lock.
    for email in SPELLINGS[:4]:
        assert log_in(client, email, "wrong-password").status_code == 200
    assert log_in(client, SPELLINGS[4]).status_code == 302


ADDRESSES = ["192.0.2.1", "192.0.2.2", "198.51.100.3", "198.51.100.4", "203.0.113.5"]


def test_failures_spread_over_addresses_lock_the_account_everywhere(client, owner, settings):
    for ip in ADDRESSES[:4]:
        assert log_in(client, owner.email, "wrong-password", ip=ip).status_code == 200
    assert log_in(client, owner.email, "wrong-password", ip=ADDRESSES[4]).status_code == 429
    # Five failures from five addresses: the account is locked from any address, new or not.
    for ip in [*ADDRESSES, "2001:db8::1"]:
        assert log_in(client, owner.email, ip=ip).status_code == 429
    assert AuditEvent.objects.filter(action="login", actor=owner).count() == 0


def test_another_account_from_those_addresses_still_logs_in(client, owner, viewer, settings):
    for ip in ADDRESSES:
        log_in(client, owner.email, "wrong-password", ip=ip)
    for ip in ADDRESSES:
        assert log_in(client, viewer.email, ip=ip).status_code == 302
        client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="login", actor=viewer).count() == 5


def test_account_locked_from_many_addresses_opens_after_the_cool_off(client, owner, settings):
    for ip in ADDRESSES:
        log_in(client, owner.email, "wrong-password", ip=ip)
    response = log_in(client, owner.email, ip="192.0.2.99")
    assert response.status_code == 429
    assert b"Login temporarily blocked" in response.content
    assert b"owner@acme.example" in response.content
    assert b"Try again in 15 minutes" in response.content
    locked = AuditEvent.objects.filter(action="login.failed", data__locked_out=True)
    assert locked.count() == 2  # the fifth failure and the attempt while locked
    assert locked.first().target_id == str(owner.pk)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, owner.email, ip="192.0.2.99").status_code == 302
    assert int(client.session["_auth_user_id"]) == owner.pk


def test_forwarded_for_is_ignored_unless_a_proxy_is_configured(client, owner, settings):
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)
    client.post(
        reverse("login"),
        {"username": owner.email, "password": "wrong-password"},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="203.0.113.77",
    )
    assert AccessAttempt.objects.get().ip_address == "192.0.2.10"


def test_behind_a_balancer_the_forwarded_client_address_is_counted(client, owner, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    for client_ip in ["203.0.113.77", "198.51.100.8"]:
        client.post(
            reverse("login"),
            {"username": owner.email, "password": "wrong-password"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=client_ip,
        )
    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses == {"203.0.113.77", "198.51.100.8"}


def test_lockout_ends_after_the_cool_off(client, owner, settings):
    fail_until_locked(client, owner.email, settings)
    assert log_in(client, owner.email).status_code == 429
    # Age the failures past the cool-off, as if 16 minutes had gone by.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = log_in(client, owner.email)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code in {200, 302}
    assert int(client.session["_auth_user_id"]) == owner.pk


def test_an_attempt_during_the_lockout_starts_the_wait_again(client, owner, settings):
    fail_until_locked(client, owner.email, settings)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10))
    assert log_in(client, owner.email).status_code == 429  # 10 of 15 minutes: still locked
    # Six more minutes: 16 since the failures, but only 6 since the last attempt.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=6))
    assert log_in(client, owner.email).status_code == 429


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


def _check_with(repo_dir, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AXES_"))}
    environ.pop("DATABASE_URL", None)
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=repo_dir,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "AXES_IPWARE_PROXY_COUNT",
            "two",
            "AXES_IPWARE_PROXY_COUNT='two': expected a whole number",
        ),
        (
            "AXES_IPWARE_PROXY_COUNT",
            "-1",
            "AXES_IPWARE_PROXY_COUNT='-1': expected a whole number >= 0",
        ),
        (
            "AXES_IPWARE_META_PRECEDENCE_ORDER",
            "X-Forwarded-For,REMOTE_ADDR",
            "AXES_IPWARE_META_PRECEDENCE_ORDER='X-Forwarded-For,REMOTE_ADDR': "
            "expected request META keys such as HTTP_X_FORWARDED_FOR,REMOTE_ADDR",
        ),
        ("AXES_FAILURE_LIMIT", "0", "AXES_FAILURE_LIMIT='0': expected a whole number >= 1"),
        ("AXES_COOLOFF_MINUTES", "soon", "AXES_COOLOFF_MINUTES='soon': expected a whole number"),
    ],
)
def test_bad_lockout_setting_stops_startup_with_one_line(repo_dir, variable, value, message):
    result = _check_with(repo_dir, **{variable: value})
    assert result.returncode == 2
    assert result.stderr.strip() == f"Configuration error: {message}"


def test_proxy_settings_are_read_from_the_environment(repo_dir):
    code = (
        "from django.conf import settings as s; "
        "print(s.AXES_IPWARE_PROXY_COUNT, s.AXES_IPWARE_META_PRECEDENCE_ORDER)"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AXES_"))}
    environ.pop("DATABASE_URL", None)
    environ["AXES_IPWARE_PROXY_COUNT"] = "1"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=repo_dir,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "1 ('HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR')", (
        result.stderr
    )
