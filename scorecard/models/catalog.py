"""Everything inside a framework version. Every row carries its framework so that
one query per kind loads a whole catalog, and so the immutability guard can check
any write, single or bulk, without walking up the tree."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from scorecard.catalog import autonomy, limits
from scorecard.models import triggers
from scorecard.models.fields import (
    mappings_field,
    references_field,
    term_refs_field,
    text_list_field,
)
from scorecard.models.framework import Framework, FrameworkLocked, FrameworkStatus
from scorecard.models.guard import GuardedModel, GuardedQuerySet, WriteGuard


def _refuse_if_locked(framework_ids: set) -> None:
    locked = Framework.objects.filter(pk__in=framework_ids).exclude(status=FrameworkStatus.DRAFT)
    locked = locked.first()
    if locked is not None:
        raise FrameworkLocked(str(locked))


CATALOG_GUARD = WriteGuard(parent="framework_id", refuse=_refuse_if_locked)

# Below the ORM: no row of a published or retired version may be added, changed or removed.
CATALOG_LOCKED = triggers.Rule(
    name="catalog_locked",
    message="rows of a published or retired framework version cannot be changed",
    locked=triggers.parent_locked(
        Framework._meta.db_table, "framework_id", "parent.\"status\" <> 'draft'"
    ),
)


class CatalogQuerySet(GuardedQuerySet):
    write_guard = CATALOG_GUARD

    def for_framework(self, framework):
        return self.filter(framework=framework)


class CatalogPart(GuardedModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    write_guard = CATALOG_GUARD
    objects = CatalogQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


# The limits the database checks too (see the CheckConstraints below) and the catalog import
# applies: the engine divides by sums of weights, so a zero weight is as wrong as a negative
# one, and a huge one would drown every other; option values are fractions of full marks.
WEIGHT_MAX = 1e6
VALUE_MIN, VALUE_MAX = 0.0, 1.0


def validate_weight(value: float) -> None:
    # Written so that NaN fails too: every comparison with NaN is false.
    if not (value > 0 and value <= WEIGHT_MAX):
        raise ValidationError(
            f"A weight must be greater than 0 and at most {WEIGHT_MAX:g}.", code="weight"
        )


def validate_option_value(value: float) -> None:
    if not (value >= VALUE_MIN and value <= VALUE_MAX):
        raise ValidationError(
            f"An option value must be between {VALUE_MIN:g} and {VALUE_MAX:g}.", code="value"
        )


def validate_code(value: str) -> None:
    problem = limits.code_problem(value)
    if problem:
        raise ValidationError(f"A code {problem}.", code="code")


class DisplayCoded:
    """A catalog row with a display `code` beside its source id `ref` (domains, controls,
    questions)."""

    @property
    def display_ref(self) -> str:
        """How messages name the row: "DAT-3.1 (controlXyz.q1)", or the id without a code."""
        return f"{self.code} ({self.ref})" if self.code else self.ref


def _code_field():
    # Empty only for rows written before codes existed or by code that sets none; every
    # import and the migration fill it, and headings fall back to the id when it is empty.
    return models.CharField(
        max_length=limits.CODE_MAX_LENGTH,
        default="",
        blank=True,
        validators=[validate_code],
        help_text=(
            "Short display code shown in headings, e.g. DAT-3.1; the id stays the reference. "
            "Left empty, one is generated when the version is published."
        ),
    )


def code_unique(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["framework", "code"],
        condition=~models.Q(code=""),
        name=name,
        violation_error_message="This code is already used in this framework version.",
    )


def _weight_field():
    return models.FloatField(default=1.0, validators=[validate_weight])


def _value_field():
    return models.FloatField(validators=[validate_option_value])


def weight_in_range(name: str) -> models.CheckConstraint:
    # On PostgreSQL NaN sorts above every number, so `<= WEIGHT_MAX` refuses it as well.
    return models.CheckConstraint(
        condition=models.Q(weight__gt=0) & models.Q(weight__lte=WEIGHT_MAX), name=name
    )


def value_in_range(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(value__gte=VALUE_MIN) & models.Q(value__lte=VALUE_MAX), name=name
    )


class ScaleOption(CatalogPart):
    """One level of the framework's answer scale, shared by every `scale` question."""

    label = models.CharField(max_length=200)
    value = _value_field()
    description = models.TextField(blank=True)

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "label"], name="scale_label_unique"),
            value_in_range("scale_value_in_range"),
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
    responsibilities = text_list_field("What this persona is responsible for, one per item.")
    mappings = mappings_field()

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
    long_description = models.TextField(blank=True)
    examples = models.TextField(blank=True)
    references = references_field()
    mappings = mappings_field()
    lifecycle_stages = term_refs_field("lifecycle stage")
    actor_access = term_refs_field("actor access level")
    impact_types = term_refs_field("impact type")

    class Meta(CatalogPart.Meta):
        constraints = [models.UniqueConstraint(fields=["framework", "ref"], name="risk_ref_unique")]

    def __str__(self) -> str:
        return self.name


