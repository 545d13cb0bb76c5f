"""What a source catalog keeps but nobody assesses: withdrawn controls, and the catalog-level
OSCAL data (metadata, catalog params, back-matter) that has no column elsewhere.

Withdrawn controls live in a table of their own, not as flagged controls, so nothing that
reads controls (the engine, the questionnaire, the scoping page) can score or show one by
mistake. Both tables are locked with their version like every catalog table.
"""

from __future__ import annotations

from django.db import models

from scorecard.models import triggers
from scorecard.models.catalog import CATALOG_LOCKED, CatalogPart, Domain


class WithdrawnControl(CatalogPart):
    """A control the source withdrew, kept so its id still resolves to its successors.

    `position` counts the domain's controls and withdrawn entries together, in source order,
    so an export puts the entry back where it stood.
    """

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="withdrawn")
    ref = models.CharField("id", max_length=120)
    name = models.CharField(max_length=300)
    enhances = models.CharField("enhancement of", max_length=120, blank=True)
    successors = models.JSONField(
        default=list, blank=True, help_text="Ids of the controls that took its place."
    )
    oscal = models.JSONField("OSCAL data", default=dict, blank=True)

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref"], name="withdrawn_ref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.name} (withdrawn)"

    @property
    def label(self) -> str:
        """The source's display label (e.g. AC-13), or the id when it gave none."""
        for prop in self.oscal.get("props") or ():
            if prop.get("name") == "label" and "ns" not in prop and "class" not in prop:
                return str(prop.get("value", "")) or self.ref
        return self.ref


class CatalogOscal(CatalogPart):
    """The OSCAL catalog's own uuid, metadata, params and back-matter (one row at most)."""

    data = models.JSONField(default=dict, blank=True)

    class Meta(CatalogPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework"], name="catalog_oscal_one_per_version")
        ]

    def __str__(self) -> str:
        return f"OSCAL data of {self.framework_id}"


triggers.protect(CATALOG_LOCKED, WithdrawnControl, CatalogOscal)
