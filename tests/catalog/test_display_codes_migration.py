"""Migration 0006 fills display codes for catalogs stored before codes existed, published
ones included, and leaves the locking triggers of the rebuilt tables in place."""

import pytest
from django.db import IntegrityError, connection

from tests.catalog.migration_helpers import migrate_to, migrate_to_latest

BEFORE = [("scorecard", "0005_sqlite_guards")]
AFTER = [("scorecard", "0006_display_codes")]


@pytest.fixture
def old_catalog(transactional_db):
    """A published framework written with the schema of 0005 (no codes)."""
    apps = migrate_to(BEFORE)
    Framework = apps.get_model("scorecard", "Framework")
    Domain = apps.get_model("scorecard", "Domain")
    Control = apps.get_model("scorecard", "Control")
    Question = apps.get_model("scorecard", "Question")
    framework = Framework.objects.create(slug="old", name="Old", version="1")
    data = Domain.objects.create(framework=framework, position=0, ref="dData", name="Data")
    sub = Domain.objects.create(
        framework=framework, position=0, ref="dSub", name="Data quality", parent=data
    )
    models_ = Domain.objects.create(framework=framework, position=1, ref="dModel", name="Model")
    controls = [
        Control.objects.create(framework=framework, domain=data, position=0, ref="cA", name="A"),
        Control.objects.create(framework=framework, domain=sub, position=0, ref="cB", name="B"),
        Control.objects.create(framework=framework, domain=models_, position=0, ref="cC", name="C"),
    ]
    for control in controls:
        for position in range(2):
            Question.objects.create(
                framework=framework,
                control=control,
                position=position,
                ref=f"{control.ref}.q{position + 1}",
                text="?",
                type="scale",
            )
    Framework.objects.filter(pk=framework.pk).update(status="published")
    yield framework.pk
    migrate_to_latest()


def test_the_migration_fills_codes_for_stored_published_catalogs(old_catalog):
    apps = migrate_to(AFTER)
    Domain = apps.get_model("scorecard", "Domain")
    Control = apps.get_model("scorecard", "Control")
    Question = apps.get_model("scorecard", "Question")
    assert dict(Domain.objects.values_list("ref", "code")) == {
        "dData": "DAT",
        "dSub": "DA2",
        "dModel": "MOD",
    }
    # Numbered within the top-level domain, sub-domains included.
    assert dict(Control.objects.values_list("ref", "code")) == {
        "cA": "DAT-1",
        "cB": "DAT-2",
        "cC": "MOD-1",
    }
    assert dict(Question.objects.values_list("ref", "code")) == {
        "cA.q1": "DAT-1.1",
        "cA.q2": "DAT-1.2",
        "cB.q1": "DAT-2.1",
        "cB.q2": "DAT-2.2",
        "cC.q1": "MOD-1.1",
        "cC.q2": "MOD-1.2",
    }


def test_published_rows_stay_locked_after_the_migration(old_catalog):
    migrate_to(AFTER)
    for table in ("scorecard_domain", "scorecard_control", "scorecard_question"):
        with (
            pytest.raises(IntegrityError, match="scorecard guard"),
            connection.cursor() as cursor,
        ):
            cursor.execute(f'UPDATE "{table}" SET "code" = \'X\'')  # noqa: S608
