"""The vocabulary of a framework version (components, lifecycle stages, actor access, impact
types) and the external schemes its mappings point to; see scorecard.catalog.vocabulary.

Like every catalog part they belong to one version and are locked with it, in the ORM and
by the database triggers below. Controls and risks name terms by id in JSON lists on their
own rows (see `catalog.term_refs_field`), so the engine's catalog loads them with the control query
and a published version costs no extra query; publishing checks that every id resolves.
"""

from __future__ import annotations

from django.db import models

from scorecard.catalog import vocabulary
from scorecard.models import triggers
from scorecard.models.catalog import CATALOG_LOCKED, CatalogPart
from scorecard.models.fields import validate_titles


class TermKind(models.TextChoices):
    COMPONENT_CATEGORY = vocabulary.COMPONENT_CATEGORY, "Component category"
    COMPONENT = vocabulary.COMPONENT, "Component"
    LIFECYCLE_STAGE = vocabulary.LIFECYCLE_STAGE, "Lifecycle stage"
    ACTOR_ACCESS = vocabulary.ACTOR_ACCESS, "Actor access level"
    IMPACT_TYPE = vocabulary.IMPACT_TYPE, "Impact type"


class Term(CatalogPart):
    """One term of the vocabulary; `position` keeps the catalog's order within its kind."""

    kind = models.CharField(max_length=40, choices=TermKind.choices)
    ref = models.CharField("id", max_length=120)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        limit_choices_to={"kind": vocabulary.COMPONENT_CATEGORY},
        help_text="The component category a component or a sub-category belongs to.",
    )
    group = models.CharField(
        max_length=80,
        blank=True,
        help_text="A free grouping, e.g. traditional or modern actor access.",
    )

    class Meta(CatalogPart.Meta):
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "kind", "ref"], name="term_ref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ref})"


class MappingScheme(CatalogPart):
    """An external framework that mappings are keyed by (the Risk Map's frameworks.yaml)."""

    ref = models.CharField("id", max_length=80, help_text="The mapping key, e.g. mitre-atlas.")
    name = models.CharField(max_length=200)
    full_name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    version = models.CharField(max_length=40, blank=True, help_text="Empty: unversioned.")
    version_id = models.CharField(max_length=120, blank=True)
    supersedes = models.CharField(max_length=120, blank=True)
    prior_versions = models.JSONField(default=list, blank=True)
    base_uri = models.CharField(max_length=500, blank=True)
    document_uri = models.CharField(max_length=500, blank=True)
    technique_uri_pattern = models.CharField(
        max_length=500, blank=True, help_text="A link for one reference, {id} standing for it."
    )
    last_updated = models.CharField(max_length=20, blank=True)
    applies_to = models.JSONField(default=list, blank=True)
    titles = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_titles],
        help_text="The title of each reference, e.g. {llm01-2025: LLM01:2025 Prompt Injection}.",
    )

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref"], name="mapping_scheme_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


triggers.protect(CATALOG_LOCKED, Term, MappingScheme)
