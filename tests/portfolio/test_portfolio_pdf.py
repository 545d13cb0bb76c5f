"""The portfolio PDF through the report pipeline: requested, queued after commit, rendered
by the task, followed and downloaded; a summary with the heat map and a page per system."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Report, ReportKind, ReportStatus
from tests.conftest import release
from tests.portfolio.helpers import build

pytestmark = pytest.mark.django_db

REQUEST = reverse("portfolio_report_request")


def status_url(report):
    return reverse("portfolio_report_status", args=[report.pk])


def download_url(report):
    return reverse("portfolio_report_download", args=[report.pk])


def test_request_queues_after_commit_renders_and_the_pdf_shows_systems_and_heat_map(
    client, organisation, categorised, owner, viewer, django_capture_on_commit_callbacks
):
    build(organisation, categorised, 2, owner=owner)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(REQUEST)
    report = Report.objects.get(kind=ReportKind.PORTFOLIO)
    assert report.organisation == organisation and report.assessment is None
    assert report.status == ReportStatus.QUEUED and report.requested_by == owner
    assert response.status_code == 302 and response["Location"] == status_url(report)
    assert len(callbacks) == 1
    callbacks[0]()  # what the worker does once the transaction has committed
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    assert download_url(report) in client.get(status_url(report)).content.decode()
    client.force_login(viewer)  # a viewer may not render, but may download
    response = client.get(download_url(report))
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    release(response)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 3  # the summary, then one page per system
    text = "\n".join(page.extract_text() for page in reader.pages)
    summary = reader.pages[0].extract_text()
    for needle in ("System 000", "System 001", "Heat map", "Data", "Model", "87.50 (severe)"):
        assert needle in summary
    assert "System 001" in reader.pages[2].extract_text()
    assert "Figures from" in text


def test_a_second_request_while_rendering_returns_the_first(
    client, organisation, categorised, owner, django_capture_on_commit_callbacks
):
    build(organisation, categorised, 1, owner=owner)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(REQUEST)
        client.post(REQUEST)
    assert Report.objects.filter(kind=ReportKind.PORTFOLIO).count() == 1


def test_a_viewer_may_not_request_a_render_and_nothing_is_queued(
    client, organisation, categorised, viewer
):
    client.force_login(viewer)
    assert client.post(REQUEST).status_code == 403
    assert not Report.objects.exists()


def test_over_the_hourly_rate_nothing_is_queued(
    client, organisation, categorised, owner, settings, django_capture_on_commit_callbacks
):
    settings.PDF_RENDERS_PER_HOUR = 1
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REQUEST)
    response = client.post(REQUEST)
    assert response.status_code == 429
    assert "Nothing was queued" in response.content.decode()
    assert Report.objects.count() == 1


def test_another_organisations_portfolio_report_and_a_scorecard_report_are_404(
    client, organisation, other_organisation, categorised, owner, outsider, assessment
):
    theirs = Report.objects.create(kind=ReportKind.PORTFOLIO, organisation=other_organisation)
    scorecard = Report.objects.create(assessment=assessment, organisation=organisation)
    client.force_login(owner)
    for report in (theirs, scorecard):
        assert client.get(status_url(report)).status_code == 404
        assert client.get(download_url(report)).status_code == 404
    # And the scorecard report views do not serve a portfolio report.
    mine = Report.objects.create(kind=ReportKind.PORTFOLIO, organisation=organisation)
    assert client.get(reverse("report_status", args=[mine.pk])).status_code == 404
