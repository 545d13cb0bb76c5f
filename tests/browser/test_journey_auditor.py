"""Journey 2: an auditor reviews a submitted assessment, the owner answers the review and
finalises, and the auditor signs off and downloads the PDF scorecard, whose text carries the
score the scorecard page shows."""

from __future__ import annotations

import io
import re
from itertools import cycle

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Report,
    ReportStatus,
    ReviewComment,
    ScoreSnapshot,
    SignOff,
)
from assessments.reports.service import render_report_to_file
from assessments.scoring import current_result
from assessments.services import workflow
from assessments.tasks import render_report
from scorecard.models import Option, Question, ScaleOption
from scorecard.scoring import format_score
from tests.browser.journeys import Journey, load_bundled_framework, question
from tests.factories import make_assessment, make_member, make_organisation

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Claims triage model"
REVIEWED = "controlRuntimePrivacyEnhancingTechnologies.q1"
REVIEWED_CODE = "DAT-2.1"  # its display code in the bundled catalog
REVIEW = "Which redaction tool is this? Please attach its configuration."
REPLY = "The gateway's built-in redaction; configuration attached to the first question."


def _answer_everything(assessment: Assessment, user) -> None:
    """An answer to every question, spread over the options, one of them N/A."""
    framework = assessment.framework
    scale = cycle(ScaleOption.objects.filter(framework=framework).order_by("position"))
    options: dict[int, list[Option]] = {}
    for option in Option.objects.filter(framework=framework).order_by("position"):
        options.setdefault(option.question_id, []).append(option)
    rows = []
    for n, q in enumerate(Question.objects.filter(framework=framework).order_by("pk")):
        row = Answer(assessment=assessment, question=q, updated_by=user)
        if q.allow_na and n % 17 == 0:
            row.na, row.justification = True, "Not part of this system."
        elif q.type == "scale":
            picked = next(scale)
            row.option_label, row.value = picked.label, picked.value
        elif q.type == "choice":
            picked = options[q.pk][n % len(options[q.pk])]
            row.option_label, row.value = picked.label, picked.value
        elif q.type == "yes_no":
            row.option_label, row.value = ("Yes", 1.0) if n % 2 else ("No", 0.0)
        else:
            row.text = "Described in the runbook."
        rows.append(row)
    Answer.objects.bulk_create(rows)


@pytest.fixture
def submitted(db):
    framework = load_bundled_framework()
    organisation = make_organisation("acme", "Acme AI")
    owner = make_member(organisation, "owner", "owner@acme.example")
    assessor = make_member(organisation, "assessor", "assessor@acme.example")
    auditor = make_member(organisation, "auditor", "auditor@audit.example")
    assessment = make_assessment(organisation, framework, title=TITLE, created_by=assessor)
    _answer_everything(assessment, assessor)
    workflow.submit(assessment=assessment, user=assessor)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    return assessment, owner, auditor


