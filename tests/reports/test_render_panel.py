"""The PDF panel while a render is queued (polling that swaps nothing until the state
changes, the button disabled) and after a failure that says what failed."""

import pytest
from django.utils import timezone

from assessments.models import Report, ReportStatus
from assessments.reports import pdf
from tests.reports.test_render_limits import (
    HTMX,
    request_url,
    retry_url,
    scorecard_url,
    status_url,
)

pytestmark = pytest.mark.django_db


def test_while_a_render_is_queued_the_panel_polls_and_the_button_is_disabled(client, owner, scored):
    report = Report.objects.create(assessment=scored, requested_by=owner)
    client.force_login(owner)
    html = client.get(scorecard_url(scored)).content.decode()
    assert f'hx-get="{status_url(report)}?shown=queued" hx-trigger="every 2s"' in html
    assert '<button type="button" class="btn btn-primary" disabled>' in html
    assert f'hx-post="{request_url(scored)}"' not in html


def test_polling_an_unchanged_state_answers_204_so_nothing_is_re_announced(
    client, owner, scored, django_assert_num_queries
):
    report = Report.objects.create(assessment=scored, requested_by=owner)
    client.force_login(owner)
    client.get(scorecard_url(scored))  # the session is loaded and saved once
    # session, user, report, assessment, membership; the session save (in a savepoint)
    with django_assert_num_queries(8):
        response = client.get(f"{status_url(report)}?shown=queued", **HTMX)
    assert response.status_code == 204
    assert response.content == b""


def test_polling_after_the_state_changed_answers_the_new_panel(client, owner, scored):
    report = Report.objects.create(
        assessment=scored, requested_by=owner, status=ReportStatus.RUNNING
    )
    report.started_at = timezone.now()
    report.save()
    client.force_login(owner)
    response = client.get(f"{status_url(report)}?shown=queued", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rendering the PDF scorecard…" in html
    assert f'hx-get="{status_url(report)}?shown=running"' in html


def test_a_pdf_that_cannot_be_stored_says_so_and_offers_a_retry(
    client, owner, scored, monkeypatch, django_capture_on_commit_callbacks
):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Report._meta.get_field("file").storage, "save", full_disk)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url(scored), **HTMX)
    report = Report.objects.get(assessment=scored)
    assert report.status == ReportStatus.FAILED
    assert report.error.startswith("The PDF was made but could not be saved")
    assert "No space left" not in report.error  # the OS's words stay in the log
    html = client.get(status_url(report), **HTMX).content.decode()
    assert "The PDF was made but could not be saved" in html
    assert f'hx-post="{retry_url(report)}"' in html
    assert "Try again</button>" in html


def test_a_render_over_the_time_limit_says_it_took_too_long(
    client, owner, scored, monkeypatch, django_capture_on_commit_callbacks
):
    from celery.exceptions import SoftTimeLimitExceeded

    def slow(assessment, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(pdf, "render_assessment_pdf", slow)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url(scored), **HTMX)
    report = Report.objects.get(assessment=scored)
    assert report.status == ReportStatus.FAILED
    assert report.error == "The PDF took too long to render. Try again in a few minutes."
    html = client.get(status_url(report), **HTMX).content.decode()
    assert "The PDF took too long to render." in html
    assert f'hx-post="{retry_url(report)}"' in html
