"""SQLite triggers for the guarantees the PostgreSQL triggers of the previous migration give.

pgtrigger installs triggers on PostgreSQL only, so SQLite gets its own, written out here as
they were rendered by `scorecard.models.triggers.sqlite_statements('assessments')` (frozen, so that
later column changes cannot alter what this migration creates). A test compares the
database's triggers with the rules, so a rule change needs a new migration like this one.
"""

from django.db import migrations

CREATE = [
    'CREATE TRIGGER "assessment_frozen_assessments_assessment_update" BEFORE UPDATE ON "assessments_assessment" FOR EACH ROW WHEN scorecard_guards_on() AND (((OLD."status" = \'finalised\')) AND NOT '
    '(OLD."id" IS NEW."id" AND OLD."organisation_id" IS NEW."organisation_id" AND OLD."framework_id" IS NEW."framework_id" AND OLD."title" IS NEW."title" AND OLD."purpose" IS NEW."purpose" AND '
    'OLD."system_owner" IS NEW."system_owner" AND OLD."deployment_stage" IS NEW."deployment_stage" AND OLD."personas" IS NEW."personas" AND OLD."scoping" IS NEW."scoping" AND OLD."status" IS '
    'NEW."status" AND OLD."revision" IS NEW."revision" AND OLD."created_at" IS NEW."created_at" AND OLD."updated_at" IS NEW."updated_at" AND OLD."submitted_at" IS NEW."submitted_at" AND '
    'OLD."finalised_at" IS NEW."finalised_at" AND (NEW."previous_id" IS NULL OR NEW."previous_id" IS OLD."previous_id") AND (NEW."created_by_id" IS NULL OR NEW."created_by_id" IS OLD."created_by_id") '
    'AND (NEW."finalised_by_id" IS NULL OR NEW."finalised_by_id" IS OLD."finalised_by_id"))) BEGIN SELECT RAISE(ABORT, \'scorecard guard: a finalised assessment cannot be changed, un-finalised or '
    "deleted'); END",
    'CREATE TRIGGER "assessment_frozen_assessments_assessment_delete" BEFORE DELETE ON "assessments_assessment" FOR EACH ROW WHEN scorecard_guards_on() AND (OLD."status" = \'finalised\') BEGIN SELECT '
    "RAISE(ABORT, 'scorecard guard: a finalised assessment cannot be changed, un-finalised or deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_answer_insert" BEFORE INSERT ON "assessments_answer" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" '
    'AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or '
    "deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_answer_update" BEFORE UPDATE ON "assessments_answer" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) OR (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = '
    'NEW."assessment_id" AND parent."status" = \'finalised\'))) AND NOT (OLD."id" IS NEW."id" AND OLD."assessment_id" IS NEW."assessment_id" AND OLD."question_id" IS NEW."question_id" AND '
    'OLD."option_label" IS NEW."option_label" AND OLD."value" IS NEW."value" AND OLD."number" IS NEW."number" AND OLD."text" IS NEW."text" AND OLD."na" IS NEW."na" AND OLD."justification" IS '
    'NEW."justification" AND OLD."comment" IS NEW."comment" AND OLD."carried_over" IS NEW."carried_over" AND OLD."version" IS NEW."version" AND OLD."updated_at" IS NEW."updated_at" AND '
    '(NEW."updated_by_id" IS NULL OR NEW."updated_by_id" IS OLD."updated_by_id"))) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); '
    "END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_answer_delete" BEFORE DELETE ON "assessments_answer" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" '
    'AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or '
    "deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_answerchange_insert" BEFORE INSERT ON "assessments_answerchange" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot '
    "be added, changed or deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_answerchange_update" BEFORE UPDATE ON "assessments_answerchange" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) OR (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = '
    'NEW."assessment_id" AND parent."status" = \'finalised\'))) AND NOT (OLD."id" IS NEW."id" AND OLD."assessment_id" IS NEW."assessment_id" AND OLD."question_id" IS NEW."question_id" AND '
    'OLD."changed_at" IS NEW."changed_at" AND OLD."old" IS NEW."old" AND OLD."new" IS NEW."new" AND (NEW."changed_by_id" IS NULL OR NEW."changed_by_id" IS OLD."changed_by_id"))) BEGIN SELECT '
    "RAISE(ABORT, 'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_answerchange_delete" BEFORE DELETE ON "assessments_answerchange" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot '
    "be added, changed or deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_evidence_insert" BEFORE INSERT ON "assessments_evidence" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot '
    "be added, changed or deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_evidence_update" BEFORE UPDATE ON "assessments_evidence" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) OR (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = '
    'NEW."assessment_id" AND parent."status" = \'finalised\'))) AND NOT (OLD."assessment_id" IS NEW."assessment_id" AND OLD."id" IS NEW."id" AND OLD."question_id" IS NEW."question_id" AND OLD."kind" IS '
    'NEW."kind" AND OLD."url" IS NEW."url" AND OLD."file" IS NEW."file" AND OLD."filename" IS NEW."filename" AND OLD."content_type" IS NEW."content_type" AND OLD."size" IS NEW."size" AND OLD."sha256" '
    'IS NEW."sha256" AND OLD."description" IS NEW."description" AND OLD."carried_over" IS NEW."carried_over" AND OLD."uploaded_at" IS NEW."uploaded_at" AND (NEW."uploaded_by_id" IS NULL OR '
    'NEW."uploaded_by_id" IS OLD."uploaded_by_id"))) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    'CREATE TRIGGER "assessment_part_frozen_assessments_evidence_delete" BEFORE DELETE ON "assessments_evidence" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot '
    "be added, changed or deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_reviewcomment_insert" BEFORE INSERT ON "assessments_reviewcomment" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot '
    "be added, changed or deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_reviewcomment_update" BEFORE UPDATE ON "assessments_reviewcomment" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) OR (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = '
    'NEW."assessment_id" AND parent."status" = \'finalised\'))) AND NOT (OLD."id" IS NEW."id" AND OLD."assessment_id" IS NEW."assessment_id" AND OLD."question_id" IS NEW."question_id" AND '
    'OLD."parent_id" IS NEW."parent_id" AND OLD."body" IS NEW."body" AND OLD."resolved" IS NEW."resolved" AND OLD."created_at" IS NEW."created_at" AND (NEW."author_id" IS NULL OR NEW."author_id" IS '
    "OLD.\"author_id\"))) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_reviewcomment_delete" BEFORE DELETE ON "assessments_reviewcomment" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot '
    "be added, changed or deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_domainassignment_insert" BEFORE INSERT ON "assessments_domainassignment" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot '
    "be added, changed or deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_domainassignment_update" BEFORE UPDATE ON "assessments_domainassignment" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) OR (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = '
    "NEW.\"assessment_id\" AND parent.\"status\" = 'finalised'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted'); END",
    'CREATE TRIGGER "assessment_part_frozen_assessments_domainassignment_delete" BEFORE DELETE ON "assessments_domainassignment" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM '
    '"assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot '
    "be added, changed or deleted'); END",
    'CREATE TRIGGER "snapshot_frozen_assessments_scoresnapshot_update" BEFORE UPDATE ON "assessments_scoresnapshot" FOR EACH ROW WHEN scorecard_guards_on() AND (((1 = 1)) AND NOT (0)) BEGIN SELECT '
    "RAISE(ABORT, 'scorecard guard: score snapshots are never changed or deleted; a rescore adds a new one'); END",
    'CREATE TRIGGER "snapshot_frozen_assessments_scoresnapshot_delete" BEFORE DELETE ON "assessments_scoresnapshot" FOR EACH ROW WHEN scorecard_guards_on() AND (1 = 1) BEGIN SELECT RAISE(ABORT, '
    "'scorecard guard: score snapshots are never changed or deleted; a rescore adds a new one'); END",
    'CREATE TRIGGER "audit_append_only_assessments_auditevent_update" BEFORE UPDATE ON "assessments_auditevent" FOR EACH ROW WHEN scorecard_guards_on() AND (((1 = 1)) AND NOT (OLD."id" IS NEW."id" AND '
    'OLD."organisation_id" IS NEW."organisation_id" AND OLD."actor_email" IS NEW."actor_email" AND OLD."action" IS NEW."action" AND OLD."target_type" IS NEW."target_type" AND OLD."target_id" IS '
    'NEW."target_id" AND OLD."summary" IS NEW."summary" AND OLD."data" IS NEW."data" AND OLD."ip_address" IS NEW."ip_address" AND OLD."created_at" IS NEW."created_at" AND (NEW."actor_id" IS NULL OR '
    'NEW."actor_id" IS OLD."actor_id"))) BEGIN SELECT RAISE(ABORT, \'scorecard guard: the audit log is append-only: events cannot be changed or deleted\'); END',
    'CREATE TRIGGER "audit_append_only_assessments_auditevent_delete" BEFORE DELETE ON "assessments_auditevent" FOR EACH ROW WHEN scorecard_guards_on() AND (1 = 1) BEGIN SELECT RAISE(ABORT, \'scorecard '
    "guard: the audit log is append-only: events cannot be changed or deleted'); END",
]

