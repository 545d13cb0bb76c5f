"""URLs of the reports area: scorecard, "why this score", the crosswalk across catalogs, PDF
reports, exports, methodology, and the public verification of a scorecard's fingerprint."""

from django.urls import path

from assessments.views import crosswalk, methodology, reports, verify

A = "assessments/<uuid:assessment_id>/"
R = "reports/<uuid:report_id>/"

urlpatterns: list = [
    path("methodology/", methodology.methodology, name="methodology"),
    path("verify/", verify.verify, name="verify"),
    path(f"{A}scorecard/", reports.scorecard, name="scorecard"),
    path(f"{A}scorecard/why/<str:kind>/<str:ref>/", reports.score_explain, name="score_explain"),
    path(
        f"{A}scorecard/compare/<uuid:other_id>/",
        reports.assessment_compare,
        name="assessment_compare",
    ),
    path(
        f"{A}scorecard/compare/<uuid:other_id>/why/",
        reports.compare_explain,
        name="compare_explain",
    ),
    path(f"{A}scorecard/pdf/", reports.report_request, name="report_request"),
    path(f"{A}crosswalk/", crosswalk.assessment_crosswalk, name="assessment_crosswalk"),
    path(f"{A}export/<str:fmt>/", reports.assessment_export, name="assessment_export"),
    path(f"{R}status/", reports.report_status, name="report_status"),
    path(f"{R}download/", reports.report_download, name="report_download"),
    path(f"{R}retry/", reports.report_retry, name="report_retry"),
]
