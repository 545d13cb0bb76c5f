"""Who may queue PDF renders: owners, assessors and auditors. Viewers download the PDFs
others made: they see no button to press, are told who can make one, and a request or
retry of theirs is refused with 403 and writes nothing."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from assessments.models import Report, ReportStatus
from assessments.reports import service
from tests.reports.test_render_limits import (
    HTMX,
    failed_report,
    render_events,
    request_url,
    retry_url,
    scorecard_url,
    status_url,
)

pytestmark = pytest.mark.django_db


def test_a_viewer_may_not_queue_a_render_and_nothing_is_written(
    client, viewer, scored, django_capture_on_commit_callbacks
):
    events = render_events()
    client.force_login(viewer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(request_url(scored), **HTMX)
    assert response.status_code == 403
    assert callbacks == []
    assert not Report.objects.filter(assessment=scored).exists()
    assert render_events() == events


def test_a_viewer_may_not_retry_a_failed_render(
    client, owner, viewer, scored, django_capture_on_commit_callbacks
):
    failed = failed_report(scored, owner)
    client.force_login(viewer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(retry_url(failed), **HTMX)
    assert response.status_code == 403
    assert callbacks == []
    failed.refresh_from_db()
    assert failed.status == ReportStatus.FAILED


def test_the_service_refuses_a_viewer_too_when_called_directly(viewer, scored):
    with pytest.raises(service.ReportRefused, match=r"Your role \(viewer\) may not create PDF"):
        service.request_report(assessment=scored, user=viewer)
    assert not Report.objects.filter(assessment=scored).exists()


def done_report(assessment, user):
    report = Report(assessment=assessment, requested_by=user, status=ReportStatus.DONE, size=8)
    report.file.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.finished_at = timezone.now()
    report.save()
    return report


def test_a_viewer_sees_the_download_but_no_button_to_make_a_pdf(client, owner, viewer, scored):
    report = done_report(scored, owner)
    client.force_login(viewer)
    html = client.get(scorecard_url(scored)).content.decode()
    assert reverse("report_download", kwargs={"report_id": report.pk}) in html
    assert request_url(scored) not in html
    assert "Make the PDF again" not in html


def test_a_viewer_is_told_who_can_make_the_first_pdf(client, viewer, scored):
    client.force_login(viewer)
    html = client.get(scorecard_url(scored)).content.decode()
    assert "No PDF scorecard has been made yet. An owner, assessor or auditor" in html
    assert "Create the PDF scorecard</button>" not in html


def test_a_viewer_sees_a_failure_without_a_retry_button(client, owner, viewer, scored):
    failed = failed_report(scored, owner)
    client.force_login(viewer)
    html = client.get(status_url(failed), **HTMX).content.decode()
    assert "The PDF could not be rendered because of an error on our side." in html
    assert retry_url(failed) not in html
    assert "An owner, assessor or auditor of this organisation can try again." in html


@pytest.mark.parametrize("role", ["owner", "assessor", "auditor"])
def test_the_roles_that_may_render_see_the_button(client, request, scored, role):
    client.force_login(request.getfixturevalue(role))
    html = client.get(scorecard_url(scored)).content.decode()
    assert f'hx-post="{request_url(scored)}"' in html
    assert 'hx-disabled-elt="find button"' in html
    assert 'hx-indicator="#report-starting"' in html