NAMES = [
    "assessment_frozen_assessments_assessment_update",
    "assessment_frozen_assessments_assessment_delete",
    "assessment_part_frozen_assessments_answer_insert",
    "assessment_part_frozen_assessments_answer_update",
    "assessment_part_frozen_assessments_answer_delete",
    "assessment_part_frozen_assessments_answerchange_insert",
    "assessment_part_frozen_assessments_answerchange_update",
    "assessment_part_frozen_assessments_answerchange_delete",
    "assessment_part_frozen_assessments_evidence_insert",
    "assessment_part_frozen_assessments_evidence_update",
    "assessment_part_frozen_assessments_evidence_delete",
    "assessment_part_frozen_assessments_reviewcomment_insert",
    "assessment_part_frozen_assessments_reviewcomment_update",
    "assessment_part_frozen_assessments_reviewcomment_delete",
    "assessment_part_frozen_assessments_domainassignment_insert",
    "assessment_part_frozen_assessments_domainassignment_update",
    "assessment_part_frozen_assessments_domainassignment_delete",
    "snapshot_frozen_assessments_scoresnapshot_update",
    "snapshot_frozen_assessments_scoresnapshot_delete",
    "audit_append_only_assessments_auditevent_update",
    "audit_append_only_assessments_auditevent_delete",
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
    dependencies = [("assessments", "0004_guards_and_audit_target_index")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
