"""The audit log page: owners and auditors read it, paged and filtered; nobody edits it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import audit
from assessments.models import AuditEvent
from assessments.views.organisation import AUDIT_PAGE_SIZE
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db


def events(organisation, count, action="assessment.exported", target=None):
    for i in range(count):
        audit.record(action, organisation=organisation, target=target, summary=f"event {i}")


@pytest.mark.parametrize("persona", ["owner", "auditor"])
def test_owners_and_auditors_read_their_organisations_log(client, request, persona, organisation):
    events(organisation, 2)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("audit_log"))
    assert response.status_code == 200
    assert response.content.count(b"assessment.exported") >= 2


@pytest.mark.parametrize("persona", ["viewer", "assessor"])
def test_other_roles_cannot_read_the_log(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("audit_log")).status_code == 403


def test_log_shows_only_the_current_organisation(client, owner, organisation, other_organisation):
    audit.record("assessment.exported", organisation=other_organisation, summary="globex secret")
    events(organisation, 1)
    client.force_login(owner)
    response = client.get(reverse("audit_log"))
    assert b"globex secret" not in response.content


def test_log_is_paginated(client, owner, organisation, django_assert_max_num_queries):
    events(organisation, AUDIT_PAGE_SIZE + 5)
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("audit_log"))
    assert len(first.context["page"].object_list) == AUDIT_PAGE_SIZE
    second = client.get(reverse("audit_log"), {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert b"Page 2 of 2" in second.content


def test_log_query_count_does_not_grow_with_the_log(client, owner, organisation):
    events(organisation, 5)
    client.force_login(owner)
    client.get(reverse("audit_log"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("audit_log"))
    events(organisation, 40)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("audit_log"))
    assert len(large) == len(small)


def test_log_filters_by_action(client, owner, organisation):
    events(organisation, 3, action="assessment.exported")
    events(organisation, 2, action="assessment.finalised")
    client.force_login(owner)
    response = client.get(reverse("audit_log"), {"action": "assessment.finalised"})
    assert response.status_code == 200
    assert {e.action for e in response.context["page"].object_list} == {"assessment.finalised"}
    assert len(response.context["page"].object_list) == 2


def test_unknown_action_filter_is_a_clear_error(client, owner, organisation):
    events(organisation, 1)
    client.force_login(owner)
    response = client.get(reverse("audit_log"), {"action": "drop table"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not response.context["page"].object_list


def test_limited_auditor_sees_only_events_of_their_assessments(
    client, owner, auditor, organisation, framework
):
    named = make_assessment(organisation, framework, title="Named")
    hidden = make_assessment(organisation, framework, title="Hidden")
    auditor.memberships.get().limited_to.add(named)
    audit.record_export(assessment=named, fmt="pdf", actor=owner)
    audit.record_export(assessment=hidden, fmt="pdf", actor=owner)
    events(organisation, 1, action="member.removed")
    client.force_login(auditor)
    shown = client.get(reverse("audit_log")).context["page"].object_list
    assert [e.target_id for e in shown] == [str(named.pk)]


def test_the_log_cannot_be_edited(organisation):
    event = audit.record("login", organisation=organisation)
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(summary="changed")


def test_helpers_record_events_about_an_assessment(owner, assessment):
    audit.record_export(assessment=assessment, fmt="xlsx", actor=owner)
    audit.record_finalise(assessment=assessment, actor=owner)
    audit.record_signoff(assessment=assessment, actor=owner, snapshot_hash="abc")
    audit.record_answer_change(
        assessment=assessment, question_ref="D1-C1.q1", actor=owner, old=None, new={"value": 1}
    )
    recorded = AuditEvent.objects.filter(target_type="assessment", target_id=str(assessment.pk))
    assert set(recorded.values_list("action", flat=True)) == {
        audit.Action.EXPORTED,
        audit.Action.FINALISED,
        audit.Action.SIGNED_OFF,
        audit.Action.ANSWER_CHANGED,
    }
    assert all(e.organisation_id == assessment.organisation_id for e in recorded)
    assert all(e.actor_email == owner.email for e in recorded)
