"""Mapping schemes keep the title of each reference (`titles`, e.g. from the FINOS AI
Governance Framework's reference lists).

Adding the column makes SQLite rebuild the mapping scheme table, which drops its triggers;
they are created again exactly as migration 0007 froze them, after the column is added and,
going backwards, after it is removed again.
"""

import importlib

import scorecard.models.fields
from django.db import migrations, models

TABLE = "scorecard_mappingscheme"
_FROZEN = importlib.import_module("scorecard.migrations.0007_risk_map_vocabulary")


def recreate_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, statement in _FROZEN._new_table_triggers(TABLE):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("scorecard", "0008_oscal_fidelity"),
    ]

    operations = [
        # Going backwards, the rebuilt table needs its triggers again at the very end.
        migrations.RunPython(migrations.RunPython.noop, recreate_triggers),
        migrations.AddField(
            model_name="mappingscheme",
            name="titles",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The title of each reference, e.g. {llm01-2025: LLM01:2025 Prompt Injection}.",
                validators=[scorecard.models.fields.validate_titles],
            ),
        ),
        migrations.RunPython(recreate_triggers, migrations.RunPython.noop),
    ]
