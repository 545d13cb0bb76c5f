"""SQLite triggers for the submission snapshots, as the previous migration adds them on PostgreSQL.

Rendered by `scorecard.models.triggers.sqlite_triggers(ASSESSMENT_PART_FROZEN, Submission)` and
written out (frozen) like 0005_sqlite_guards: rows of a finalised assessment's submissions
cannot be added, changed or deleted, below the ORM too.
"""

from django.db import migrations

CREATE = [
    'CREATE TRIGGER "assessment_part_frozen_assessments_submission_insert" BEFORE INSERT ON "assessments_submission" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    'CREATE TRIGGER "assessment_part_frozen_assessments_submission_update" BEFORE UPDATE ON "assessments_submission" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) OR (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\'))) AND NOT (OLD."id" IS NEW."id" AND OLD."assessment_id" IS NEW."assessment_id" AND OLD."sequence" IS NEW."sequence" AND OLD."submitted_at" IS NEW."submitted_at" AND OLD."answers" IS NEW."answers" AND OLD."answer_set_hash" IS NEW."answer_set_hash" AND OLD."review_started_at" IS NEW."review_started_at" AND (NEW."submitted_by_id" IS NULL OR NEW."submitted_by_id" IS OLD."submitted_by_id") AND (NEW."review_started_by_id" IS NULL OR NEW."review_started_by_id" IS OLD."review_started_by_id"))) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    'CREATE TRIGGER "assessment_part_frozen_assessments_submission_delete" BEFORE DELETE ON "assessments_submission" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
]

NAMES = [
    "assessment_part_frozen_assessments_submission_insert",
    "assessment_part_frozen_assessments_submission_update",
    "assessment_part_frozen_assessments_submission_delete",
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in NAMES:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_submission_snapshots")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
