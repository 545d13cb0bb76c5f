"""Handing over a rendered PDF, the same way for a scorecard and for a portfolio."""

from __future__ import annotations

from django.http import FileResponse, Http404

from assessments import audit
from assessments.models import Report, ReportStatus


def pdf_download(report: Report, *, filename: str, data: dict, **event) -> FileResponse:
    """The finished report's file as an attachment, recorded as "report.download" with
    `event` (organisation, summary, target) and `data` beside the report's id and size.
    A report not finished yet, or whose file has gone, is a 404 that says which."""
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404("This report is not ready.")
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404("This report's file is missing; request a new one.") from None
    audit.record(
        "report.download",
        data={"format": "pdf", **data, "report": str(report.pk), "size": report.size},
        **event,
    )
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )
