"""Generated report files (PDF scorecards), produced asynchronously by a worker."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Rendering"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ReportKind(models.TextChoices):
    SCORECARD = "scorecard", "Assessment scorecard"
    PORTFOLIO = "portfolio", "Organisation portfolio"


def report_path(instance, filename: str) -> str:
    owner = instance.assessment_id or f"portfolio-{instance.organisation_id}"
    return f"reports/{owner}/{instance.id.hex}.pdf"


class Report(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=ReportKind.choices, default=ReportKind.SCORECARD)
    # A scorecard belongs to an assessment; a portfolio report to the organisation alone.
    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    organisation = models.ForeignKey(
        "assessments.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    file = models.FileField(upload_to=report_path, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    # A finalised assessment's PDF is reused while these two match.
    snapshot_hash = models.CharField(max_length=64, blank=True, db_index=True)
    template_version = models.CharField(max_length=20, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="scorecard", assessment__isnull=False)
                | models.Q(kind="portfolio", assessment__isnull=True, organisation__isnull=False),
                name="report_belongs_to_its_kind",
            )
        ]

    def __str__(self) -> str:
        return f"Report {self.id} ({self.status})"
