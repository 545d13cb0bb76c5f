"""A catalog file imported in the background, and how far its import has got.

The admin hands files over CATALOG_IMPORT_INLINE_BYTES to a Celery worker instead of
importing them during the request; this row is what the progress page reads. It is a
record about an import, not part of a catalog, so no write guard or trigger applies.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from scorecard.models.framework import Framework


class CatalogImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


FINISHED = (CatalogImportStatus.DONE, CatalogImportStatus.FAILED)


class CatalogImport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The name the user's file had: shown on the page and in the problem lines, never used
    # as a path. The upload is stored under `stored_name`, which the import generates.
    file_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    stored_name = models.CharField(max_length=255, blank=True)
    # The import page's options: "" for a format worked out from the file, "" for the
    # version the file gives.
    format = models.CharField(max_length=20, blank=True)
    version = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        max_length=20, choices=CatalogImportStatus.choices, default=CatalogImportStatus.QUEUED
    )
    progress = models.CharField(max_length=200, blank=True)
    # Every problem of a refused file, as {"source", "path", "message"}.
    problems = models.JSONField(default=list, blank=True)
    framework = models.ForeignKey(
        Framework, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED
