"""Assessments of one AI system against one framework version, and their answers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from assessments.limits import EVIDENCE_DESCRIPTION, EVIDENCE_URL
from scorecard import scoring
from scorecard.models import triggers
from scorecard.models.guard import GuardedModel, GuardedQuerySet, WriteGuard

USER = settings.AUTH_USER_MODEL


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    IN_REVIEW = "in_review", "In review"
    FINALISED = "finalised", "Finalised"


class DeploymentStage(models.TextChoices):
    IDEA = "idea", "Idea or proposal"
    DEVELOPMENT = "development", "In development"
    PILOT = "pilot", "Pilot"
    PRODUCTION = "production", "In production"
    RETIRING = "retiring", "Being retired"


class AssessmentFinalised(ValidationError):
    def __init__(self):
        super().__init__(
            "This assessment is finalised and cannot be changed; reopen it to start a "
            "new revision.",
            code="assessment_finalised",
        )


# Below the ORM: a finalised assessment keeps its status and content and is never deleted.
# Nulling a deleted user (or deleted previous revision) is the one update it still takes.
ASSESSMENT_FROZEN = triggers.Rule(
    name="assessment_frozen",
    message="a finalised assessment cannot be changed, un-finalised or deleted",
    locked="""{row}."status" = 'finalised'""",
    insert=False,
    check_new_on_update=False,
    allow_update=triggers.only_set_null,
)
# ... nor may its answers, evidence, comments, answer history or assignments.
ASSESSMENT_PART_FROZEN = triggers.Rule(
    name="assessment_part_frozen",
    message="rows of a finalised assessment cannot be added, changed or deleted",
    locked=triggers.parent_locked(
        "assessments_assessment", "assessment_id", """parent."status" = 'finalised'"""
    ),
    allow_update=triggers.only_set_null,
)


class AssessmentQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def finalised(self):
        return self.filter(status=AssessmentStatus.FINALISED)

    # No query is spent checking first (saving answers updates the assessment on every
    # save): the trigger refuses, and its error becomes the domain error here.
    def update(self, **kwargs):
        with triggers.translated(AssessmentFinalised, ASSESSMENT_FROZEN):
            return super().update(**kwargs)

    def delete(self):
        with triggers.translated(AssessmentFinalised, ASSESSMENT_FROZEN, ASSESSMENT_PART_FROZEN):
            return super().delete()


class Assessment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "assessments.Organisation", on_delete=models.PROTECT, related_name="assessments"
    )
    framework = models.ForeignKey(
        "scorecard.Framework", on_delete=models.PROTECT, related_name="assessments"
    )
    # The AI system assessed; its record scopes the assessment (methodology 1.1).
    system = models.ForeignKey(
        "assessments.AISystem", on_delete=models.PROTECT, related_name="assessments"
    )
    # The methodology the assessment is scored with: assessments started before 1.1 stay on
    # 1.0 (scoped by personas only), so their scores do not move under them.
    methodology = models.CharField(max_length=10, default=scoring.METHODOLOGY_VERSION)
    title = models.CharField("AI system", max_length=200)
    purpose = models.TextField(blank=True)
    system_owner = models.CharField(max_length=200, blank=True)
    deployment_stage = models.CharField(
        max_length=20, choices=DeploymentStage.choices, default=DeploymentStage.DEVELOPMENT
    )
    # Persona ids (refs) selected for the scope; kept as refs so they survive catalog upgrades.
    personas = models.JSONField(default=list, blank=True)
    # Answers to the persona identification questions: {"<persona ref>": [true, false, ...]}.
    scoping = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    revision = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors"
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.title} (rev. {self.revision})"

    @property
    def is_finalised(self) -> bool:
        return self.status == AssessmentStatus.FINALISED

    @property
    def scope(self) -> scoring.Scope:
        """What the engine scopes this assessment by: the personas selected and, from
        methodology 1.1 on, the components, lifecycle stages and actor access its AI system
        states now (a 1.0 assessment never reads its system, so costs no query for it).
        A finalised assessment's stored results keep the scope they were scored with."""
        if self.methodology == "1.0":
            return scoring.Scope(personas=frozenset(self.personas or ()), methodology="1.0")
        system = self.system
        return scoring.Scope(
            personas=frozenset(self.personas or ()),
            components=frozenset(system.components or ()),
            lifecycle_stages=frozenset(system.lifecycle_stages or ()),
            actor_access=frozenset(system.actor_access or ()),
            methodology=self.methodology,
        )

    def assert_editable(self) -> None:
        if self.is_finalised:
            raise AssessmentFinalised()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def save(self, *args, **kwargs):
        if getattr(self, "_loaded_status", None) == AssessmentStatus.FINALISED:
            raise AssessmentFinalised()
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def delete(self, *args, **kwargs):
        if getattr(self, "_loaded_status", None) == AssessmentStatus.FINALISED:
            raise AssessmentFinalised()
        with triggers.translated(AssessmentFinalised, ASSESSMENT_FROZEN, ASSESSMENT_PART_FROZEN):
            return super().delete(*args, **kwargs)


