"""Every guard rule is installed in the database the suite runs on, as the code renders it;
and emptying the whole database (flush) still works."""

import pytest
from django.core.management import call_command
from django.db import connection

from assessments.models import AuditEvent, ScoreSnapshot
from scorecard.models import Domain, Framework, FrameworkStatus, triggers
from tests.factories import make_framework
from tests.guarantees.conftest import CATALOG_REFUSED, raw, refused, table


def installed_sqlite() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        return dict(cursor.fetchall())


def installed_postgres() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db
def test_every_rule_is_installed_as_rendered():
    assert len(triggers.REGISTERED) == 14 + 1 + 1 + 6 + 1 + 1 + 2
    if connection.vendor == "sqlite":
        stored = installed_sqlite()
        expected = {}
        for app in ("scorecard", "assessments"):
            for name, sql in zip(
                triggers.sqlite_names(app), triggers.sqlite_statements(app), strict=True
            ):
                expected[name] = sql
        # A rule changed in code without a new migration shows up here.
        assert {name: stored.get(name) for name in expected} == expected
    else:
        names = installed_postgres()
        wanted = {
            triggers.pg_trigger(rule, model).get_pgid(model) for rule, model in triggers.REGISTERED
        }
        assert wanted <= names


@pytest.mark.django_db(transaction=True)
def test_flushing_the_database_still_empties_the_protected_tables():
    framework = make_framework(slug="flushed")
    assert framework.status == FrameworkStatus.PUBLISHED
    call_command("flush", interactive=False, verbosity=0)
    assert not Framework.objects.exists() and not Domain.objects.exists()
    assert not AuditEvent.objects.exists() and not ScoreSnapshot.objects.exists()
    # ... and the guards are back on afterwards.
    again = make_framework(slug="after-flush")
    with refused(CATALOG_REFUSED):
        raw(f"DELETE FROM {table(Domain)} WHERE framework_id = %s", [again.pk])  # noqa: S608
    assert Domain.objects.filter(framework=again).count() == 2
