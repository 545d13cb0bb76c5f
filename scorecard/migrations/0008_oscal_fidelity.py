"""Catalogs without loss: the OSCAL data of groups and controls, enhancement nesting,
withdrawn controls and the catalog-level OSCAL data (metadata, params, back-matter).

The two new tables are locked with their version like every catalog table. Adding columns
makes SQLite rebuild the control and domain tables, which drops their triggers; they are
created again exactly as migration 0005 froze them, and the new tables get the rule as 0007
writes it for its own new tables.
"""

import importlib

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


REBUILT = ("scorecard_control", "scorecard_domain")
NEW_TABLES = ("scorecard_withdrawncontrol", "scorecard_catalogoscal")
_FROZEN = importlib.import_module("scorecard.migrations.0005_sqlite_guards")
_VOCABULARY = importlib.import_module("scorecard.migrations.0007_risk_map_vocabulary")


def _recreate_rebuilt(schema_editor) -> None:
    for statement in _FROZEN.CREATE:
        if any(f' ON "{table}" ' in statement for table in REBUILT):
            name = statement.split('"')[1]
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            schema_editor.execute(statement)


def recreate_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        _recreate_rebuilt(schema_editor)


def create_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    _recreate_rebuilt(schema_editor)
    for table in NEW_TABLES:
        for name, statement in _VOCABULARY._new_table_triggers(table):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            schema_editor.execute(statement)


def drop_new_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in NEW_TABLES:
        for name, _ in _VOCABULARY._new_table_triggers(table):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("scorecard", "0007_risk_map_vocabulary"),
    ]

    operations = [
        # Going backwards, the rebuilt tables need their triggers again at the very end.
        migrations.RunPython(migrations.RunPython.noop, recreate_triggers),
        migrations.AddField(
            model_name="control",
            name="enhances",
            field=models.CharField(
                blank=True,
                help_text="The id of the control this one enhances (OSCAL nests it there).",
                max_length=120,
                verbose_name="enhancement of",
            ),
        ),
        migrations.AddField(
            model_name="control",
            name="oscal",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The control's OSCAL params, props, links and parts, kept for the export.",
                verbose_name="OSCAL data",
            ),
        ),
        migrations.AddField(
            model_name="domain",
            name="oscal",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The group's OSCAL params, props, links and parts, kept for the export.",
                verbose_name="OSCAL data",
            ),
        ),
        migrations.CreateModel(
            name="WithdrawnControl",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0)),
                ("ref", models.CharField(max_length=120, verbose_name="id")),
                ("name", models.CharField(max_length=300)),
                (
                    "enhances",
                    models.CharField(blank=True, max_length=120, verbose_name="enhancement of"),
                ),
                (
                    "successors",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Ids of the controls that took its place.",
                    ),
                ),
                ("oscal", models.JSONField(blank=True, default=dict, verbose_name="OSCAL data")),
                (
                    "domain",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="withdrawn",
                        to="scorecard.domain",
                    ),
                ),
                (
                    "framework",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="scorecard.framework",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="CatalogOscal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0)),
                ("data", models.JSONField(blank=True, default=dict)),
                (
                    "framework",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="scorecard.framework",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "pk"],
                "abstract": False,
                "constraints": [
                    models.UniqueConstraint(
                        fields=("framework",), name="catalog_oscal_one_per_version"
                    )
                ],
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="catalogoscal",
            trigger=pgtrigger.compiler.Trigger(
                name="catalog_locked",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='IF TG_OP = \'INSERT\' AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: rows of a published or retired framework version cannot be changed\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'UPDATE\' AND ((EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\'))) AND NOT (FALSE) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: rows of a published or retired framework version cannot be changed\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'DELETE\' AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: rows of a published or retired framework version cannot be changed\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'DELETE\' THEN RETURN OLD; END IF; RETURN NEW;',
                    hash="bd746b97715f54cc66fb807044bf60a24bc2c11f",
                    operation="INSERT OR UPDATE OR DELETE",
                    pgid="pgtrigger_catalog_locked_8dc64",
                    table="scorecard_catalogoscal",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="withdrawncontrol",
            constraint=models.UniqueConstraint(
                fields=("framework", "ref"), name="withdrawn_ref_unique"
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="withdrawncontrol",
            trigger=pgtrigger.compiler.Trigger(
                name="catalog_locked",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='IF TG_OP = \'INSERT\' AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: rows of a published or retired framework version cannot be changed\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'UPDATE\' AND ((EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\'))) AND NOT (FALSE) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: rows of a published or retired framework version cannot be changed\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'DELETE\' AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: rows of a published or retired framework version cannot be changed\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'DELETE\' THEN RETURN OLD; END IF; RETURN NEW;',
                    hash="7208f5148245f49b0f6e44e52c18ede0e290fded",
                    operation="INSERT OR UPDATE OR DELETE",
                    pgid="pgtrigger_catalog_locked_e48a9",
                    table="scorecard_withdrawncontrol",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.RunPython(create_triggers, drop_new_triggers),
    ]
