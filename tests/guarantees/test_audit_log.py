"""The audit log is append-only below the ORM too: no event is changed or deleted. Deleting
a user only clears the link to them; the e-mail recorded with the event stays."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from assessments import audit
from assessments.models import AuditEvent
from tests.guarantees.conftest import AUDIT_REFUSED, raw, refused, row_of, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(organisation, owner):
    return audit.record(
        "assessment.finalised", actor=owner, organisation=organisation, summary="Finalised X"
    )


def test_raw_update_of_an_event_is_refused(event):
    before = row_of(AuditEvent, event.pk)
    with refused(AUDIT_REFUSED):
        raw(f"UPDATE {table(AuditEvent)} SET summary = 'Nothing' WHERE id = %s", [event.pk])  # noqa: S608
    with refused(AUDIT_REFUSED):
        raw(f"UPDATE {table(AuditEvent)} SET actor_email = '' WHERE id = %s", [event.pk])  # noqa: S608
    assert row_of(AuditEvent, event.pk) == before


def test_raw_delete_of_an_event_is_refused(event):
    with refused(AUDIT_REFUSED):
        raw(f"DELETE FROM {table(AuditEvent)} WHERE id = %s", [event.pk])  # noqa: S608
    with refused(AUDIT_REFUSED):
        raw(f"DELETE FROM {table(AuditEvent)}")  # noqa: S608
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_orm_writes_to_an_event_are_refused(event):
    before = row_of(AuditEvent, event.pk)
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(summary="Nothing")
    with refused(AUDIT_REFUSED):
        AuditEvent._base_manager.filter(pk=event.pk).update(summary="Nothing")
    with refused(AUDIT_REFUSED):
        AuditEvent._base_manager.filter(pk=event.pk).delete()
    assert row_of(AuditEvent, event.pk) == before


def test_deleting_the_actor_clears_the_link_and_keeps_their_address(event, owner):
    before = row_of(AuditEvent, event.pk)
    assert before["actor_id"] == owner.pk and before["actor_email"] == "owner@acme.example"
    owner.delete()
    after = row_of(AuditEvent, event.pk)
    assert after == {**before, "actor_id": None}


def test_clearing_the_actor_while_changing_anything_else_is_refused(event):
    before = row_of(AuditEvent, event.pk)
    with refused(AUDIT_REFUSED):
        raw(
            f"UPDATE {table(AuditEvent)} SET actor_id = NULL, summary = 'x' WHERE id = %s",  # noqa: S608
            [event.pk],
        )
    assert row_of(AuditEvent, event.pk) == before


def test_target_id_is_indexed(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, AuditEvent._meta.db_table)
    assert any(c["index"] and c["columns"] == ["target_id"] for c in constraints.values())
