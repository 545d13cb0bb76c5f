"""The AI systems an organisation runs: its inventory, what each is made of, and who owns it.

A system is described in the Risk Map's terms (components, lifecycle stages, actor access,
impact types, personas), kept as term ids like an assessment's personas so they survive
catalog upgrades. Its assessments are scoped from it. Every change is kept as a
`SystemChange` (the history page), and an assessor's suggested change waits as a
`SystemProposal` until an owner accepts or declines it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from scorecard.catalog import autonomy

USER = settings.AUTH_USER_MODEL

# The fields that describe a system: what its history records, a proposal carries and the
# form edits. Bookkeeping (who created it, when) is not part of the record.
RECORD_FIELDS = (
    "name",
    "owner_id",
    "description",
    "purpose",
    "lifecycle_stages",
    "components",
    "actor_access",
    "impact_types",
    "autonomy_level",
    "personas",
    "repository_url",
    "model_card_url",
)
# The fields holding lists of term (or persona) ids.
TERM_LIST_FIELDS = ("lifecycle_stages", "components", "actor_access", "impact_types", "personas")


class AISystemQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)


class AISystem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "assessments.Organisation", on_delete=models.PROTECT, related_name="ai_systems"
    )
    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(blank=True)
    purpose = models.TextField("business purpose", blank=True)
    # Term ids of the catalog vocabulary. An empty list means "not stated": scoping then
    # does not narrow on that kind (see scorecard.scoring.scope).
    lifecycle_stages = models.JSONField(default=list, blank=True)
    components = models.JSONField(default=list, blank=True)
    actor_access = models.JSONField(default=list, blank=True)
    impact_types = models.JSONField(default=list, blank=True)
    # L0-L5 (scorecard.catalog.autonomy); None: not stated.
    autonomy_level = models.PositiveSmallIntegerField(null=True, blank=True)
    personas = models.JSONField(default=list, blank=True)
    repository_url = models.URLField("repository", max_length=500, blank=True)
    model_card_url = models.URLField("model card", max_length=500, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AISystemQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "AI system"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="one_system_name_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(autonomy_level__isnull=True)
                | models.Q(
                    autonomy_level__gte=autonomy.LOWEST, autonomy_level__lte=autonomy.HIGHEST
                ),
                name="system_autonomy_level_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def autonomy(self) -> autonomy.Level | None:
        return autonomy.BY_NUMBER.get(self.autonomy_level)

    def as_record(self) -> dict:
        """The system's describing fields (RECORD_FIELDS), as history and proposals keep them."""
        record = {name: getattr(self, name) for name in RECORD_FIELDS}
        record["owner_id"] = record["owner_id"] and str(record["owner_id"])
        return record

    def clean(self) -> None:
        for name in TERM_LIST_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise ValidationError({name: "Expected a list of ids."})


class SystemChange(models.Model):
    """One change to a system's record: what it was and what it became (None: created)."""

    system = models.ForeignKey(AISystem, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField()
    # Set when the change is an accepted proposal.
    proposal = models.ForeignKey(
        "assessments.SystemProposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an owner"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SystemProposal(models.Model):
    """An assessor's suggested new system (`system` empty) or change to one."""

    organisation = models.ForeignKey(
        "assessments.Organisation", on_delete=models.CASCADE, related_name="system_proposals"
    )
    system = models.ForeignKey(
        AISystem, null=True, blank=True, on_delete=models.CASCADE, related_name="proposals"
    )
    # The whole proposed record (RECORD_FIELDS), not a difference: an owner sees it in full.
    data = models.JSONField()
    note = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    proposed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING
