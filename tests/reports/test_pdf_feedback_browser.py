"""The PDF button in a real browser: progress within 200 ms of the click, the button
disabled, the download link appearing without a reload and taking focus, and a failure
that says what failed with a working "Try again".

Two ways a render runs are driven honestly:
- inline, as `make run` and the tests run Celery: the POST itself renders. The renderer is
  held on an Event until the test has looked at the page, so the request really is still
  in flight when the progress panel is checked;
- by a worker: the task is recorded instead of run, the POST answers at once with the
  queued panel, which polls; the test then finishes the Report as a worker would.
"""

import threading

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Report, ReportStatus
from assessments.reports import pdf, service
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import (  # noqa: F401 - fixtures shared with the browser suite
    browser_type_launch_args,
    fresh_caches,
    screenshot,
)
from tests.browser.console import collect_console_errors
from tests.factories import make_assessment
from tests.reports.conftest import answer_everything, make_report_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOWNLOAD = "Download the PDF scorecard"
CREATE = "Create the PDF scorecard"

# Records, in the page, when the button is pressed and when a progress panel is first on
# screen (checked every animation frame), and marks the window to detect a reload.
WATCH_PROGRESS = """() => {
  window.pdfTest = {loaded: true};
  const button = document.querySelector('#report-status button[type=submit]');
  button.addEventListener('click', () => {
    window.pdfTest.clicked = performance.now();
    const look = () => {
      const shown = [...document.querySelectorAll('.report-progress')]
        .some((panel) => panel.offsetParent !== null);
      if (shown) { window.pdfTest.shown = performance.now(); } else { requestAnimationFrame(look); }
    };
    look();
  }, {capture: true});
}"""


@pytest.fixture
def page_errors(page):
    return collect_console_errors(page)


@pytest.fixture
def assessment(organisation, owner):
    framework = make_report_framework(slug="pdf-feedback", domains=2)
    assessment = make_assessment(
        organisation, framework, title="Fraud detection model", created_by=owner
    )
    answer_everything(assessment, user=owner)
    return assessment


@pytest.fixture
def held_renderer(monkeypatch):
    """The real renderer, waiting for `gate.set()` first; `gate.finished` is set once it has
    rendered (the test cannot ask the database meanwhile: on SQLite the request's open
    transaction locks the report table against the test's own connection)."""
    gate = threading.Event()
    gate.finished = threading.Event()
    real = pdf.render_assessment_pdf

    def held(assessment, **kwargs):
        assert gate.wait(timeout=60), "the test never released the renderer"
        try:
            return real(assessment, **kwargs)
        finally:
            gate.finished.set()

    monkeypatch.setattr(pdf, "render_assessment_pdf", held)
    yield gate
    gate.set()


def open_report_panel(page, live_server, assessment):
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/scorecard/#report")
    page.evaluate(WATCH_PROGRESS)


def progress_delay_ms(page) -> float:
    page.wait_for_function("window.pdfTest.shown !== undefined", timeout=2_000)
    return page.evaluate("window.pdfTest.shown - window.pdfTest.clicked")


def test_inline_render_shows_progress_at_once_then_focuses_the_download_link(
    live_server,
    logged_in,
    assessment,
    held_renderer,
    page_errors,
    screenshot,  # noqa: F811
):
    page = logged_in
    open_report_panel(page, live_server, assessment)
    button = page.get_by_role("button", name=CREATE)
    button.click()
    page.wait_for_selector("#report-starting", state="visible", timeout=200)
    assert progress_delay_ms(page) < 200
    expect(button).to_be_disabled()
    expect(page.locator("#report-starting")).to_contain_text("Creating the PDF scorecard…")
    # The request is still in flight: the renderer has not been released yet.
    assert not held_renderer.finished.is_set()
    screenshot("pdf-progress-starting")
    assert_accessible(page)

    held_renderer.set()
    link = page.get_by_role("link", name=DOWNLOAD)
    expect(link).to_be_visible(timeout=30_000)
    expect(link).to_be_focused()
    assert page.evaluate("window.pdfTest.loaded") is True  # the same page: no reload
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "scorecard-fraud-detection-model-rev1.pdf"
    assert page_errors == []


@pytest.fixture
def worker_queue(monkeypatch):
    """Report ids handed to "the worker", which runs only when the test says so."""
    ids: list[str] = []

    class Task:
        @staticmethod
        def delay(report_id):
            ids.append(report_id)

    monkeypatch.setattr(service, "render_report", Task)
    return ids


