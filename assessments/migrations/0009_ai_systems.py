"""AI systems: the organisation's inventory, its history and proposals; assessments belong
to a system and record the methodology they are scored with; reports may cover a whole
organisation (the portfolio).

Existing assessments are grouped into one system per organisation and distinct name (the
free-text "AI system" title, surrounding spaces ignored); each system takes the newest
stated purpose and the newest assessment's personas, and as owner the member whose e-mail or
full name matches the newest free-text owner that names one, if any. They keep methodology 1.0 (scoped by personas
alone): their scores must not move. New assessments default to 1.1.

Adding columns makes SQLite rebuild the assessment table, and the finalised-assessment rule
now lists the new columns: the app's triggers are dropped first and created again at the
end as they are rendered today (frozen here; a test compares the database with the code's
rendering). On
PostgreSQL the rule is dropped while existing assessments are given their system (finalised
ones included: the system is new bookkeeping, not a change of what was finalised).
"""

import importlib
import uuid

import django.db.models.deletion
import django.utils.timezone
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

SQLITE_TRIGGERS = [
    (
        "assessment_frozen_assessments_assessment_update",
        'CREATE TRIGGER "assessment_frozen_assessments_assessment_update" BEFORE UPDATE ON "assessments_assessment" FOR EACH ROW WHEN scorecard_guards_on() AND (((OLD."status" = \'finalised\')) AND NOT (OLD."id" IS NEW."id" AND OLD."organisation_id" IS NEW."organisation_id" AND OLD."framework_id" IS NEW."framework_id" AND OLD."system_id" IS NEW."system_id" AND OLD."methodology" IS NEW."methodology" AND OLD."title" IS NEW."title" AND OLD."purpose" IS NEW."purpose" AND OLD."system_owner" IS NEW."system_owner" AND OLD."deployment_stage" IS NEW."deployment_stage" AND OLD."personas" IS NEW."personas" AND OLD."scoping" IS NEW."scoping" AND OLD."status" IS NEW."status" AND OLD."revision" IS NEW."revision" AND OLD."created_at" IS NEW."created_at" AND OLD."updated_at" IS NEW."updated_at" AND OLD."submitted_at" IS NEW."submitted_at" AND OLD."finalised_at" IS NEW."finalised_at" AND (NEW."previous_id" IS NULL OR NEW."previous_id" IS OLD."previous_id") AND (NEW."created_by_id" IS NULL OR NEW."created_by_id" IS OLD."created_by_id") AND (NEW."finalised_by_id" IS NULL OR NEW."finalised_by_id" IS OLD."finalised_by_id"))) BEGIN SELECT RAISE(ABORT, \'scorecard guard: a finalised assessment cannot be changed, un-finalised or deleted\'); END',
    ),
    (
        "assessment_frozen_assessments_assessment_delete",
        'CREATE TRIGGER "assessment_frozen_assessments_assessment_delete" BEFORE DELETE ON "assessments_assessment" FOR EACH ROW WHEN scorecard_guards_on() AND (OLD."status" = \'finalised\') BEGIN SELECT RAISE(ABORT, \'scorecard guard: a finalised assessment cannot be changed, un-finalised or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_answer_insert",
        'CREATE TRIGGER "assessment_part_frozen_assessments_answer_insert" BEFORE INSERT ON "assessments_answer" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_answer_update",
        'CREATE TRIGGER "assessment_part_frozen_assessments_answer_update" BEFORE UPDATE ON "assessments_answer" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) OR (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\'))) AND NOT (OLD."id" IS NEW."id" AND OLD."assessment_id" IS NEW."assessment_id" AND OLD."question_id" IS NEW."question_id" AND OLD."option_label" IS NEW."option_label" AND OLD."value" IS NEW."value" AND OLD."number" IS NEW."number" AND OLD."text" IS NEW."text" AND OLD."na" IS NEW."na" AND OLD."justification" IS NEW."justification" AND OLD."comment" IS NEW."comment" AND OLD."carried_over" IS NEW."carried_over" AND OLD."version" IS NEW."version" AND OLD."updated_at" IS NEW."updated_at" AND (NEW."updated_by_id" IS NULL OR NEW."updated_by_id" IS OLD."updated_by_id"))) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_answer_delete",
        'CREATE TRIGGER "assessment_part_frozen_assessments_answer_delete" BEFORE DELETE ON "assessments_answer" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_answerchange_insert",
        'CREATE TRIGGER "assessment_part_frozen_assessments_answerchange_insert" BEFORE INSERT ON "assessments_answerchange" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_answerchange_update",
        'CREATE TRIGGER "assessment_part_frozen_assessments_answerchange_update" BEFORE UPDATE ON "assessments_answerchange" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) OR (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\'))) AND NOT (OLD."id" IS NEW."id" AND OLD."assessment_id" IS NEW."assessment_id" AND OLD."question_id" IS NEW."question_id" AND OLD."changed_at" IS NEW."changed_at" AND OLD."old" IS NEW."old" AND OLD."new" IS NEW."new" AND (NEW."changed_by_id" IS NULL OR NEW."changed_by_id" IS OLD."changed_by_id"))) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_answerchange_delete",
        'CREATE TRIGGER "assessment_part_frozen_assessments_answerchange_delete" BEFORE DELETE ON "assessments_answerchange" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_evidence_insert",
        'CREATE TRIGGER "assessment_part_frozen_assessments_evidence_insert" BEFORE INSERT ON "assessments_evidence" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_evidence_update",
        'CREATE TRIGGER "assessment_part_frozen_assessments_evidence_update" BEFORE UPDATE ON "assessments_evidence" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) OR (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\'))) AND NOT (OLD."assessment_id" IS NEW."assessment_id" AND OLD."id" IS NEW."id" AND OLD."question_id" IS NEW."question_id" AND OLD."kind" IS NEW."kind" AND OLD."url" IS NEW."url" AND OLD."file" IS NEW."file" AND OLD."filename" IS NEW."filename" AND OLD."content_type" IS NEW."content_type" AND OLD."size" IS NEW."size" AND OLD."sha256" IS NEW."sha256" AND OLD."description" IS NEW."description" AND OLD."carried_over" IS NEW."carried_over" AND OLD."uploaded_at" IS NEW."uploaded_at" AND (NEW."uploaded_by_id" IS NULL OR NEW."uploaded_by_id" IS OLD."uploaded_by_id"))) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_evidence_delete",
        'CREATE TRIGGER "assessment_part_frozen_assessments_evidence_delete" BEFORE DELETE ON "assessments_evidence" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_reviewcomment_insert",
        'CREATE TRIGGER "assessment_part_frozen_assessments_reviewcomment_insert" BEFORE INSERT ON "assessments_reviewcomment" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_reviewcomment_update",
        'CREATE TRIGGER "assessment_part_frozen_assessments_reviewcomment_update" BEFORE UPDATE ON "assessments_reviewcomment" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) OR (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\'))) AND NOT (OLD."id" IS NEW."id" AND OLD."assessment_id" IS NEW."assessment_id" AND OLD."question_id" IS NEW."question_id" AND OLD."parent_id" IS NEW."parent_id" AND OLD."body" IS NEW."body" AND OLD."resolved" IS NEW."resolved" AND OLD."created_at" IS NEW."created_at" AND (NEW."author_id" IS NULL OR NEW."author_id" IS OLD."author_id"))) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_reviewcomment_delete",
        'CREATE TRIGGER "assessment_part_frozen_assessments_reviewcomment_delete" BEFORE DELETE ON "assessments_reviewcomment" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_domainassignment_insert",
        'CREATE TRIGGER "assessment_part_frozen_assessments_domainassignment_insert" BEFORE INSERT ON "assessments_domainassignment" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_domainassignment_update",
        'CREATE TRIGGER "assessment_part_frozen_assessments_domainassignment_update" BEFORE UPDATE ON "assessments_domainassignment" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) OR (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\'))) AND NOT (0)) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_domainassignment_delete",
        'CREATE TRIGGER "assessment_part_frozen_assessments_domainassignment_delete" BEFORE DELETE ON "assessments_domainassignment" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "snapshot_frozen_assessments_scoresnapshot_update",
        'CREATE TRIGGER "snapshot_frozen_assessments_scoresnapshot_update" BEFORE UPDATE ON "assessments_scoresnapshot" FOR EACH ROW WHEN scorecard_guards_on() AND (((1 = 1)) AND NOT (0)) BEGIN SELECT RAISE(ABORT, \'scorecard guard: score snapshots are never changed or deleted; a rescore adds a new one\'); END',
    ),
    (
        "snapshot_frozen_assessments_scoresnapshot_delete",
        'CREATE TRIGGER "snapshot_frozen_assessments_scoresnapshot_delete" BEFORE DELETE ON "assessments_scoresnapshot" FOR EACH ROW WHEN scorecard_guards_on() AND (1 = 1) BEGIN SELECT RAISE(ABORT, \'scorecard guard: score snapshots are never changed or deleted; a rescore adds a new one\'); END',
    ),
    (
        "audit_append_only_assessments_auditevent_update",
        'CREATE TRIGGER "audit_append_only_assessments_auditevent_update" BEFORE UPDATE ON "assessments_auditevent" FOR EACH ROW WHEN scorecard_guards_on() AND (((1 = 1)) AND NOT (OLD."id" IS NEW."id" AND OLD."organisation_id" IS NEW."organisation_id" AND OLD."actor_email" IS NEW."actor_email" AND OLD."action" IS NEW."action" AND OLD."target_type" IS NEW."target_type" AND OLD."target_id" IS NEW."target_id" AND OLD."summary" IS NEW."summary" AND OLD."data" IS NEW."data" AND OLD."ip_address" IS NEW."ip_address" AND OLD."created_at" IS NEW."created_at" AND (NEW."actor_id" IS NULL OR NEW."actor_id" IS OLD."actor_id"))) BEGIN SELECT RAISE(ABORT, \'scorecard guard: the audit log is append-only: events cannot be changed or deleted\'); END',
    ),
    (
        "audit_append_only_assessments_auditevent_delete",
        'CREATE TRIGGER "audit_append_only_assessments_auditevent_delete" BEFORE DELETE ON "assessments_auditevent" FOR EACH ROW WHEN scorecard_guards_on() AND (1 = 1) BEGIN SELECT RAISE(ABORT, \'scorecard guard: the audit log is append-only: events cannot be changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_submission_insert",
        'CREATE TRIGGER "assessment_part_frozen_assessments_submission_insert" BEFORE INSERT ON "assessments_submission" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_submission_update",
        'CREATE TRIGGER "assessment_part_frozen_assessments_submission_update" BEFORE UPDATE ON "assessments_submission" FOR EACH ROW WHEN scorecard_guards_on() AND (((EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) OR (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = NEW."assessment_id" AND parent."status" = \'finalised\'))) AND NOT (OLD."id" IS NEW."id" AND OLD."assessment_id" IS NEW."assessment_id" AND OLD."sequence" IS NEW."sequence" AND OLD."submitted_at" IS NEW."submitted_at" AND OLD."answers" IS NEW."answers" AND OLD."answer_set_hash" IS NEW."answer_set_hash" AND OLD."review_started_at" IS NEW."review_started_at" AND (NEW."submitted_by_id" IS NULL OR NEW."submitted_by_id" IS OLD."submitted_by_id") AND (NEW."review_started_by_id" IS NULL OR NEW."review_started_by_id" IS OLD."review_started_by_id"))) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
    (
        "assessment_part_frozen_assessments_submission_delete",
        'CREATE TRIGGER "assessment_part_frozen_assessments_submission_delete" BEFORE DELETE ON "assessments_submission" FOR EACH ROW WHEN scorecard_guards_on() AND (EXISTS (SELECT 1 FROM "assessments_assessment" AS parent WHERE parent."id" = OLD."assessment_id" AND parent."status" = \'finalised\')) BEGIN SELECT RAISE(ABORT, \'scorecard guard: rows of a finalised assessment cannot be added, changed or deleted\'); END',
    ),
]


def drop_sqlite_triggers(apps, schema_editor) -> None:
    # Every trigger of the app goes while the assessment table is rebuilt: SQLite refuses to
    # rename a table while another table's trigger names one that is momentarily missing.
    if schema_editor.connection.vendor == "sqlite":
        for name, _ in SQLITE_TRIGGERS:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def create_sqlite_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for _, statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def restore_old_sqlite_triggers(apps, schema_editor) -> None:
    # Going back, the table is rebuilt without the new columns: the triggers as 0005 and
    # 0007 froze them fit it again.
    if schema_editor.connection.vendor != "sqlite":
        return
    for module in ("0005_sqlite_guards", "0007_sqlite_submission_guards"):
        for statement in importlib.import_module(f"assessments.migrations.{module}").CREATE:
            schema_editor.execute(statement)


def _owner(members, free_text):
    wanted = (free_text or "").strip().casefold()
    if not wanted:
        return None
    for user in members:
        if wanted in (user.email.casefold(), (user.full_name or "").strip().casefold()):
            return user
    return None


def systems_from_titles(apps, schema_editor) -> None:
    Assessment = apps.get_model("assessments", "Assessment")
    AISystem = apps.get_model("assessments", "AISystem")
    SystemChange = apps.get_model("assessments", "SystemChange")
    Membership = apps.get_model("assessments", "Membership")
    groups = {}
    for assessment in Assessment.objects.order_by("-updated_at", "-pk").iterator():
        groups.setdefault((assessment.organisation_id, assessment.title.strip()), []).append(
            assessment
        )
    members = {}
    for membership in Membership.objects.select_related("user"):
        members.setdefault(membership.organisation_id, []).append(membership.user)
    for (organisation_id, name), assessments in groups.items():
        # Newest first: the newest stated purpose and owner win.
        owners = (_owner(members.get(organisation_id, ()), a.system_owner) for a in assessments)
        system = AISystem.objects.create(
            organisation_id=organisation_id,
            name=name or "Unnamed AI system",
            owner=next((user for user in owners if user is not None), None),
            purpose=next((a.purpose for a in assessments if a.purpose), ""),
            personas=list(assessments[0].personas or []),
            created_by_id=assessments[-1].created_by_id,
        )
        SystemChange.objects.create(
            system=system,
            old=None,
            new={
                "name": system.name,
                "owner_id": system.owner_id and str(system.owner_id),
                "description": "",
                "purpose": system.purpose,
                "lifecycle_stages": [],
                "components": [],
                "actor_access": [],
                "impact_types": [],
                "autonomy_level": None,
                "personas": system.personas,
                "repository_url": "",
                "model_card_url": "",
            },
        )
        Assessment.objects.filter(pk__in=[a.pk for a in assessments]).update(system=system)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0008_snapshot_result_hash_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, restore_old_sqlite_triggers),
        pgtrigger.migrations.RemoveTrigger(
            model_name="assessment",
            name="assessment_frozen",
        ),
        migrations.CreateModel(
            name="AISystem",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("description", models.TextField(blank=True)),
                ("purpose", models.TextField(blank=True, verbose_name="business purpose")),
                ("lifecycle_stages", models.JSONField(blank=True, default=list)),
                ("components", models.JSONField(blank=True, default=list)),
                ("actor_access", models.JSONField(blank=True, default=list)),
                ("impact_types", models.JSONField(blank=True, default=list)),
                ("autonomy_level", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("personas", models.JSONField(blank=True, default=list)),
                (
                    "repository_url",
                    models.URLField(blank=True, max_length=500, verbose_name="repository"),
                ),
                (
                    "model_card_url",
                    models.URLField(blank=True, max_length=500, verbose_name="model card"),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "AI system",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="SystemChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("old", models.JSONField(blank=True, null=True)),
                ("new", models.JSONField()),
            ],
            options={
                "ordering": ["-changed_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SystemProposal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("data", models.JSONField()),
                ("note", models.TextField(blank=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for an owner"),
                            ("accepted", "Accepted"),
                            ("declined", "Declined"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="pending",
                        max_length=20,
                    ),
                ),
                ("proposed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_note", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["-proposed_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="report",
            name="kind",
            field=models.CharField(
                choices=[
                    ("scorecard", "Assessment scorecard"),
                    ("portfolio", "Organisation portfolio"),
                ],
                default="scorecard",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reports",
                to="assessments.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="assessment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reports",
                to="assessments.assessment",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("assessment__isnull", False), ("kind", "scorecard")),
                    models.Q(
                        ("assessment__isnull", True),
                        ("kind", "portfolio"),
                        ("organisation__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="report_belongs_to_its_kind",
            ),
        ),
        migrations.AddField(
            model_name="aisystem",
            name="created_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="aisystem",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ai_systems",
                to="assessments.organisation",
            ),
        ),
        migrations.AddField(
            model_name="aisystem",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="systemchange",
            name="changed_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="systemchange",
            name="system",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="changes",
                to="assessments.aisystem",
            ),
        ),
        migrations.AddField(
            model_name="systemproposal",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="systemproposal",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="system_proposals",
                to="assessments.organisation",
            ),
        ),
        migrations.AddField(
            model_name="systemproposal",
            name="proposed_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="systemproposal",
            name="system",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="proposals",
                to="assessments.aisystem",
            ),
        ),
        migrations.AddField(
            model_name="systemchange",
            name="proposal",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="assessments.systemproposal",
            ),
        ),
        migrations.AddConstraint(
            model_name="aisystem",
            constraint=models.UniqueConstraint(
                fields=("organisation", "name"), name="one_system_name_per_org"
            ),
        ),
        migrations.AddConstraint(
            model_name="aisystem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("autonomy_level__isnull", True),
                    models.Q(("autonomy_level__gte", 0), ("autonomy_level__lte", 5)),
                    _connector="OR",
                ),
                name="system_autonomy_level_in_range",
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="methodology",
            field=models.CharField(default="1.0", max_length=10),
        ),
        migrations.AddField(
            model_name="assessment",
            name="system",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assessments",
                to="assessments.aisystem",
            ),
        ),
        migrations.RunPython(systems_from_titles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assessment",
            name="system",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assessments",
                to="assessments.aisystem",
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="methodology",
            field=models.CharField(default="1.1", max_length=10),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="assessment",
            trigger=pgtrigger.compiler.Trigger(
                name="assessment_frozen",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='IF TG_OP = \'UPDATE\' AND ((OLD."status" = \'finalised\')) AND NOT (OLD."id" IS NOT DISTINCT FROM NEW."id" AND OLD."organisation_id" IS NOT DISTINCT FROM NEW."organisation_id" AND OLD."framework_id" IS NOT DISTINCT FROM NEW."framework_id" AND OLD."system_id" IS NOT DISTINCT FROM NEW."system_id" AND OLD."methodology" IS NOT DISTINCT FROM NEW."methodology" AND OLD."title" IS NOT DISTINCT FROM NEW."title" AND OLD."purpose" IS NOT DISTINCT FROM NEW."purpose" AND OLD."system_owner" IS NOT DISTINCT FROM NEW."system_owner" AND OLD."deployment_stage" IS NOT DISTINCT FROM NEW."deployment_stage" AND OLD."personas" IS NOT DISTINCT FROM NEW."personas" AND OLD."scoping" IS NOT DISTINCT FROM NEW."scoping" AND OLD."status" IS NOT DISTINCT FROM NEW."status" AND OLD."revision" IS NOT DISTINCT FROM NEW."revision" AND OLD."created_at" IS NOT DISTINCT FROM NEW."created_at" AND OLD."updated_at" IS NOT DISTINCT FROM NEW."updated_at" AND OLD."submitted_at" IS NOT DISTINCT FROM NEW."submitted_at" AND OLD."finalised_at" IS NOT DISTINCT FROM NEW."finalised_at" AND (NEW."previous_id" IS NULL OR NEW."previous_id" IS NOT DISTINCT FROM OLD."previous_id") AND (NEW."created_by_id" IS NULL OR NEW."created_by_id" IS NOT DISTINCT FROM OLD."created_by_id") AND (NEW."finalised_by_id" IS NULL OR NEW."finalised_by_id" IS NOT DISTINCT FROM OLD."finalised_by_id")) THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: a finalised assessment cannot be changed, un-finalised or deleted\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'DELETE\' AND (OLD."status" = \'finalised\') THEN RAISE EXCEPTION USING MESSAGE = \'scorecard guard: a finalised assessment cannot be changed, un-finalised or deleted\', ERRCODE = \'integrity_constraint_violation\'; END IF; IF TG_OP = \'DELETE\' THEN RETURN OLD; END IF; RETURN NEW;',
                    hash="754e362a898dd9a1adb17cd4dde625e2b153446a",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_assessment_frozen_c41b6",
                    table="assessments_assessment",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
    ]
