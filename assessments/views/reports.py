"""Scorecard page, "why this score", PDF reports and exports.

Every object comes through assessments.access: another organisation's assessment or report
is a 404, a role without the action a 403. Exports and downloads are written to the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from assessments import audit
from assessments.access import Access, get_assessment, get_report, visible_assessments
from assessments.models import Report, ReportStatus
from assessments.reports import exports, service
from assessments.reports.compare import previous_assessment
from assessments.reports.context import build_report_context
from assessments.reports.explain import UnknownScore, explain, explain_delta
from assessments.scoring import current_result
from assessments.selectors import lists
from assessments.selectors.evidence_claims import answers_with_evidence
from assessments.views.report_files import pdf_download
from scorecard.loader import load_catalog_and_codes

IN_FLIGHT_NOTICE = (
    "A PDF of this assessment was already being made, so no second one was queued: "
    "this is its progress."
)
NOT_RETRYABLE = "That report is not waiting for a retry."


def _get_report(request, report_id, action: str = "export") -> tuple[Report, Access]:
    """A report and the access it was fetched with (404 outside, 403 without `action`).

    Report URLs name only the report, so there is no assessment id to check it against.
    """
    report, _assessment, access = get_report(request, report_id, action=action)
    return report, access


def _scorecard_url(assessment, anchor: str = "") -> str:
    url = reverse("scorecard", kwargs={"assessment_id": assessment.pk})
    return f"{url}#{anchor}" if anchor else url


@require_GET
@login_required
def scorecard(request, assessment_id):
    assessment, access = get_assessment(request, assessment_id, "view")
    visible = visible_assessments(request.user)
    previous = previous_assessment(assessment, visible)
    # A draft's one read of its answers serves its live score and the list of unevidenced
    # claims; a finalised one shows its snapshot and reads answers only if the list needs them.
    read = None if assessment.is_finalised else answers_with_evidence(assessment)
    context = build_report_context(
        assessment,
        result=current_result(assessment, list(read.answers) if read else None),
        compare_with=previous,
        evidence=read,
    )
    context.update(
        access=access,
        can_export=access.can("export"),
        report=lists.latest_report(assessment),
        previous=previous,
        compare_choices=lists.compare_choices(visible, assessment),
    )
    _add_report_state(context, access)
    return render(request, "reports/scorecard.html", context)


@require_GET
@login_required
def assessment_compare(request, assessment_id, other_id):
    assessment, access = get_assessment(request, assessment_id, "view")
    other, _other_access = get_assessment(request, other_id, "view")
    if other.pk == assessment.pk:
        raise Http404("Choose another assessment to compare with.")
    context = build_report_context(
        assessment, result=current_result(assessment), compare_with=other, with_claims=False
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


@require_GET
@login_required
def compare_explain(request, assessment_id, other_id):
    """The derivation of every change a comparison with `other_id` shows."""
    assessment, access = get_assessment(request, assessment_id, "view")
    other, _other_access = get_assessment(request, other_id, "view")
    if other.pk == assessment.pk:
        raise Http404("Choose another assessment to compare with.")
    catalog, codes = load_catalog_and_codes(assessment.framework)
    context = explain_delta(
        assessment, other, current_result(assessment), current_result(other), catalog, codes
    )
    context.update(assessment=assessment, access=access)
    template = "reports/_explain.html" if request.htmx else "reports/explain.html"
    return render(request, template, context)


@require_POST
@login_required
def report_request(request, assessment_id):
    assessment, access = get_assessment(request, assessment_id, "render")
    try:
        outcome = service.request_report(assessment=assessment, user=request.user)
    except service.ReportRefused as refusal:
        return _refused(request, assessment, access, refusal)
    _audit_render(assessment, outcome, f"Requested the PDF scorecard of {assessment.title}")
    return _after_render_request(request, assessment, access, outcome)


@require_GET
@login_required
def report_status(request, report_id):
    report, access = _get_report(request, report_id)
    if request.htmx and request.GET.get("shown") == _report_state(report):
        # Nothing changed since the panel was drawn: no swap, so a screen reader's live
        # region is not re-read every two seconds.
        return HttpResponse(status=204)
    if request.htmx:
        return _status_partial(request, report, access)
    return _status_page(request, report, access)


@require_POST
@login_required
def report_retry(request, report_id):
    report, access = _get_report(request, report_id, action="render")
    assessment = report.assessment
    try:
        outcome = service.retry_report(report=report, user=request.user)
    except service.ReportNotRetryable:
        if request.htmx:
            return _status_partial(request, report, access, notice=NOT_RETRYABLE)
        messages.warning(request, NOT_RETRYABLE)
        return redirect(_scorecard_url(assessment, "report"))
    except service.ReportRefused as refusal:
        return _refused(request, assessment, access, refusal, report=report)
    _audit_render(
        assessment,
        outcome,
        f"Retried the PDF scorecard of {assessment.title}",
        retry=True,
        retry_of=str(report.pk),
    )
    return _after_render_request(request, assessment, access, outcome)


@require_GET
@login_required
def report_download(request, report_id):
    report, _access = _get_report(request, report_id)
    assessment = report.assessment
    return pdf_download(
        report,
        filename=exports.filename(assessment, "pdf"),
        data={},
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Downloaded the PDF scorecard of {assessment.title}",
    )


@require_GET
@login_required
def assessment_export(request, assessment_id, fmt):
    if fmt not in exports.FORMATS:
        raise Http404("Exports are available as csv, summary-csv, xlsx or json.")
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


def _audit_render(assessment, outcome, summary: str, **extra) -> None:
    audit.record(
        "report.export",
        organisation=assessment.organisation,
        target=assessment,
        summary=summary,
        data={
            "format": "pdf",
            "report": str(outcome.report.pk),
            "cached": outcome.cached,
            "outcome": outcome.outcome,
            **extra,
        },
    )


def _after_render_request(request, assessment, access, outcome) -> HttpResponse:
    """htmx: the status panel at once. Without JavaScript: the status page, which offers
    a link to check again while the PDF renders."""
    report = outcome.report
    notice = IN_FLIGHT_NOTICE if outcome.outcome == service.IN_FLIGHT else ""
    if request.htmx:
        # Rendering may already have finished inline (eager Celery): show the current state.
        report.refresh_from_db()
        report.assessment = assessment
        return _status_partial(request, report, access, notice=notice)
    if outcome.cached:
        messages.info(request, "The PDF of this finalised assessment is ready to download.")
    elif notice:
        messages.info(request, notice)
    return redirect("report_status", report_id=report.pk)


def _refused(request, assessment, access, refusal, *, report=None) -> HttpResponse:
    """The reason in the panel. htmx gets it as a 200, an answer to show like any other
    (a 4xx would not be swapped in and the browser would log it as a console error);
    without htmx the status page comes with 429 (over the rate) or 403 (a role the
    service refuses)."""
    context = {
        "assessment": assessment,
        "report": report or lists.latest_report(assessment),
        "refusal": refusal.message,
    }
    _add_report_state(context, access)
    if request.htmx:
        return render(request, "reports/_report_status.html", context)
    status = 429 if refusal.code == "rate" else 403
    return render(request, "reports/report_status.html", context, status=status)


def _status_partial(request, report: Report, access, *, notice: str = "") -> HttpResponse:
    context = {"assessment": report.assessment, "report": report, "notice": notice}
    _add_report_state(context, access)
    return render(request, "reports/_report_status.html", context)


def _status_page(request, report: Report, access) -> HttpResponse:
    context = {"assessment": report.assessment, "report": report}
    _add_report_state(context, access)
    return render(request, "reports/report_status.html", context)


def _report_state(report: Report | None) -> str:
    """One word for what the panel shows: none, queued, running, done, failed or stale."""
    if report is None:
        return "none"
    return "stale" if service.is_stale(report) else report.status


def _add_report_state(context: dict, access) -> None:
    state = _report_state(context.get("report"))
    context["report_state"] = state
    context["report_stale"] = state == "stale"
    context["report_pending"] = state in (ReportStatus.QUEUED, ReportStatus.RUNNING)
    context["can_render"] = access.can("render")
