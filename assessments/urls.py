"""URLs of the organisation-facing app, one module per feature area."""

from django.urls import include, path

from assessments.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("", include("assessments.urls_accounts")),
    path("", include("assessments.urls_questionnaire")),
    path("", include("assessments.urls_workflow")),
    path("", include("assessments.urls_reports")),
    path("", include("assessments.urls_systems")),
    path("", include("assessments.urls_portfolio")),
]
