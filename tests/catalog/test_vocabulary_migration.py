"""Migration 0007 adds the Risk Map tables and fields to a database holding published
catalogs: their rows are kept, the triggers of the rebuilt tables stay, and the new tables
are locked from the start."""

import pytest
from django.db import IntegrityError, connection

from tests.catalog.migration_helpers import migrate_to, migrate_to_latest

BEFORE = [("scorecard", "0006_display_codes")]
AFTER = [("scorecard", "0007_risk_map_vocabulary")]


@pytest.fixture
def old_catalog(transactional_db):
    """A published framework written with the schema of 0006."""
    apps = migrate_to(BEFORE)
    Framework = apps.get_model("scorecard", "Framework")
    Domain = apps.get_model("scorecard", "Domain")
    Control = apps.get_model("scorecard", "Control")
    Risk = apps.get_model("scorecard", "Risk")
    Persona = apps.get_model("scorecard", "Persona")
    framework = Framework.objects.create(slug="old", name="Old", version="1")
    domain = Domain.objects.create(framework=framework, ref="d", code="D", name="D")
    Control.objects.create(framework=framework, domain=domain, ref="c", code="D-1", name="C")
    Risk.objects.create(framework=framework, ref="r", name="R", description="Old text.")
    Persona.objects.create(framework=framework, ref="p", name="P")
    Framework.objects.filter(pk=framework.pk).update(status="published")
    yield framework.pk
    migrate_to_latest()


def test_rows_are_kept_with_empty_risk_map_fields(old_catalog):
    apps = migrate_to(AFTER)
    control = apps.get_model("scorecard", "Control").objects.get(ref="c")
    risk = apps.get_model("scorecard", "Risk").objects.get(ref="r")
    persona = apps.get_model("scorecard", "Persona").objects.get(ref="p")
    assert (control.components, control.lifecycle_stages, control.evidence_autonomy) == (
        [],
        [],
        None,
    )
    assert (risk.description, risk.long_description, risk.references, risk.mappings) == (
        "Old text.",
        "",
        [],
        {},
    )
    assert (persona.responsibilities, persona.mappings) == ([], {})


@pytest.mark.parametrize("table", ["scorecard_control", "scorecard_risk", "scorecard_persona"])
def test_the_rebuilt_tables_are_still_locked(old_catalog, table):
    migrate_to(AFTER)
    update = f'UPDATE "{table}" SET position = 9 WHERE framework_id = %s'  # noqa: S608
    with pytest.raises(IntegrityError, match="published or retired"), connection.cursor() as c:
        c.execute(update, [old_catalog])


@pytest.mark.parametrize(
    ("model", "fields"),
    [("Term", {"kind": "component"}), ("MappingScheme", {})],
)
def test_the_new_tables_refuse_rows_for_a_published_version(old_catalog, model, fields):
    apps = migrate_to(AFTER)
    # A historical model has no ORM guard, so its insert meets the database trigger.
    Model = apps.get_model("scorecard", model)
    with pytest.raises(IntegrityError, match="published or retired"):
        Model.objects.create(framework_id=old_catalog, ref="x", name="X", **fields)
    assert not Model.objects.exists()


def test_going_back_to_0006_keeps_the_old_tables_locked(old_catalog):
    migrate_to(AFTER)
    migrate_to(BEFORE)
    update = 'UPDATE "scorecard_risk" SET name = %s WHERE framework_id = %s'
    with pytest.raises(IntegrityError, match="published or retired"), connection.cursor() as c:
        c.execute(update, ["x", old_catalog])
