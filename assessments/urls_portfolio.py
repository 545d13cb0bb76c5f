"""URLs of the organisation's portfolio of AI systems: the page, exports and its PDF."""

from django.urls import path

from assessments.views import portfolio

urlpatterns: list = [
    path("portfolio/", portfolio.portfolio, name="portfolio"),
    path("portfolio/export/<str:fmt>/", portfolio.portfolio_export, name="portfolio_export"),
    path("portfolio/pdf/", portfolio.portfolio_report_request, name="portfolio_report_request"),
    path(
        "portfolio/reports/<uuid:report_id>/",
        portfolio.portfolio_report_status,
        name="portfolio_report_status",
    ),
    path(
        "portfolio/reports/<uuid:report_id>/download/",
        portfolio.portfolio_report_download,
        name="portfolio_report_download",
    ),
]
