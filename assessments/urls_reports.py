"""URLs of the reports area: scorecard, "why this score", PDF reports, exports, methodology."""

from django.urls import path

from assessments.views import methodology

urlpatterns: list = [
    path("methodology/", methodology.methodology, name="methodology"),
]
