"""The Risk Map read in full: its vocabulary (components and their categories, lifecycle
stages, actor access levels, impact types) and mapping schemes as catalog tables, and the
fields controls, risks and personas were missing (term lists, autonomy evidence, long
descriptions, examples, references, mappings, responsibilities).

The new tables are locked with their version like every catalog table. Adding columns makes
SQLite rebuild the control, risk and persona tables, which drops their triggers; they are
created again exactly as migration 0005 froze them, and the new tables get the same rule,
frozen here as text (`triggers.sqlite_statements` renders it; a test compares the two).
"""

import importlib

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
import scorecard.models.fields
from django.db import migrations, models

REBUILT = ("scorecard_control", "scorecard_risk", "scorecard_persona")
NEW_TABLES = ("scorecard_term", "scorecard_mappingscheme")
_FROZEN = importlib.import_module("scorecard.migrations.0005_sqlite_guards")

_LOCKED = (
    'EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = {row}."framework_id" '
    "AND parent.\"status\" <> 'draft')"
)
_RAISE = (
    "BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework "
    "version cannot be changed'); END"
)


def _new_table_triggers(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the catalog rule on a new table, as 0005 writes it."""
    old, new = _LOCKED.format(row="OLD"), _LOCKED.format(row="NEW")
    conditions = {
        "insert": new,
        "update": f"(({old}) OR ({new})) AND NOT (0)",
        "delete": old,
    }
    return [
        (
            f"catalog_locked_{table}_{op}",
            f'CREATE TRIGGER "catalog_locked_{table}_{op}" BEFORE {op.upper()} ON "{table}" '
            f"FOR EACH ROW WHEN scorecard_guards_on() AND ({condition}) {_RAISE}",
        )
        for op, condition in conditions.items()
    ]


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
        for name, statement in _new_table_triggers(table):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            schema_editor.execute(statement)


def drop_new_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in NEW_TABLES:
        for name, _ in _new_table_triggers(table):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("scorecard", "0006_display_codes"),
    ]

    operations = [
        # Going backwards, the rebuilt tables need their triggers again at the very end.
        migrations.RunPython(migrations.RunPython.noop, recreate_triggers),
        migrations.CreateModel(
            name="MappingScheme",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0)),
                (
                    "ref",
                    models.CharField(
                        help_text="The mapping key, e.g. mitre-atlas.",
                        max_length=80,
                        verbose_name="id",
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("full_name", models.CharField(blank=True, max_length=300)),
                ("description", models.TextField(blank=True)),
                (
                    "version",
                    models.CharField(blank=True, help_text="Empty: unversioned.", max_length=40),
                ),
                ("version_id", models.CharField(blank=True, max_length=120)),
                ("supersedes", models.CharField(blank=True, max_length=120)),
                ("prior_versions", models.JSONField(blank=True, default=list)),
                ("base_uri", models.CharField(blank=True, max_length=500)),
                ("document_uri", models.CharField(blank=True, max_length=500)),
                (
                    "technique_uri_pattern",
                    models.CharField(
                        blank=True,
                        help_text="A link for one reference, {id} standing for it.",
                        max_length=500,
                    ),
                ),
                ("last_updated", models.CharField(blank=True, max_length=20)),
                ("applies_to", models.JSONField(blank=True, default=list)),
            ],
            options={
                "ordering": ["position", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Term",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("component_category", "Component category"),
                            ("component", "Component"),
                            ("lifecycle_stage", "Lifecycle stage"),
                            ("actor_access", "Actor access level"),
                            ("impact_type", "Impact type"),
                        ],
                        max_length=40,
                    ),
                ),
                ("ref", models.CharField(max_length=120, verbose_name="id")),
                ("name", models.CharField(max_length=200)),
                ("description", models.TextField(blank=True)),
                (
                    "group",
                    models.CharField(
                        blank=True,
                        help_text="A free grouping, e.g. traditional or modern actor access.",
                        max_length=80,
                    ),
                ),
            ],
            options={
                "ordering": ["kind", "position", "pk"],
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="control",
            name="actor_access",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='The actor access level ids it concerns, or "all" or "none"; empty says nothing.',
                validators=[scorecard.models.fields.validate_term_refs],
            ),
        ),
        migrations.AddField(
            model_name="control",
            name="components",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='The component ids it concerns, or "all" or "none"; empty says nothing.',
                validators=[scorecard.models.fields.validate_term_refs],
            ),
        ),
        migrations.AddField(
            model_name="control",
            name="evidence_autonomy",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (0, "L0+ (No autonomy)"),
                    (1, "L1+ (Suggests)"),
                    (2, "L2+ (Acts on approval)"),
                    (3, "L3+ (Acts within limits)"),
                    (4, "L4+ (Acts, people review)"),
                    (5, "L5+ (Fully autonomous)"),
                ],
                help_text="Systems at this autonomy level or higher need evidence for this control.",
                null=True,
                verbose_name="evidence expected from autonomy level",
            ),
        ),
        migrations.AddField(
            model_name="control",
            name="impact_types",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='The impact type ids it concerns, or "all" or "none"; empty says nothing.',
                validators=[scorecard.models.fields.validate_term_refs],
            ),
        ),
        migrations.AddField(
            model_name="control",
            name="lifecycle_stages",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='The lifecycle stage ids it concerns, or "all" or "none"; empty says nothing.',
                validators=[scorecard.models.fields.validate_term_refs],
            ),
        ),
        migrations.AddField(
            model_name="persona",
            name="mappings",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="References by mapping scheme, e.g. {mitre-atlas: [...]}",
                validators=[scorecard.models.fields.validate_mappings],
            ),
        ),
        migrations.AddField(
            model_name="persona",
            name="responsibilities",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="What this persona is responsible for, one per item.",
                validators=[scorecard.models.fields.validate_text_list],
            ),
        ),
        migrations.AddField(
            model_name="risk",
            name="actor_access",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='The actor access level ids it concerns, or "all" or "none"; empty says nothing.',
                validators=[scorecard.models.fields.validate_term_refs],
            ),
        ),
        migrations.AddField(
            model_name="risk",
            name="examples",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="risk",
            name="impact_types",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='The impact type ids it concerns, or "all" or "none"; empty says nothing.',
                validators=[scorecard.models.fields.validate_term_refs],
            ),
        ),
        migrations.AddField(
            model_name="risk",
            name="lifecycle_stages",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='The lifecycle stage ids it concerns, or "all" or "none"; empty says nothing.',
                validators=[scorecard.models.fields.validate_term_refs],
            ),
        ),
        migrations.AddField(
            model_name="risk",
            name="long_description",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="risk",
            name="mappings",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="References by mapping scheme, e.g. {mitre-atlas: [...]}",
                validators=[scorecard.models.fields.validate_mappings],
            ),
        ),
        migrations.AddField(
            model_name="risk",
            name="references",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="External references: {type, id, title, url} each; prose cites them by id.",
                validators=[scorecard.models.fields.validate_references],
            ),
        ),
        migrations.AddConstraint(
            model_name="control",
            constraint=models.CheckConstraint(
                condition=models.Q(("evidence_autonomy__lte", 5)),
                name="control_evidence_autonomy_level",
            ),
        ),
        migrations.AddField(
            model_name="mappingscheme",
            name="framework",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="scorecard.framework",
            ),
        ),
        migrations.AddField(
            model_name="term",
            name="framework",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="scorecard.framework",
            ),
        ),
        migrations.AddField(
            model_name="term",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                help_text="The component category a component or a sub-category belongs to.",
                limit_choices_to={"kind": "component_category"},
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="children",
                to="scorecard.term",
            ),
        ),
        migrations.AddConstraint(
            model_name="mappingscheme",
            constraint=models.UniqueConstraint(
                fields=("framework", "ref"), name="mapping_scheme_unique"
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="mappingscheme",
            trigger=pgtrigger.compiler.Trigger(
                name="catalog_locked",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='IF TG_OP = \'INSERT\' AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: rows of a published or retired framework version cannot be changed\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'UPDATE\' AND ((EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\'))) AND NOT (FALSE) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: rows of a published or retired framework version cannot be changed\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'DELETE\' AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: rows of a published or retired framework version cannot be changed\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'DELETE\' THEN RETURN OLD; END IF; RETURN NEW;',
                    hash="0fb61e4c92c0bbedee1ca35943877d1eff0b1d51",
                    operation="INSERT OR UPDATE OR DELETE",
                    pgid="pgtrigger_catalog_locked_d4c65",
                    table="scorecard_mappingscheme",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="term",
            constraint=models.UniqueConstraint(
                fields=("framework", "kind", "ref"), name="term_ref_unique"
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="term",
            trigger=pgtrigger.compiler.Trigger(
                name="catalog_locked",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='IF TG_OP = \'INSERT\' AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: rows of a published or retired framework version cannot be changed\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'UPDATE\' AND ((EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\'))) AND NOT (FALSE) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: rows of a published or retired framework version cannot be changed\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'DELETE\' AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: rows of a published or retired framework version cannot be changed\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'DELETE\' THEN RETURN OLD; END IF; RETURN NEW;',
                    hash="55dcb0cc055065a799fd443709e42a603e6aff72",
                    operation="INSERT OR UPDATE OR DELETE",
                    pgid="pgtrigger_catalog_locked_af841",
                    table="scorecard_term",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.RunPython(create_triggers, drop_new_triggers),
    ]