def finish_like_a_worker(report_id):
    report = Report.objects.get(pk=report_id)
    report.file.save("done.pdf", ContentFile(b"%PDF-1.7 finished by the worker"), save=False)
    Report.objects.filter(pk=report_id).update(
        status=ReportStatus.DONE, file=report.file.name, size=31, finished_at=timezone.now()
    )


def test_a_queued_render_is_polled_until_the_download_appears_with_focus(
    live_server,
    logged_in,
    assessment,
    worker_queue,
    page_errors,
    screenshot,  # noqa: F811
):
    page = logged_in
    open_report_panel(page, live_server, assessment)
    page.get_by_role("button", name=CREATE).click()
    assert progress_delay_ms(page) < 200
    panel = page.locator("#report-status")
    expect(panel).to_have_attribute("data-report-state", "queued")
    expect(panel.locator(".report-progress")).to_contain_text("The PDF scorecard is queued…")
    expect(panel.get_by_role("button", name=CREATE)).to_be_disabled()
    expect(panel.locator(".report-progress")).to_be_focused()
    screenshot("pdf-progress")
    assert_accessible(page)

    # Polls while nothing changed answer 204 and swap nothing (no re-announcement).
    page.evaluate("document.getElementById('report-status').dataset.drawn = 'first'")
    with page.expect_response(lambda r: "/status/?shown=queued" in r.url) as poll:
        pass
    assert poll.value.status == 204
    expect(panel).to_have_attribute("data-drawn", "first")

    assert len(worker_queue) == 1
    finish_like_a_worker(worker_queue[0])
    link = page.get_by_role("link", name=DOWNLOAD)
    expect(link).to_be_visible(timeout=5_000)
    expect(link).to_be_focused()
    assert page.evaluate("window.pdfTest.loaded") is True
    assert_accessible(page)
    assert page_errors == []


def test_focus_stays_where_the_person_moved_it_while_the_pdf_was_rendering(
    live_server, logged_in, assessment, worker_queue, page_errors
):
    page = logged_in
    open_report_panel(page, live_server, assessment)
    page.get_by_role("button", name=CREATE).click()
    expect(page.locator("#report-status .report-progress")).to_be_focused()
    summary = page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Summary"
    )
    summary.focus()
    finish_like_a_worker(worker_queue[0])
    expect(page.get_by_role("link", name=DOWNLOAD)).to_be_visible(timeout=5_000)
    expect(summary).to_be_focused()
    assert page_errors == []


def test_over_the_hourly_rate_the_panel_says_so_and_nothing_is_queued(
    live_server, logged_in, organisation, owner, assessment, settings, worker_queue, page_errors
):
    settings.PDF_RENDERS_PER_HOUR = 1
    elsewhere = make_assessment(organisation, assessment.framework, title="Another system")
    Report.objects.create(assessment=elsewhere, requested_by=owner)
    page = logged_in
    open_report_panel(page, live_server, assessment)
    page.get_by_role("button", name=CREATE).click()
    refusal = page.locator("#report-status .alert-warning")
    expect(refusal).to_contain_text("You have asked for 1 PDF scorecard in the last hour")
    expect(refusal).to_be_focused()
    expect(page.get_by_role("button", name=CREATE)).to_be_enabled()
    assert worker_queue == []
    assert not Report.objects.filter(assessment=assessment).exists()
    assert_accessible(page)
    assert page_errors == []


def test_a_failed_render_says_what_failed_and_try_again_makes_the_pdf(
    live_server,
    logged_in,
    assessment,
    monkeypatch,
    page_errors,
    screenshot,  # noqa: F811
):
    real = pdf.render_assessment_pdf
    failures = iter([RuntimeError("font cache exploded")])

    def flaky(assessment, **kwargs):
        error = next(failures, None)
        if error is not None:
            raise error
        return real(assessment, **kwargs)

    monkeypatch.setattr(pdf, "render_assessment_pdf", flaky)
    page = logged_in
    open_report_panel(page, live_server, assessment)
    page.get_by_role("button", name=CREATE).click()
    alert = page.locator("#report-status .alert-danger")
    expect(alert).to_contain_text("The PDF could not be made.", timeout=30_000)
    expect(alert).to_contain_text("could not be rendered because of an error on our side")
    expect(alert).not_to_contain_text("font cache exploded")
    retry = page.get_by_role("button", name="Try again")
    expect(retry).to_be_focused()
    screenshot("pdf-failed")
    assert_accessible(page)

    page.keyboard.press("Enter")
    link = page.get_by_role("link", name=DOWNLOAD)
    expect(link).to_be_visible(timeout=30_000)
    expect(link).to_be_focused()
    assert page.evaluate("window.pdfTest.loaded") is True
    assert page_errors == []