def _refuse_if_finalised(assessment_ids: set) -> None:
    if Assessment.objects.filter(pk__in=assessment_ids, status=AssessmentStatus.FINALISED).exists():
        raise AssessmentFinalised()


ASSESSMENT_GUARD = WriteGuard(parent="assessment_id", refuse=_refuse_if_finalised)


class AssessmentPartQuerySet(GuardedQuerySet):
    write_guard = ASSESSMENT_GUARD


class AssessmentPart(GuardedModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")

    write_guard = ASSESSMENT_GUARD
    objects = AssessmentPartQuerySet.as_manager()

    class Meta:
        abstract = True


class Answer(AssessmentPart):
    """The current answer to one question. `version` detects concurrent edits."""

    # The answer's content: what is copied, compared, exported, recorded and cleared.
    # Everything else on the row (version, carried_over, who and when) is bookkeeping.
    CONTENT_FIELDS = ("option_label", "value", "number", "text", "na", "justification", "comment")
    # The history records `option_label` as "option" (stored AnswerChange rows use that name).
    RECORD_NAMES = {"option_label": "option"}

    question = models.ForeignKey("scorecard.Question", on_delete=models.PROTECT, related_name="+")
    option_label = models.CharField(max_length=200, blank=True)
    value = models.FloatField(null=True, blank=True)  # the chosen option's value, in [0, 1]
    number = models.FloatField(null=True, blank=True)  # for `number` questions
    text = models.TextField(blank=True)  # for `text` questions
    na = models.BooleanField("N/A", default=False)
    justification = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    carried_over = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_q")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.display_value()}"

    @property
    def is_answered(self) -> bool:
        return self.na or self.value is not None or self.number is not None or bool(self.text)

    def display_value(self) -> str:
        if self.na:
            return "N/A"
        if self.option_label:
            return self.option_label
        if self.number is not None:
            return f"{self.number:g}"
        return self.text

    def as_record(self) -> dict:
        """What the history shows and compares: the answer's content (CONTENT_FIELDS)."""
        return {
            self.RECORD_NAMES.get(name, name): getattr(self, name) for name in self.CONTENT_FIELDS
        }

    @classmethod
    def empty_record(cls) -> dict:
        """as_record() of an answer with nothing filled in."""
        return cls().as_record()

    def content(self) -> dict:
        """The content fields by model field name, to copy onto another Answer."""
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}


class AnswerChange(AssessmentPart):
    question = models.ForeignKey("scorecard.Question", on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField()

    class Meta:
        ordering = ["-changed_at", "-pk"]


def evidence_path(instance, filename: str) -> str:
    # Stored under an unguessable name; the original name is kept in `filename`.
    return f"evidence/{instance.assessment_id}/{uuid.uuid4().hex}"


class EvidenceKind(models.TextChoices):
    FILE = "file", "File"
    LINK = "link", "Link"


class Evidence(AssessmentPart):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey("scorecard.Question", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    url = models.URLField(max_length=EVIDENCE_URL, blank=True)
    file = models.FileField(upload_to=evidence_path, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    description = models.CharField(max_length=EVIDENCE_DESCRIPTION, blank=True)
    carried_over = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.filename or self.url


class ReviewComment(AssessmentPart):
    """A reviewer's comment on a question, or an assessor's reply to one (`parent`)."""

    question = models.ForeignKey(
        "scorecard.Question", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class DomainAssignment(AssessmentPart):
    domain = models.ForeignKey("scorecard.Domain", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="one_assignee_per_domain")
        ]


class ScoreSnapshot(models.Model):
    """The full scoring result of a finalised assessment. Never updated: a rescore adds one."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="snapshots")
    created_at = models.DateTimeField(default=timezone.now)
    methodology_version = models.CharField(max_length=20)
    catalog_hash = models.CharField(max_length=64)
    result_hash = models.CharField(max_length=64)
    result = models.JSONField()
    reason = models.CharField(max_length=40, default="finalised")
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        # The public /verify/ page looks snapshots up by fingerprint.
        indexes = [models.Index(fields=["result_hash"], name="snapshot_result_hash")]
        get_latest_by = "created_at"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A score snapshot is never changed; record a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A score snapshot is never deleted.")


class SignOff(models.Model):
    """An auditor's sign-off of a finalised assessment, bound to the snapshot it saw."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="signoffs")
    snapshot = models.ForeignKey(ScoreSnapshot, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    statement = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]


triggers.protect(ASSESSMENT_FROZEN, Assessment)
triggers.protect(
    ASSESSMENT_PART_FROZEN,
    Answer,
    AnswerChange,
    Evidence,
    ReviewComment,
    DomainAssignment,
)
# Nothing changes or removes a stored score; a rescore adds a snapshot.
triggers.protect(
    triggers.Rule(
        name="snapshot_frozen",
        message="score snapshots are never changed or deleted; a rescore adds a new one",
        locked="1 = 1",
        insert=False,
        check_new_on_update=False,
    ),
    ScoreSnapshot,
)
