"""Rendering a queued Report's PDF (what the worker runs) and rendering for scripts.

Kept apart from reports/service.py, which queues the work: the worker's task imports this
module, and the service imports the task, so the dependency runs one way.
"""

from __future__ import annotations

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from assessments.models import Report, ReportKind, ReportStatus
from assessments.reports import pdf, portfolio_pdf

log = logging.getLogger(__name__)


def render_report_to_file(*, report_id) -> Report | None:
    """Render one Report's PDF and store it. Safe to run twice: a done report is kept.

    A failure is stored on the Report as a message a person can act on (what failed, what
    to do); the traceback goes to the log only.
    """
    report = _claim(report_id)
    if report is None or report.status == ReportStatus.DONE:
        return report
    try:
        content = _render(report)
    except SoftTimeLimitExceeded:
        return _fail(report, "The PDF took too long to render. Try again in a few minutes.")
    except Exception:
        log.exception("rendering report %s failed", report.id)
        return _fail(
            report,
            "The PDF could not be rendered because of an error on our side. "
            "Try again; if it keeps failing, tell your administrator (report "
            f"{report.id}).",
        )
    try:
        if report.file:
            report.file.delete(save=False)
        report.file.save(f"{report.id.hex}.pdf", ContentFile(content), save=False)
    except OSError:
        log.exception("storing report %s failed", report.id)
        return _fail(
            report,
            "The PDF was made but could not be saved: the file storage refused it (it "
            "may be full or read-only). Try again later; if it keeps failing, tell your "
            f"administrator (report {report.id}).",
        )
    report.size = len(content)
    report.status = ReportStatus.DONE
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "size", "status", "finished_at"])
    return report


def _render(report: Report) -> bytes:
    # The one place the kinds differ: what is typeset. Claiming, storing and failing are shared.
    if report.kind == ReportKind.PORTFOLIO:
        return portfolio_pdf.render_portfolio_pdf(report.organisation)
    return pdf.render_assessment_pdf(report.assessment)


def _claim(report_id) -> Report | None:
    """Mark the Report as rendering (under its row lock); a done one is returned as is."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related(
                "assessment__organisation",
                "assessment__framework",
                "assessment__system",
                "organisation",
            )
            .filter(pk=report_id)
            .first()
        )
        if report is None:
            log.warning("report %s vanished before it was rendered", report_id)
            return None
        if report.status == ReportStatus.DONE and report.file:
            return report
        report.status = ReportStatus.RUNNING
        report.started_at = timezone.now()
        report.error = ""
        report.save(update_fields=["status", "started_at", "error"])
    return report


def _fail(report: Report, message: str) -> Report:
    report.status = ReportStatus.FAILED
    report.error = message
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "error", "finished_at"])
    return report


def render_to_path(*, assessment, path) -> int:
    """Synchronous rendering for scripts (manage.py render_report); returns the byte count."""
    content = pdf.render_assessment_pdf(assessment)
    with open(path, "wb") as out:
        out.write(content)
    return len(content)
