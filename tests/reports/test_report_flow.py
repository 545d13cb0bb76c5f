"""Asynchronous PDF generation: request, progress, download, failure and retry, caching."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import AuditEvent, Report, ReportStatus, ScoreSnapshot, SignOff
from assessments.reports import pdf, service

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def request_url(assessment):
    return reverse("report_request", kwargs={"assessment_id": assessment.pk})


def status_url(report):
    return reverse("report_status", kwargs={"report_id": report.pk})


def download_url(report):
    return reverse("report_download", kwargs={"report_id": report.pk})


def retry_url(report):
    return reverse("report_retry", kwargs={"report_id": report.pk})


@pytest.fixture
def renders(monkeypatch):
    """Counts real renders; `renders.fail = True` makes the renderer raise."""

    class Spy:
        calls = 0
        fail = False

    real = pdf.render_assessment_pdf

    def spy(assessment, **kwargs):
        Spy.calls += 1
        if Spy.fail:
            raise RuntimeError("font cache exploded")
        return real(assessment, **kwargs)

    monkeypatch.setattr(pdf, "render_assessment_pdf", spy)
    return Spy


def test_requesting_a_pdf_queues_a_report_and_renders_it_after_commit(
    client, owner, scored, renders, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(request_url(scored), **HTMX)
    report = Report.objects.get(assessment=scored)
    assert report.status == ReportStatus.QUEUED
    assert report.requested_by == owner
    assert renders.calls == 0  # nothing rendered inside the request's transaction
    html = response.content.decode()
    assert f'hx-get="{status_url(report)}?shown=queued"' in html
    assert 'hx-trigger="every 2s"' in html
    assert len(callbacks) == 1
    callbacks[0]()  # what the worker does once the transaction has committed
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert renders.calls == 1
    html = client.get(status_url(report), **HTMX).content.decode()
    assert "hx-trigger" not in html  # polling stops
    assert download_url(report) in html


def test_download_returns_the_pdf_and_is_audited(
    client, auditor, scored, django_capture_on_commit_callbacks
):
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url(scored))
    report = Report.objects.get(assessment=scored)
    response = client.get(download_url(report))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert len(PdfReader(io.BytesIO(content)).pages) > 5
    actions = list(AuditEvent.objects.filter(actor=auditor).values_list("action", flat=True))
    assert "report.export" in actions
    assert "report.download" in actions


def test_request_without_htmx_redirects_to_the_status_page_which_offers_the_download(
    client, owner, scored, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url(scored))
    report = Report.objects.get(assessment=scored)
    assert response.status_code == 302
    assert response["Location"] == status_url(report)
    page = client.get(response["Location"]).content.decode()
    assert "<html" in page
    assert download_url(report) in page


def test_a_failing_render_marks_the_report_failed_shows_why_and_retry_works(
    client, owner, scored, renders, django_capture_on_commit_callbacks
):
    renders.fail = True
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url(scored), **HTMX)
    assert response.status_code == 200  # no 500 for the user
    report = Report.objects.get(assessment=scored)
    assert report.status == ReportStatus.FAILED
    assert "could not be rendered" in report.error
    assert "font cache exploded" not in report.error  # internals stay in the log
    html = client.get(status_url(report), **HTMX).content.decode()
    assert "The PDF could not be made." in html
    assert retry_url(report) in html
    assert client.get(download_url(report)).status_code == 404

    renders.fail = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url(report), **HTMX)
        assert 'hx-trigger="every 2s"' in response.content.decode()  # queued again, polling
    # The retry is a new render; the failed one is kept as it failed.
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    retried = Report.objects.exclude(pk=report.pk).get(assessment=scored)
    assert retried.status == ReportStatus.DONE
    assert retried.error == ""
    assert download_url(retried) in client.get(status_url(retried), **HTMX).content.decode()
    event = AuditEvent.objects.filter(action="report.export").order_by("-pk").first()
    assert event.data["retry_of"] == str(report.pk)
    assert event.data["report"] == str(retried.pk)


def test_retrying_a_finished_report_changes_nothing(
    client, owner, scored, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url(scored))
    report = Report.objects.get(assessment=scored)
    finished = report.finished_at
    response = client.post(retry_url(report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.finished_at == finished


def test_a_report_abandoned_by_its_worker_offers_a_retry(client, owner, scored):
    report = Report.objects.create(
        assessment=scored,
        status=ReportStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
    )
    client.force_login(owner)
    html = client.get(status_url(report), **HTMX).content.decode()
    assert "hx-trigger" not in html
    assert retry_url(report) in html


def test_finalised_pdf_is_cached_by_snapshot_and_template_version(
    client, owner, finalised, renders, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url(finalised))
    first = Report.objects.get(assessment=finalised)
    snapshot = ScoreSnapshot.objects.get(assessment=finalised)
    assert first.snapshot_hash == snapshot.result_hash
    assert first.template_version == pdf.TEMPLATE_VERSION
    assert renders.calls == 1

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(request_url(finalised), **HTMX)
    assert callbacks == []
    assert renders.calls == 1  # the renderer is not called the second time
    assert Report.objects.filter(assessment=finalised).count() == 1
    assert download_url(first) in response.content.decode()
    event = AuditEvent.objects.filter(action="report.export").order_by("-pk").first()
    assert event.data["cached"] is True


def test_a_new_template_version_is_not_served_from_the_cache(
    client, owner, finalised, renders, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url(finalised))
    monkeypatch.setattr(pdf, "TEMPLATE_VERSION", "a-later-version")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url(finalised))
    assert renders.calls == 2


def test_a_sign_off_after_rendering_makes_a_new_pdf(
    client, owner, auditor, finalised, renders, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url(finalised))
    SignOff.objects.create(
        assessment=finalised,
        snapshot=ScoreSnapshot.objects.get(assessment=finalised),
        user=auditor,
        statement="Looks right.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url(finalised))
    assert renders.calls == 2
    newest = Report.objects.filter(assessment=finalised).order_by("-created_at").first()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(newest.file.read())).pages)
    assert "Looks right." in text


def test_drafts_are_never_served_from_the_cache(
    client, owner, scored, renders, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(request_url(scored))
    assert renders.calls == 2


def test_rendering_twice_is_harmless(scored, owner, renders):
    report = Report.objects.create(assessment=scored, requested_by=owner)
    service.render_report_to_file(report_id=report.pk)
    service.render_report_to_file(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert renders.calls == 1


def test_task_for_a_deleted_report_does_nothing(scored):
    from assessments.tasks import render_report

    render_report.apply(args=["00000000-0000-0000-0000-000000000000"]).get()


def test_download_of_an_unfinished_report_is_404(client, owner, scored):
    report = Report.objects.create(assessment=scored, requested_by=owner)
    client.force_login(owner)
    assert client.get(download_url(report)).status_code == 404


def test_status_page_without_htmx_is_a_full_page(client, owner, scored):
    report = Report.objects.create(assessment=scored, requested_by=owner)
    client.force_login(owner)
    html = client.get(status_url(report)).content.decode()
    assert "<html" in html
    assert "The PDF scorecard is queued" in html
    # Without JavaScript nothing polls: the page links to itself to check again.
    assert f'<a href="{status_url(report)}">Check the PDF’s progress</a>' in html


def test_render_report_command_writes_a_pdf(scored, tmp_path):
    target = tmp_path / "scorecard.pdf"
    call_command("render_report", str(scored.pk), "-o", str(target))
    reader = PdfReader(str(target))
    assert scored.title in reader.pages[0].extract_text()


@pytest.mark.parametrize("bad", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_render_report_command_rejects_unknown_ids(bad, tmp_path, db):
    target = tmp_path / "x.pdf"
    with pytest.raises(CommandError):
        call_command("render_report", bad, "-o", str(target))
    assert not target.exists()
