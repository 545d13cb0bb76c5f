"""Scorecard page, "why this score", PDF reports and exports.

Every object comes through assessments.access: another organisation's assessment or report
is a 404, a role without the action a 403. Exports and downloads are written to the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from assessments import audit
from assessments.access import get_assessment, get_report, visible_assessments
from assessments.models import Report, ReportStatus
from assessments.reports import exports, service
from assessments.reports.compare import previous_assessment
from assessments.reports.context import build_report_context
from assessments.reports.explain import UnknownScore, explain
from assessments.scoring import current_result
from assessments.selectors import lists


def _get_report(request, report_id, action: str = "export") -> Report:
    """A report through its assessment's access rules (404 outside, 403 without `action`).

    Report URLs name only the report, so there is no assessment id to check it against.
    """
    report, _assessment, _access = get_report(request, report_id, action=action)
    return report


def _scorecard_url(assessment, anchor: str = "") -> str:
    url = reverse("scorecard", kwargs={"assessment_id": assessment.pk})
    return f"{url}#{anchor}" if anchor else url


@require_GET
@login_required
def scorecard(request, assessment_id):
    assessment, access = get_assessment(request, assessment_id, "view")
    visible = visible_assessments(request.user)
    previous = previous_assessment(assessment, visible)
    context = build_report_context(
        assessment, result=current_result(assessment), compare_with=previous
    )
    context.update(
        access=access,
        can_export=access.can("export"),
        report=lists.latest_report(assessment),
        previous=previous,
        compare_choices=lists.compare_choices(visible, assessment),
    )
    _add_report_state(context)
    return render(request, "reports/scorecard.html", context)


@require_GET
@login_required
def assessment_compare(request, assessment_id, other_id):
    assessment, access = get_assessment(request, assessment_id, "view")
    other, _other_access = get_assessment(request, other_id, "view")
    if other.pk == assessment.pk:
        raise Http404("Choose another assessment to compare with.")
    context = build_report_context(
        assessment, result=current_result(assessment), compare_with=other
    )
    context["access"] = access
    return render(request, "reports/compare.html", context)


@require_GET
@login_required
def score_explain(request, assessment_id, kind, ref):
    assessment, access = get_assessment(request, assessment_id, "view")
    try:
        context = explain(assessment, current_result(assessment), kind, ref)
    except UnknownScore:
        raise Http404("No such score.") from None
    context.update(assessment=assessment, access=access)
    template = "reports/_explain.html" if request.htmx else "reports/explain.html"
    return render(request, template, context)


@require_POST
@login_required
def report_request(request, assessment_id):
    assessment, _access = get_assessment(request, assessment_id, "export")
    report, cached = service.request_report(assessment=assessment, user=request.user)
    audit.record(
        "report.export",
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Requested the PDF scorecard of {assessment.title}",
        data={"format": "pdf", "report": str(report.pk), "cached": cached},
    )
    if request.htmx:
        # Rendering may already have finished inline (eager Celery): show the current state.
        report.refresh_from_db()
        report.assessment = assessment
        return _status_partial(request, report)
    if cached:
        messages.info(request, "The PDF of this finalised assessment is ready to download.")
    return redirect(_scorecard_url(assessment, "report"))


@require_GET
@login_required
def report_status(request, report_id):
    report = _get_report(request, report_id)
    if request.htmx:
        return _status_partial(request, report)
    context = {"assessment": report.assessment, "report": report}
    _add_report_state(context)
    return render(request, "reports/report_status.html", context)


@require_POST
@login_required
def report_retry(request, report_id):
    report = _get_report(request, report_id)
    assessment = report.assessment
    try:
        service.retry_report(report=report)
    except service.ReportNotRetryable:
        messages.warning(request, "That report is not waiting for a retry.")
    else:
        audit.record(
            "report.export",
            organisation=assessment.organisation,
            target=assessment,
            summary=f"Retried the PDF scorecard of {assessment.title}",
            data={"format": "pdf", "report": str(report.pk), "retry": True},
        )
    if request.htmx:
        # Rendering may already have finished inline (eager Celery): show the current state.
        report.refresh_from_db()
        report.assessment = assessment
        return _status_partial(request, report)
    return redirect(_scorecard_url(assessment, "report"))


@require_GET
@login_required
def report_download(request, report_id):
    report = _get_report(request, report_id)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404("This report is not ready.")
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404("This report's file is missing; request a new one.") from None
    assessment = report.assessment
    audit.record(
        "report.download",
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Downloaded the PDF scorecard of {assessment.title}",
        data={"format": "pdf", "report": str(report.pk), "size": report.size},
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=exports.filename(assessment, "pdf"),
        content_type="application/pdf",
    )


@require_GET
@login_required
def assessment_export(request, assessment_id, fmt):
    if fmt not in exports.FORMATS:
        raise Http404("Exports are available as csv, xlsx or json.")
    assessment, _access = get_assessment(request, assessment_id, "export")
    content = exports.export(assessment, fmt, current_result(assessment))
    audit.record(
        "report.export",
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Exported {assessment.title} as {fmt.upper()}",
        data={"format": fmt, "size": len(content)},
    )
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(assessment, fmt)}"'
    return response


def _status_partial(request, report: Report) -> HttpResponse:
    context = {"assessment": report.assessment, "report": report}
    _add_report_state(context)
    return render(request, "reports/_report_status.html", context)


def _add_report_state(context: dict) -> None:
    report = context.get("report")
    stale = report is not None and service.is_stale(report)
    context["report_stale"] = stale
    context["report_pending"] = (
        report is not None
        and report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
        and not stale
    )
