"""SQLite triggers for the guarantees the PostgreSQL triggers of the previous migration give.

pgtrigger installs triggers on PostgreSQL only, so SQLite gets its own, written out here as
they were rendered by `scorecard.models.triggers.sqlite_statements('scorecard')` (frozen, so that
later column changes cannot alter what this migration creates). A test compares the
database's triggers with the rules, so a rule change needs a new migration like this one.
"""

from django.db import migrations

CREATE = [
    'CREATE TRIGGER "framework_locked_scorecard_framework_update" BEFORE UPDATE ON "scorecard_framework" FOR EACH ROW WHEN scorecard_guards_on() AND (((OLD."status" <> \'draft\')) AND NOT (OLD."status" '
    '= \'published\' AND NEW."status" = \'retired\' AND OLD."id" IS NEW."id" AND OLD."slug" IS NEW."slug" AND OLD."name" IS NEW."name" AND OLD."version" IS NEW."version" AND OLD."description" IS '
    'NEW."description" AND OLD."source" IS NEW."source" AND OLD."license" IS NEW."license" AND OLD."critical_threshold" IS NEW."critical_threshold" AND OLD."gate_tier" IS NEW."gate_tier" AND '
    'OLD."derived_from_id" IS NEW."derived_from_id" AND OLD."created_at" IS NEW."created_at" AND OLD."published_at" IS NEW."published_at")) BEGIN SELECT RAISE(ABORT, \'scorecard guard: a published or '
    "retired framework version cannot be changed or deleted; only published to retired is allowed'); END",
    'CREATE TRIGGER "framework_locked_scorecard_framework_delete" BEFORE DELETE ON "scorecard_framework" FOR EACH ROW WHEN scorecard_guards_on() AND (OLD."status" <> \'draft\') BEGIN SELECT '
    "RAISE(ABORT, 'scorecard guard: a published or retired framework version cannot be changed or deleted; only published to retired is allowed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_scaleoption_insert" BEFORE INSERT ON "scorecard_scaleoption" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS '
    'parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); '
    "END",
    'CREATE TRIGGER "catalog_locked_scorecard_scaleoption_update" BEFORE UPDATE ON "scorecard_scaleoption" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "scorecard_framework" AS '
    'parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND '
    "parent.\"status\" <> 'draft'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_scaleoption_delete" BEFORE DELETE ON "scorecard_scaleoption" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS '
    'parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); '
    "END",
    'CREATE TRIGGER "catalog_locked_scorecard_tier_insert" BEFORE INSERT ON "scorecard_tier" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE '
    'parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_tier_update" BEFORE UPDATE ON "scorecard_tier" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE '
    'parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> '
    "'draft'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_tier_delete" BEFORE DELETE ON "scorecard_tier" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE '
    'parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_persona_insert" BEFORE INSERT ON "scorecard_persona" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent '
    'WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_persona_update" BEFORE UPDATE ON "scorecard_persona" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "scorecard_framework" AS parent '
    'WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> '
    "'draft'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_persona_delete" BEFORE DELETE ON "scorecard_persona" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent '
    'WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_personaquestion_insert" BEFORE INSERT ON "scorecard_personaquestion" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM '
    '"scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework '
    "version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_personaquestion_update" BEFORE UPDATE ON "scorecard_personaquestion" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM '
    '"scorecard_framework" AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = '
    "NEW.\"framework_id\" AND parent.\"status\" <> 'draft'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_personaquestion_delete" BEFORE DELETE ON "scorecard_personaquestion" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM '
    '"scorecard_framework" AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework '
    "version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_risk_insert" BEFORE INSERT ON "scorecard_risk" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE '
    'parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_risk_update" BEFORE UPDATE ON "scorecard_risk" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE '
    'parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> '
    "'draft'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_risk_delete" BEFORE DELETE ON "scorecard_risk" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE '
    'parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_domain_insert" BEFORE INSERT ON "scorecard_domain" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE '
    'parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_domain_update" BEFORE UPDATE ON "scorecard_domain" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "scorecard_framework" AS parent '
    'WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> '
    "'draft'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_domain_delete" BEFORE DELETE ON "scorecard_domain" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE '
    'parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_control_insert" BEFORE INSERT ON "scorecard_control" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent '
    'WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_control_update" BEFORE UPDATE ON "scorecard_control" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "scorecard_framework" AS parent '
    'WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> '
    "'draft'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_control_delete" BEFORE DELETE ON "scorecard_control" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent '
    'WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_controlpersona_insert" BEFORE INSERT ON "scorecard_controlpersona" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" '
    'AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be '
    "changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_controlpersona_update" BEFORE UPDATE ON "scorecard_controlpersona" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM '
    '"scorecard_framework" AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = '
    "NEW.\"framework_id\" AND parent.\"status\" <> 'draft'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_controlpersona_delete" BEFORE DELETE ON "scorecard_controlpersona" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" '
    'AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be '
    "changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_controlrisk_insert" BEFORE INSERT ON "scorecard_controlrisk" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS '
    'parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); '
    "END",
    'CREATE TRIGGER "catalog_locked_scorecard_controlrisk_update" BEFORE UPDATE ON "scorecard_controlrisk" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "scorecard_framework" AS '
    'parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND '
    "parent.\"status\" <> 'draft'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_controlrisk_delete" BEFORE DELETE ON "scorecard_controlrisk" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS '
    'parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); '
    "END",
    'CREATE TRIGGER "catalog_locked_scorecard_controlmapping_insert" BEFORE INSERT ON "scorecard_controlmapping" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" '
    'AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be '
    "changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_controlmapping_update" BEFORE UPDATE ON "scorecard_controlmapping" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM '
    '"scorecard_framework" AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = '
    "NEW.\"framework_id\" AND parent.\"status\" <> 'draft'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_controlmapping_delete" BEFORE DELETE ON "scorecard_controlmapping" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" '
    'AS parent WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be '
    "changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_question_insert" BEFORE INSERT ON "scorecard_question" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent '
    'WHERE parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_question_update" BEFORE UPDATE ON "scorecard_question" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "scorecard_framework" AS parent '
    'WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> '
    "'draft'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_question_delete" BEFORE DELETE ON "scorecard_question" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent '
    'WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_option_insert" BEFORE INSERT ON "scorecard_option" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE '
    'parent."id" = NEW."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
    'CREATE TRIGGER "catalog_locked_scorecard_option_update" BEFORE UPDATE ON "scorecard_option" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "scorecard_framework" AS parent '
    'WHERE parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) OR (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE parent."id" = NEW."framework_id" AND parent."status" <> '
    "'draft'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, 'scorecard guard: rows of a published or retired framework version cannot be changed'); END",
    'CREATE TRIGGER "catalog_locked_scorecard_option_delete" BEFORE DELETE ON "scorecard_option" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "scorecard_framework" AS parent WHERE '
    'parent."id" = OLD."framework_id" AND parent."status" <> \'draft\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a published or retired framework version cannot be changed\'); END',
]

NAMES = [
    "framework_locked_scorecard_framework_update",
    "framework_locked_scorecard_framework_delete",
    "catalog_locked_scorecard_scaleoption_insert",
    "catalog_locked_scorecard_scaleoption_update",
    "catalog_locked_scorecard_scaleoption_delete",
    "catalog_locked_scorecard_tier_insert",
    "catalog_locked_scorecard_tier_update",
    "catalog_locked_scorecard_tier_delete",
    "catalog_locked_scorecard_persona_insert",
    "catalog_locked_scorecard_persona_update",
    "catalog_locked_scorecard_persona_delete",
    "catalog_locked_scorecard_personaquestion_insert",
    "catalog_locked_scorecard_personaquestion_update",
    "catalog_locked_scorecard_personaquestion_delete",
    "catalog_locked_scorecard_risk_insert",
    "catalog_locked_scorecard_risk_update",
    "catalog_locked_scorecard_risk_delete",
    "catalog_locked_scorecard_domain_insert",
    "catalog_locked_scorecard_domain_update",
    "catalog_locked_scorecard_domain_delete",
    "catalog_locked_scorecard_control_insert",
    "catalog_locked_scorecard_control_update",
    "catalog_locked_scorecard_control_delete",
    "catalog_locked_scorecard_controlpersona_insert",
    "catalog_locked_scorecard_controlpersona_update",
    "catalog_locked_scorecard_controlpersona_delete",
    "catalog_locked_scorecard_controlrisk_insert",
    "catalog_locked_scorecard_controlrisk_update",
    "catalog_locked_scorecard_controlrisk_delete",
    "catalog_locked_scorecard_controlmapping_insert",
    "catalog_locked_scorecard_controlmapping_update",
    "catalog_locked_scorecard_controlmapping_delete",
    "catalog_locked_scorecard_question_insert",
    "catalog_locked_scorecard_question_update",
    "catalog_locked_scorecard_question_delete",
    "catalog_locked_scorecard_option_insert",
    "catalog_locked_scorecard_option_update",
    "catalog_locked_scorecard_option_delete",
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
    dependencies = [("scorecard", "0004_guards_and_weight_limits")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
