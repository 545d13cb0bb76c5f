"""Who acted and from where comes from the audit context, not from arguments.

The middleware sets it for each request, management commands and tasks set it themselves,
so services record the right actor and address without ever seeing an HttpRequest.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import audit
from assessments.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_event_outside_any_context_has_no_actor_and_no_address(organisation):
    event = audit.record("assessment.exported", organisation=organisation, summary="x")
    assert (event.actor, event.actor_email, event.ip_address) == (None, "", None)
    assert "via" not in event.data


def test_acting_as_attributes_events_to_the_actor_and_address(organisation, owner):
    with audit.acting_as(owner, ip_address="192.0.2.7", via="web"):
        event = audit.record("assessment.exported", organisation=organisation)
    assert (event.actor, event.actor_email, event.ip_address) == (owner, owner.email, "192.0.2.7")
    assert "via" not in event.data  # web requests are the ordinary case


def test_the_context_ends_with_its_block(organisation, owner):
    with audit.acting_as(owner, ip_address="192.0.2.7"):
        pass
    event = audit.record("assessment.exported", organisation=organisation)
    assert event.actor is None and event.ip_address is None


def test_an_anonymous_context_user_is_not_recorded_as_actor(organisation):
    from django.contrib.auth.models import AnonymousUser

    with audit.acting_as(AnonymousUser(), ip_address="192.0.2.8"):
        event = audit.record("login.failed", organisation=organisation)
    assert event.actor is None and event.ip_address == "192.0.2.8"


def test_an_explicit_actor_wins_over_the_context(organisation, owner, assessor):
    with audit.acting_as(owner):
        event = audit.record("login", actor=assessor, organisation=organisation)
    assert event.actor == assessor


def test_a_web_request_records_the_signed_in_user_and_client_address(client, owner, assessment):
    client.force_login(owner)
    response = client.get(
        reverse("assessment_export", kwargs={"assessment_id": assessment.pk, "fmt": "csv"}),
        REMOTE_ADDR="198.51.100.23",
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="report.export", target_id=str(assessment.pk))
    assert (event.actor, event.ip_address) == (owner, "198.51.100.23")


def test_a_management_command_marks_its_events_with_its_name(tmp_path, assessment):
    out = tmp_path / "a.json"
    call_command("export_assessment", str(assessment.pk), "--output", str(out))
    assert json.loads(out.read_text())  # a document was written
    call_command("import_assessment", str(out), "--organisation", assessment.organisation.slug)
    imported = AuditEvent.objects.filter(data__via="command:import_assessment")
    assert imported.count() >= 1
    assert all(event.actor is None and event.ip_address is None for event in imported)


def _export(client, assessment, **headers):
    url = reverse("assessment_export", kwargs={"assessment_id": assessment.pk, "fmt": "csv"})
    assert client.get(url, **headers).status_code == 200
    return AuditEvent.objects.filter(action="report.export").latest("pk")


def test_a_forwarded_address_is_ignored_when_no_proxy_is_configured(client, owner, assessment):
    client.force_login(owner)
    event = _export(client, assessment, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert event.ip_address == "10.0.0.5"


def test_behind_a_balancer_the_audit_log_records_the_forwarded_client(
    client, owner, assessment, settings
):
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    client.force_login(owner)
    event = _export(client, assessment, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert event.ip_address == "203.0.113.9"