def _oscal_field(what: str):
    # What an OSCAL source said that has no column of its own (params, props, links, parts),
    # kept as the source wrote it so an export gives it back unchanged; never scored.
    return models.JSONField(
        "OSCAL data",
        default=dict,
        blank=True,
        help_text=f"The {what}'s OSCAL params, props, links and parts, kept for the export.",
    )


class Domain(DisplayCoded, CatalogPart):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    ref = models.CharField("id", max_length=120)
    code = _code_field()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = _weight_field()
    oscal = _oscal_field("group")

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref"], name="domain_ref_unique"),
            code_unique("domain_code_unique"),
            weight_in_range("domain_weight_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.name}"


class Control(DisplayCoded, CatalogPart):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="controls")
    ref = models.CharField("id", max_length=120)
    code = _code_field()
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    guidance = models.TextField(blank=True, help_text="How to improve: shown as the next step.")
    weight = _weight_field()
    critical = models.BooleanField(
        default=False, help_text="Scoring below the critical threshold caps the tier."
    )
    personas = models.ManyToManyField(Persona, through="ControlPersona", blank=True)
    risks = models.ManyToManyField(Risk, through="ControlRisk", blank=True)
    components = term_refs_field("component")
    lifecycle_stages = term_refs_field("lifecycle stage")
    actor_access = term_refs_field("actor access level")
    impact_types = term_refs_field("impact type")
    evidence_autonomy = models.PositiveSmallIntegerField(
        "evidence expected from autonomy level",
        null=True,
        blank=True,
        choices=[(level.number, f"{level.code}+ ({level.name})") for level in autonomy.LEVELS],
        help_text="Systems at this autonomy level or higher need evidence for this control.",
    )
    enhances = models.CharField(
        "enhancement of",
        max_length=120,
        blank=True,
        help_text="The id of the control this one enhances (OSCAL nests it there).",
    )
    oscal = _oscal_field("control")

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref"], name="control_ref_unique"),
            code_unique("control_code_unique"),
            weight_in_range("control_weight_in_range"),
            models.CheckConstraint(
                condition=models.Q(evidence_autonomy__lte=autonomy.HIGHEST),
                name="control_evidence_autonomy_level",
            ),
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


class Question(DisplayCoded, CatalogPart):
    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="questions")
    ref = models.CharField("id", max_length=120)
    code = _code_field()
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
            models.UniqueConstraint(fields=["framework", "ref"], name="question_ref_unique"),
            code_unique("question_code_unique"),
            weight_in_range("question_weight_in_range"),
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
    value = _value_field()
    description = models.TextField(blank=True)

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["question", "label"], name="option_label_unique"),
            value_in_range("option_value_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.value:g})"


triggers.protect(
    CATALOG_LOCKED,
    ScaleOption,
    Tier,
    Persona,
    PersonaQuestion,
    Risk,
    Domain,
    Control,
    ControlPersona,
    ControlRisk,
    ControlMapping,
    Question,
    Option,
)
