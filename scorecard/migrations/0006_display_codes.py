"""Display codes (`DAT-3.1`) for domains, controls and questions.

Existing rows get the codes `scorecard.catalog.codes.fill_codes` generates, the function every
import uses, so a catalog loaded before this migration reads the same as one imported after.
Published versions are locked by triggers, so the fill steps past them: on PostgreSQL by
disabling this table's user triggers inside the migration's transaction, on SQLite with the
connection switch the flush uses. Adding a column and a constraint makes SQLite rebuild the
table, which drops its triggers; they are created again, exactly as migration 0005 froze them.
"""

import importlib

from django.db import migrations, models

import scorecard.models.catalog
from scorecard.catalog.codes import fill_codes

TABLES = ("scorecard_domain", "scorecard_control", "scorecard_question")
_FROZEN = importlib.import_module("scorecard.migrations.0005_sqlite_guards")


def _sqlite_triggers(schema_editor) -> None:
    """Recreate the 0005 triggers of the rebuilt tables (SQLite only)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in _FROZEN.CREATE:
        table = next((t for t in TABLES if f' ON "{t}" ' in statement), None)
        if table is None:
            continue
        name = statement.split('"')[1]
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        schema_editor.execute(statement)


def recreate_triggers(apps, schema_editor) -> None:
    _sqlite_triggers(schema_editor)


def _tree(Domain, Control, Question, framework_id) -> list[dict]:
    questions: dict = {}
    for q in Question.objects.filter(framework_id=framework_id).order_by("position", "pk"):
        questions.setdefault(q.control_id, []).append({"pk": q.pk, "code": q.code})
    controls: dict = {}
    for c in Control.objects.filter(framework_id=framework_id).order_by("position", "pk"):
        controls.setdefault(c.domain_id, []).append(
            {"pk": c.pk, "code": c.code, "questions": questions.get(c.pk, [])}
        )
    children: dict = {}
    for d in Domain.objects.filter(framework_id=framework_id).order_by("position", "pk"):
        children.setdefault(d.parent_id, []).append(d)

    def build(parent_id) -> list[dict]:
        return [
            {
                "pk": d.pk,
                "code": d.code,
                "name": d.name,
                "domains": build(d.pk),
                "controls": controls.get(d.pk, []),
            }
            for d in children.get(parent_id, [])
        ]

    return build(None)


def _codes(tree: list[dict]) -> tuple[dict, dict, dict]:
    domains, controls, questions = {}, {}, {}

    def walk(items):
        for d in items:
            domains[d["pk"]] = d["code"]
            for c in d["controls"]:
                controls[c["pk"]] = c["code"]
                questions.update({q["pk"]: q["code"] for q in c["questions"]})
            walk(d["domains"])

    walk(tree)
    return domains, controls, questions


def fill(apps, schema_editor) -> None:
    Framework = apps.get_model("scorecard", "Framework")
    models_ = [apps.get_model("scorecard", name) for name in ("Domain", "Control", "Question")]
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    connection.scorecard_flushing = True  # read by the SQLite guard switch only
    try:
        for framework_id in Framework.objects.values_list("pk", flat=True):
            filled = _codes(fill_codes(_tree(*models_, framework_id)))
            for model, codes in zip(models_, filled, strict=True):
                rows = [model(pk=pk, code=code) for pk, code in codes.items()]
                model.objects.bulk_update(rows, ["code"], batch_size=500)
    finally:
        connection.scorecard_flushing = False
        if connection.vendor == "postgresql":
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in TABLES:
                schema_editor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


def _code_field():
    return models.CharField(
        blank=True,
        default="",
        help_text=(
            "Short display code shown in headings, e.g. DAT-3.1; the id stays the reference. "
            "Left empty, one is generated when the version is published."
        ),
        max_length=24,
        validators=[scorecard.models.catalog.validate_code],
    )


def _unique(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        condition=models.Q(("code", ""), _negated=True),
        fields=("framework", "code"),
        name=name,
        violation_error_message="This code is already used in this framework version.",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scorecard", "0005_sqlite_guards"),
    ]

    operations = [
        # Going backwards, the rebuilt tables need their triggers again at the very end.
        migrations.RunPython(migrations.RunPython.noop, recreate_triggers),
        migrations.AddField(model_name="control", name="code", field=_code_field()),
        migrations.AddField(model_name="domain", name="code", field=_code_field()),
        migrations.AddField(model_name="question", name="code", field=_code_field()),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddConstraint(model_name="control", constraint=_unique("control_code_unique")),
        migrations.AddConstraint(model_name="domain", constraint=_unique("domain_code_unique")),
        migrations.AddConstraint(model_name="question", constraint=_unique("question_code_unique")),
        migrations.RunPython(recreate_triggers, migrations.RunPython.noop),
    ]