def test_auditor_reviews_signs_off_and_downloads_the_pdf_scorecard(
    submitted, live_server, page, browser, screenshot, monkeypatch
):
    assessment, owner, auditor_user = submitted
    auditor = Journey(page, live_server.url, screenshot)

    # The auditor finds the assessment among the work awaiting review.
    auditor.log_in(auditor_user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My work").click()
    waiting = page.get_by_role("region", name="Awaiting my review")
    expect(waiting.get_by_role("row").filter(has_text=TITLE)).to_contain_text("Submitted")
    auditor.arrive("my-work-auditor")
    waiting.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review of {TITLE}")
    auditor.arrive("review-empty")

    # ... reads the answers and leaves a comment on one question.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=TITLE).click()
    auditor.arrive()
    page.get_by_role("link", name="Data", exact=True).click()
    # With its reviewers the page is read-only for everybody, and says who holds it.
    expect(page.locator("#frozen-banner")).to_contain_text("This assessment is with its reviewers")
    reviewed = question(page, REVIEWED)
    expect(reviewed.get_by_role("radio", checked=True)).to_be_disabled()
    auditor.arrive()
    reviewed.get_by_label(f"Review comment on {REVIEWED}").fill(REVIEW)
    reviewed.get_by_role("button", name="Add comment").click()
    expect(auditor.status_message()).to_contain_text(
        f"Comment added to {REVIEWED_CODE} ({REVIEWED})."
    )
    expect(question(page, REVIEWED).get_by_role("article")).to_contain_text(REVIEW)
    auditor.arrive("questionnaire-review-comment")
    comment = ReviewComment.objects.get(assessment=assessment)
    assert (comment.question.ref, comment.author_id, comment.body, comment.resolved) == (
        REVIEWED,
        auditor_user.pk,
        REVIEW,
        False,
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW

    # The owner, in their own browser, answers the comment, resolves it and finalises.
    owner_tab = Journey(browser.new_page(), live_server.url, screenshot)
    try:
        _owner_answers_and_finalises(owner_tab, owner, assessment)
    finally:
        owner_tab.page.context.close()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FINALISED
    snapshot = ScoreSnapshot.objects.get(assessment=assessment)

    # The auditor signs off the stored score.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessments").click()
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_contain_text("Finalised")
    auditor.arrive()
    # The row links the assessment, then its AI system (both named TITLE here).
    page.get_by_role("link", name=TITLE).first.click()
    expect(page).to_have_url(re.compile(rf"/assessments/{assessment.pk}/$"))
    auditor.arrive("detail-finalised")
    page.get_by_role("link", name="Sign off…").click()
    auditor.arrive("signoff")
    page.get_by_label("Statement (optional)").fill("Reviewed the data and assurance domains.")
    page.get_by_label("I have reviewed this assessment").check()
    page.get_by_role("button", name="Sign off").click()
    expect(auditor.status_message()).to_contain_text("Signed off.")
    expect(page.get_by_role("region", name="Review and sign-off")).to_contain_text(
        str(auditor_user)
    )
    auditor.arrive()
    assert SignOff.objects.get(assessment=assessment).user_id == auditor_user.pk

    # The scorecard shows the stored score; its PDF carries the same number.
    page.get_by_role("link", name="Open the scorecard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Scorecard: {TITLE}")
    shown = page.locator(".summary-overall .summary-value").inner_text()
    overall = re.match(r"\s*([0-9]+\.[0-9]{2})", shown).group(1)
    assert overall == format_score(current_result(assessment).overall)
    assert overall == format_score(snapshot.result["overall"])
    auditor.arrive("scorecard")

    # The render is queued and no worker has taken it yet: the page says so and polls.
    queued: list[str] = []
    monkeypatch.setattr(render_report, "delay", queued.append)
    report_region = page.get_by_role("region", name="PDF scorecard")
    report_region.get_by_role("button", name="Create the PDF scorecard").click()
    expect(report_region).to_contain_text("The PDF scorecard is queued")
    auditor.arrive("scorecard-pdf-queued")
    report = Report.objects.get(assessment=assessment)
    assert queued == [str(report.pk)] and report.status == ReportStatus.QUEUED

    # A worker renders it; the next htmx poll swaps the download link in and stops polling.
    render_report_to_file(report_id=queued[0])
    download_link = report_region.get_by_role("link", name="Download the PDF scorecard")
    expect(download_link).to_be_visible(timeout=15_000)
    expect(report_region.locator("[hx-get]")).to_have_count(0)
    auditor.arrive("scorecard-pdf-ready")
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE

    with page.expect_download() as pending:
        download_link.click()
    download = pending.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    assert overall in text, f"{overall} not in the PDF's text"
    assert TITLE in text
    assert str(auditor_user) in text  # the sign-off is in the appendix


def _owner_answers_and_finalises(owner: Journey, user, assessment: Assessment) -> None:
    page = owner.page
    owner.log_in(user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My work").click()
    awaiting = page.get_by_role("region", name="Review comments awaiting my reply")
    expect(awaiting).to_contain_text(REVIEW)
    owner.arrive("my-work-owner")
    awaiting.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review of {TITLE}")
    owner.arrive()
    thread = page.get_by_role("article").filter(has_text=REVIEW)
    thread.get_by_label(re.compile("^Reply to")).fill(REPLY)
    thread.get_by_role("button", name="Reply").click()
    expect(owner.status_message()).to_contain_text("Reply added.")
    owner.arrive()
    page.get_by_role("article").filter(has_text=REVIEW).get_by_role(
        "button", name="Mark resolved"
    ).click()
    expect(owner.status_message()).to_contain_text("Marked resolved.")
    expect(page.get_by_role("article").filter(has_text=REVIEW)).to_contain_text("Resolved")
    owner.arrive("review-resolved")
    comment = ReviewComment.objects.get(assessment=assessment, parent=None)
    assert comment.resolved and comment.replies.get().body == REPLY

    page.get_by_role("link", name="Finalise…").click()
    owner.arrive("finalise")
    page.get_by_role("button", name="Finalise now").click()
    expect(owner.status_message()).to_contain_text("Finalised.")
    expect(page.locator(".badge").filter(has_text="Finalised")).to_be_visible()
    owner.arrive()
