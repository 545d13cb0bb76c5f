"""Limits on PDF renders: one in flight per assessment, PDF_RENDERS_PER_HOUR per person
(retries included). A request over a limit says why and queues nothing: no Report row, no
task, no audit event. Who may render at all: test_render_roles.py."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AuditEvent, Report, ReportStatus
from assessments.reports import service
from tests.factories import make_assessment
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
IN_FLIGHT = "A PDF of this assessment was already being made, so no second one was queued"


def request_url(assessment):
    return reverse("report_request", kwargs={"assessment_id": assessment.pk})


def status_url(report):
    return reverse("report_status", kwargs={"report_id": report.pk})


def retry_url(report):
    return reverse("report_retry", kwargs={"report_id": report.pk})


def scorecard_url(assessment):
    return reverse("scorecard", kwargs={"assessment_id": assessment.pk})


def render_events():
    return AuditEvent.objects.filter(action="report.export").count()


def past_renders(user, assessment, *, count, minutes_ago):
    """`count` finished renders `user` asked for `minutes_ago` minutes ago."""
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return [
        Report.objects.create(
            assessment=assessment, requested_by=user, status=ReportStatus.DONE, created_at=at
        )
        for _ in range(count)
    ]


def test_a_second_request_while_one_is_queued_shows_its_progress_and_queues_nothing(
    client, owner, assessor, scored, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as first:
        client.post(request_url(scored), **HTMX)
    queued = Report.objects.get(assessment=scored)
    assert len(first) == 1

    client.force_login(assessor)
    with django_capture_on_commit_callbacks(execute=False) as second:
        response = client.post(request_url(scored), **HTMX)
    assert second == []  # no second task
    assert list(Report.objects.filter(assessment=scored)) == [queued]
    html = response.content.decode()
    assert response.status_code == 200
    assert f'hx-get="{status_url(queued)}?shown=queued"' in html  # the first one's panel
    assert IN_FLIGHT in html
    event = AuditEvent.objects.filter(action="report.export").order_by("-pk").first()
    assert event.actor == assessor
    assert event.data["outcome"] == "in_flight"
    assert event.data["report"] == str(queued.pk)


def test_a_render_under_way_also_blocks_a_second_one_without_htmx(
    client, owner, scored, django_capture_on_commit_callbacks
):
    running = Report.objects.create(
        assessment=scored, status=ReportStatus.RUNNING, started_at=timezone.now()
    )
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(request_url(scored))
    assert callbacks == []
    assert Report.objects.filter(assessment=scored).count() == 1
    assert response.status_code == 302
    assert response["Location"] == status_url(running)
    page = client.get(response["Location"]).content.decode()
    assert IN_FLIGHT in page  # said once, as a message
    assert "Rendering the PDF scorecard…" in page


def test_a_render_abandoned_by_its_worker_does_not_block_a_new_one(
    client, owner, scored, django_capture_on_commit_callbacks
):
    Report.objects.create(
        assessment=scored,
        status=ReportStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=11),
    )
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(request_url(scored), **HTMX)
    assert len(callbacks) == 1
    assert Report.objects.filter(assessment=scored, status=ReportStatus.QUEUED).count() == 1


def test_another_assessments_render_does_not_count_as_in_flight(
    client, owner, organisation, report_framework, scored, django_capture_on_commit_callbacks
):
    other = make_assessment(organisation, report_framework, title="Another system")
    Report.objects.create(assessment=other, status=ReportStatus.QUEUED)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(request_url(scored), **HTMX)
    assert len(callbacks) == 1
    assert Report.objects.filter(assessment=scored).count() == 1


def test_over_the_hourly_rate_a_request_is_refused_with_a_message_and_nothing_queued(
    client, owner, scored, settings, django_capture_on_commit_callbacks
):
    settings.PDF_RENDERS_PER_HOUR = 2
    oldest, newer = past_renders(owner, scored, count=2, minutes_ago=30)
    # The first render at hh:mm:20 (in the last hour); its hour is up at hh:mm:20 an hour
    # later, so the message names the next whole minute.
    first = timezone.now().replace(second=20, microsecond=0) - timedelta(minutes=40)
    Report.objects.filter(pk=oldest.pk).update(created_at=first)
    Report.objects.filter(pk=newer.pk).update(created_at=first + timedelta(minutes=5))
    again = (first.replace(second=0) + timedelta(hours=1, minutes=1)).strftime("%H:%M")
    events = render_events()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(request_url(scored), **HTMX)
    # An answer htmx swaps in (a 4xx it would not show, and the browser would log).
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have asked for 2 PDF scorecards in the last hour" in html
    assert f"You can ask again from {again} UTC" in html
    assert 'id="report-status"' in html  # the panel, for htmx to swap in
    assert callbacks == []
    assert Report.objects.filter(assessment=scored).count() == 2
    assert render_events() == events


def test_over_the_rate_without_htmx_the_status_page_says_why(client, owner, scored, settings):
    settings.PDF_RENDERS_PER_HOUR = 1
    past_renders(owner, scored, count=1, minutes_ago=5)
    client.force_login(owner)
    response = client.post(request_url(scored))
    assert response.status_code == 429
    html = response.content.decode()
    assert "<html" in html
    assert "You have asked for 1 PDF scorecard in the last hour" in html
    assert Report.objects.filter(assessment=scored).count() == 1


def test_renders_older_than_an_hour_no_longer_count(
    client, owner, scored, settings, django_capture_on_commit_callbacks
):
    settings.PDF_RENDERS_PER_HOUR = 2
    past_renders(owner, scored, count=2, minutes_ago=61)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(request_url(scored), **HTMX)
    assert response.status_code == 200
    assert len(callbacks) == 1
    assert Report.objects.filter(assessment=scored, status=ReportStatus.QUEUED).count() == 1


def test_the_rate_counts_each_persons_own_renders(
    client, owner, assessor, scored, settings, django_capture_on_commit_callbacks
):
    settings.PDF_RENDERS_PER_HOUR = 2
    past_renders(assessor, scored, count=2, minutes_ago=10)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(request_url(scored), **HTMX)
    assert len(callbacks) == 1
    client.force_login(assessor)
    response = client.post(request_url(scored), **HTMX)
    # The assessor is over the rate, but the owner's render is in flight: its panel,
    # not a refusal, and still nothing new.
    assert response.status_code == 200
    assert IN_FLIGHT in response.content.decode()
    assert Report.objects.filter(assessment=scored).count() == 3


def test_a_cached_pdf_is_served_even_over_the_rate(
    client, owner, finalised, settings, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url(finalised))
    settings.PDF_RENDERS_PER_HOUR = 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(request_url(finalised), **HTMX)
    assert response.status_code == 200
    assert callbacks == []
    assert "Download the PDF scorecard" in response.content.decode()


def failed_report(assessment, user):
    return Report.objects.create(
        assessment=assessment,
        requested_by=user,
        status=ReportStatus.FAILED,
        error="The PDF could not be rendered because of an error on our side.",
        created_at=timezone.now() - timedelta(hours=2),
    )


def test_a_retry_counts_against_the_rate_and_over_it_queues_nothing(
    client, owner, scored, settings, django_capture_on_commit_callbacks
):
    settings.PDF_RENDERS_PER_HOUR = 1
    failed = failed_report(scored, owner)
    past_renders(owner, scored, count=1, minutes_ago=5)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(retry_url(failed))
    assert response.status_code == 429
    assert "You have asked for 1 PDF scorecard in the last hour" in response.content.decode()
    assert callbacks == []
    failed.refresh_from_db()
    assert failed.status == ReportStatus.FAILED


def test_a_retry_is_counted_for_the_person_who_retried(
    client, owner, assessor, scored, django_capture_on_commit_callbacks
):
    failed = failed_report(scored, owner)
    client.force_login(assessor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(retry_url(failed), **HTMX)
    assert len(callbacks) == 1
    retried = Report.objects.get(assessment=scored, status=ReportStatus.QUEUED)
    assert retried.requested_by == assessor
    failed.refresh_from_db()
    assert failed.status == ReportStatus.FAILED  # kept, and still the owner's
    assert failed.requested_by == owner


def test_retrying_an_abandoned_render_records_it_as_failed_and_queues_a_new_one(
    client, owner, scored, django_capture_on_commit_callbacks
):
    abandoned = Report.objects.create(
        assessment=scored,
        requested_by=owner,
        status=ReportStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=30),
    )
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(retry_url(abandoned), **HTMX)
    assert len(callbacks) == 1
    abandoned.refresh_from_db()
    assert abandoned.status == ReportStatus.FAILED
    assert abandoned.error == "Rendering stopped without finishing; the worker may have restarted."
    assert Report.objects.filter(assessment=scored, status=ReportStatus.QUEUED).count() == 1


def test_a_retry_refused_over_the_rate_leaves_an_abandoned_render_as_it_was(
    client, owner, scored, settings
):
    settings.PDF_RENDERS_PER_HOUR = 1
    started = timezone.now() - timedelta(minutes=30)
    abandoned = Report.objects.create(
        assessment=scored, requested_by=owner, status=ReportStatus.RUNNING, started_at=started
    )
    client.force_login(owner)
    response = client.post(retry_url(abandoned))
    assert response.status_code == 429
    abandoned.refresh_from_db()
    assert abandoned.status == ReportStatus.RUNNING
    assert abandoned.error == ""
    assert Report.objects.filter(assessment=scored).count() == 1


def test_a_retry_while_another_render_is_in_flight_shows_that_one_and_queues_nothing(
    client, owner, scored, django_capture_on_commit_callbacks
):
    failed = failed_report(scored, owner)
    queued = Report.objects.create(assessment=scored, requested_by=owner)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(retry_url(failed), **HTMX)
    assert callbacks == []
    assert f'hx-get="{status_url(queued)}?shown=queued"' in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == ReportStatus.FAILED


def test_a_zero_hourly_rate_stops_start_up_with_one_line(repo_dir):
    result = run_manage(repo_dir, "check", PDF_RENDERS_PER_HOUR="0")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: PDF_RENDERS_PER_HOUR='0': expected a whole number >= 1"
    )


def test_with_more_renders_than_the_limit_the_message_names_when_enough_have_expired(
    owner, scored, settings
):
    # Three renders 50, 40 and 30 minutes ago, on whole minutes; the limit is now 2, so the
    # count falls below it only when the second one's hour is up, 20 minutes from now.
    base = timezone.now().replace(second=0, microsecond=0)
    for minutes in (50, 40, 30):
        Report.objects.create(
            assessment=scored,
            requested_by=owner,
            status=ReportStatus.DONE,
            created_at=base - timedelta(minutes=minutes),
        )
    settings.PDF_RENDERS_PER_HOUR = 2
    again = (base + timedelta(minutes=20)).strftime("%H:%M")
    with pytest.raises(service.ReportRefused, match=f"You can ask again from {again} UTC"):
        service.request_report(assessment=scored, user=owner)
    assert Report.objects.filter(assessment=scored).count() == 3
