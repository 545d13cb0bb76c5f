"""The organisation's portfolio of AI systems: the page, its exports and its PDF.

Organisation-wide, so a member limited to named assessments is refused (403) throughout;
a portfolio report of another organisation, or a scorecard report, is a 404 here.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from assessments import audit
from assessments.access import get_portfolio_report, require_organisation_wide
from assessments.forms.portfolio import PortfolioFilterForm
from assessments.models import ReportStatus
from assessments.reports import portfolio_exports, service
from assessments.reports.portfolio import view
from assessments.selectors import portfolio as selector
from assessments.views.report_files import pdf_download


def _filtered(request, access):
    form = PortfolioFilterForm(
        request.GET or None,
        members=selector.members(access.organisation),
        lifecycle_stages=selector.lifecycle_choices(access.organisation),
    )
    filters = form.filters() if form.is_bound and form.is_valid() else selector.Filters()
    return form, selector.portfolio(access.organisation, filters)


@require_GET
@login_required
def portfolio(request):
    access = require_organisation_wide(request, "view")
    form, data = _filtered(request, access)
    context = view(data)
    context.update(
        access=access,
        form=form,
        query=request.GET.urlencode(),
        can_export=access.can("export"),
        can_render=access.can("render"),
    )
    return render(request, "portfolio/portfolio.html", context)


@require_GET
@login_required
def portfolio_export(request, fmt):
    if fmt not in portfolio_exports.FORMATS:
        raise Http404("The portfolio is exported as csv or xlsx.")
    access = require_organisation_wide(request, "export")
    _form, data = _filtered(request, access)
    content = portfolio_exports.export(data, fmt)
    audit.record(
        "report.export",
        organisation=access.organisation,
        summary=f"Exported the portfolio as {fmt.upper()}",
        data={"format": fmt, "kind": "portfolio", "systems": len(data.rows), "size": len(content)},
    )
    response = HttpResponse(content, content_type=portfolio_exports.FORMATS[fmt])
    name = portfolio_exports.filename(access.organisation, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@login_required
def portfolio_report_request(request):
    access = require_organisation_wide(request, "render")
    try:
        outcome = service.request_portfolio_report(
            organisation=access.organisation, user=request.user
        )
    except service.ReportRefused as refusal:
        messages.error(request, refusal.message)
        status = 429 if refusal.code == "rate" else 403
        return render(request, "portfolio/report_status.html", {"report": None}, status=status)
    audit.record(
        "report.export",
        organisation=access.organisation,
        summary="Requested the portfolio PDF",
        data={"format": "pdf", "kind": "portfolio", "report": str(outcome.report.pk),
              "outcome": outcome.outcome},
    )  # fmt: skip
    if outcome.outcome == service.IN_FLIGHT:
        messages.info(request, "A portfolio PDF was already being made: this is its progress.")
    return redirect("portfolio_report_status", report_id=outcome.report.pk)


@require_GET
@login_required
def portfolio_report_status(request, report_id):
    report, _access = get_portfolio_report(request, report_id, "export")
    context = {"report": report, "stale": service.is_stale(report), "done": ReportStatus.DONE}
    return render(request, "portfolio/report_status.html", context)


@require_GET
@login_required
def portfolio_report_download(request, report_id):
    report, access = get_portfolio_report(request, report_id, "export")
    return pdf_download(
        report,
        filename=portfolio_exports.filename(access.organisation, "pdf"),
        data={"kind": "portfolio"},
        organisation=access.organisation,
        summary="Downloaded the portfolio PDF",
    )
