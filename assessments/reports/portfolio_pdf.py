"""The portfolio PDF: a summary page with the heat map, then one page per AI system.

Typeset by the scorecard's own pipeline (reports/pdf.py: the static-files-only fetcher,
the tagged PDF/UA variant, the signature), from its own template.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from assessments.reports import pdf
from assessments.reports.portfolio import view
from assessments.reports.signing import sign_pdf
from assessments.selectors.portfolio import portfolio

TEMPLATE = "reports/pdf/portfolio.html"


def render_portfolio_html(organisation) -> str:
    context = view(portfolio(organisation))
    context.update(
        organisation=organisation,
        generated_at=timezone.now(),
        report_css=pdf.static_url("css/report.css"),
    )
    return render_to_string(TEMPLATE, context)


def render_portfolio_pdf(organisation, *, fetcher=None) -> bytes:
    return sign_pdf(pdf.render_pdf(render_portfolio_html(organisation), fetcher=fetcher))
