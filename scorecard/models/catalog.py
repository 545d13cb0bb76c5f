"""Everything inside a framework version. Every row carries its framework so that
one query per kind loads a whole catalog, and so the immutability guard can check
any write, single or bulk, without walking up the tree."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from scorecard.models.framework import Framework, FrameworkLocked, FrameworkStatus


def _refuse_if_locked(framework_ids) -> None:
    ids = {fid for fid in framework_ids if fid is not None}
    if not ids:
        return
    locked = Framework.objects.filter(pk__in=ids).exclude(status=FrameworkStatus.DRAFT).first()
    if locked is not None:
        raise FrameworkLocked(str(locked))


class CatalogQuerySet(models.QuerySet):
    """Bulk writes bypass save(); they are guarded here instead."""

    def update(self, **kwargs):
        _refuse_if_locked(self.values_list("framework_id", flat=True).distinct())
        return super().update(**kwargs)

    def delete(self):
        _refuse_if_locked(self.values_list("framework_id", flat=True).distinct())
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        _refuse_if_locked(obj.framework_id for obj in objs)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        _refuse_if_locked(obj.framework_id for obj in objs)
        return super().bulk_update(objs, *args, **kwargs)

    def for_framework(self, framework):
        return self.filter(framework=framework)


class CatalogPart(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def save(self, *args, **kwargs):
        _refuse_if_locked([self.framework_id])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_locked([self.framework_id])
        return super().delete(*args, **kwargs)


def validate_weight(value: float) -> None:
    # The engine divides by sums of weights, so a zero weight is as wrong as a negative one.
    if not value > 0:
        raise ValidationError("A weight must be greater than 0.", code="weight")


def _weight_field():
    return models.FloatField(default=1.0, validators=[validate_weight])


class ScaleOption(CatalogPart):
    """One level of the framework's answer scale, shared by every `scale` question."""

    label = models.CharField(max_length=200)
    value = models.FloatField()
    description = models.TextField(blank=True)

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "label"], name="scale_label_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.value:g})"


class Tier(CatalogPart):
    name = models.CharField(max_length=100)
    min_score = models.FloatField()

    class Meta(CatalogPart.Meta):
        ordering = ["min_score", "pk"]
        constraints = [models.UniqueConstraint(fields=["framework", "name"], name="tier_unique")]

    def __str__(self) -> str:
        return f"{self.name} (≥ {self.min_score:g})"


class Persona(CatalogPart):
    ref = models.CharField("id", max_length=120)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref"], name="persona_ref_unique")
        ]

    def __str__(self) -> str:
        return self.name


class PersonaQuestion(CatalogPart):
    """A yes/no question that, answered yes, suggests the persona applies to a scope."""

    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()

    def __str__(self) -> str:
        return self.text


class Risk(CatalogPart):
    ref = models.CharField("id", max_length=120)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=120, blank=True)

    class Meta(CatalogPart.Meta):
        constraints = [models.UniqueConstraint(fields=["framework", "ref"], name="risk_ref_unique")]

    def __str__(self) -> str:
        return self.name


class Domain(CatalogPart):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    ref = models.CharField("id", max_length=120)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = _weight_field()

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref"], name="domain_ref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.name}"


class Control(CatalogPart):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="controls")
    ref = models.CharField("id", max_length=120)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    guidance = models.TextField(blank=True, help_text="How to improve: shown as the next step.")
    weight = _weight_field()
    critical = models.BooleanField(
        default=False, help_text="Scoring below the critical threshold caps the tier."
    )
    personas = models.ManyToManyField(Persona, through="ControlPersona", blank=True)
    risks = models.ManyToManyField(Risk, through="ControlRisk", blank=True)

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref"], name="control_ref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.name}"


class ControlPersona(CatalogPart):
    control = models.ForeignKey(Control, on_delete=models.CASCADE)
    persona = models.ForeignKey(Persona, on_delete=models.CASCADE)

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["control", "persona"], name="control_persona_unique")
        ]


class ControlRisk(CatalogPart):
    control = models.ForeignKey(Control, on_delete=models.CASCADE)
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE)

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["control", "risk"], name="control_risk_unique")
        ]


class ControlMapping(CatalogPart):
    """A reference to an external framework, e.g. nist-ai-rmf GOVERN-1.1@1.0."""

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="mappings")
    scheme = models.CharField(max_length=80, help_text="External framework id, e.g. nist-ai-rmf")
    reference = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.scheme}: {self.reference}"


class QuestionType(models.TextChoices):
    SCALE = "scale", "Maturity scale"
    CHOICE = "choice", "Choice"
    YES_NO = "yes_no", "Yes / no"
    NUMBER = "number", "Number (not scored)"
    TEXT = "text", "Text (not scored)"


SCORED_TYPES = frozenset({QuestionType.SCALE, QuestionType.CHOICE, QuestionType.YES_NO})
YES_NO_OPTIONS = (("Yes", 1.0, ""), ("No", 0.0, ""))


class Question(CatalogPart):
    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="questions")
    ref = models.CharField("id", max_length=120)
    text = models.TextField()
    help = models.TextField(blank=True)
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    weight = _weight_field()
    allow_na = models.BooleanField("N/A allowed", default=False)
    evidence = models.CharField(
        "evidence expected", max_length=300, blank=True, help_text="What evidence supports it."
    )

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref"], name="question_ref_unique")
        ]

    def __str__(self) -> str:
        return self.ref

    @property
    def is_scored(self) -> bool:
        return self.type in SCORED_TYPES


class Option(CatalogPart):
    """An answer option of a `choice` question (scale and yes/no options are implied)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    value = models.FloatField()
    description = models.TextField(blank=True)

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["question", "label"], name="option_label_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.value:g})"
