"""Report workflows: request a PDF (reusing a cached one), render it, retry a failure.

The web request only records a queued Report and hands its id to a worker after commit; the
worker renders through render_report_to_file (reports/render.py). A finalised assessment
cannot change, so its PDF is reused while the score snapshot, the template version and
the sign-offs are the same.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments.models import Report, ReportStatus, SignOff
from assessments.reports import pdf

# Re-exported for the callers that render through this module (commands, tests).
from assessments.reports.render import render_report_to_file, render_to_path
from assessments.scoring import latest_snapshot
from assessments.tasks import render_report

log = logging.getLogger(__name__)

# A report still queued or rendering after this long lost its worker; offer a retry.
STALE_AFTER = timedelta(minutes=10)


class ReportNotRetryable(ValueError):
    pass


def cache_key(assessment) -> str:
    """The snapshot hash a finalised assessment's PDF is cached under; "" means never cache."""
    if not assessment.is_finalised:
        return ""
    snapshot = latest_snapshot(assessment)
    return snapshot.result_hash if snapshot else ""


def cached_report(assessment, key: str) -> Report | None:
    """A finished PDF of the same snapshot and template that no later sign-off made stale."""
    if not key:
        return None
    report = (
        Report.objects.filter(
            assessment=assessment,
            status=ReportStatus.DONE,
            snapshot_hash=key,
            template_version=pdf.TEMPLATE_VERSION,
        )
        .exclude(file="")
        .order_by("-started_at", "-created_at")
        .first()
    )
    if report is None or not report.file.storage.exists(report.file.name):
        return None
    # Sign-offs are the one thing added to a finalised assessment; the PDF lists them.
    signed_later = SignOff.objects.filter(
        assessment=assessment, created_at__gte=report.started_at or report.created_at
    ).exists()
    return None if signed_later else report


@transaction.atomic
def request_report(*, assessment, user) -> tuple[Report, bool]:
    """The Report to show for a PDF request and whether it was served from the cache.

    Reuses a cached PDF, or a render of the same snapshot already under way; otherwise
    records a queued Report and queues the render once the transaction commits.
    """
    key = cache_key(assessment)
    cached = cached_report(assessment, key)
    if cached is not None:
        return cached, True
    if key:
        pending = (
            Report.objects.filter(
                assessment=assessment,
                status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING),
                snapshot_hash=key,
                template_version=pdf.TEMPLATE_VERSION,
                created_at__gte=timezone.now() - STALE_AFTER,
            )
            .order_by("-created_at")
            .first()
        )
        if pending is not None:
            return pending, False
    report = Report.objects.create(
        assessment=assessment,
        requested_by=user,
        snapshot_hash=key,
        template_version=pdf.TEMPLATE_VERSION,
    )
    _queue(report)
    return report, False


@transaction.atomic
def retry_report(*, report: Report) -> Report:
    """Queue a failed (or abandoned) render again under the same id."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == ReportStatus.DONE or not (
        report.status == ReportStatus.FAILED or is_stale(report)
    ):
        raise ReportNotRetryable("Only a failed report can be retried.")
    report.status = ReportStatus.QUEUED
    report.error = ""
    report.created_at = timezone.now()
    report.started_at = None
    report.finished_at = None
    report.save(update_fields=["status", "error", "created_at", "started_at", "finished_at"])
    _queue(report)
    return report


def _queue(report: Report) -> None:
    report_id = str(report.id)
    transaction.on_commit(lambda: render_report.delay(report_id))


def is_stale(report: Report) -> bool:
    if report.status not in (ReportStatus.QUEUED, ReportStatus.RUNNING):
        return False
    since = report.started_at or report.created_at
    return timezone.now() - since > STALE_AFTER


__all__ = [
    "ReportNotRetryable",
    "cache_key",
    "cached_report",
    "is_stale",
    "render_report_to_file",
    "render_to_path",
    "request_report",
    "retry_report",
]
