"""The questionnaire page in a real browser: no typed answer is lost to an evidence upload or
a move to another domain, the error summary takes focus and links to the question, N/A shows
one state, limits are counted, Save and next, and a phone sees the questions first. Every test
also checks that the pages it visited logged no console error."""

from __future__ import annotations

import os

import pytest

from assessments.models import Answer, Evidence
from tests.factories import (
    PASSWORD,
    make_assessment,
    make_framework,
    make_member,
    make_organisation,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import expect  # noqa: E402

from tests.browser import conftest as browser_conftest  # noqa: E402
from tests.browser.accessibility import assert_accessible  # noqa: E402
from tests.browser.conftest import browser_type_launch_args  # noqa: E402,F401
from tests.browser.console import collect_console_errors


@pytest.fixture(name="screenshot")
def screenshot_fixture(page):
    """As tests/browser's `screenshot` (whose conftest does not reach this folder): a
    full-page picture in var/screenshots/<name>.png."""
    browser_conftest.SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str):
        path = browser_conftest.SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
]

Q1 = "Question 1 about Control D1-1?"  # scale, no N/A
Q2 = "Question 2 about Control D1-1?"  # choice, N/A allowed


@pytest.fixture
def console_errors(page):
    errors = collect_console_errors(page)
    yield errors
    assert errors == [], errors


@pytest.fixture
def dialogs(page):
    seen: list[str] = []

    def dismiss(dialog):
        seen.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return seen


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text(email)


@pytest.fixture
def questionnaire(live_server, page, console_errors):
    organisation = make_organisation("acme", "Acme AI")
    user = make_member(organisation, "assessor", "assessor@acme.example")
    framework = make_framework(slug="browser-page", questions_per_control=3)
    assessment = make_assessment(organisation, framework, title="Fraud model")
    _log_in(page, live_server, user.email)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/questionnaire/D1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("DM1 Domain 1 D1")
    return assessment


def group(page, name):
    return page.get_by_role("group", name=name)


def stored(assessment, text):
    return Answer.objects.filter(assessment=assessment, question__text=text).first()


def test_an_answer_changed_before_uploading_evidence_is_kept(
    questionnaire, page, dialogs, tmp_path, screenshot, media_root
):
    """Fill the domain, change an answer, then upload evidence without saving: the page stays,
    the answer is still in its field, and Save then stores it with the evidence."""
    first, second = group(page, Q1), group(page, Q2)
    first.get_by_label("Partial").check()
    second.get_by_label("Some").check()
    first.get_by_label("Comment (optional)").fill("Typed, not saved yet.")
    first.get_by_label("Established").check()  # changed my mind
    url = page.url

    evidence = tmp_path / "access-review.txt"
    evidence.write_text("Quarterly access review.\n")
    second.locator("summary", has_text="Add evidence").click()
    second.get_by_label("File (PDF", exact=False).set_input_files(evidence)
    second.get_by_role("button", name="Upload").click()
    notice = second.locator(".evidence-notice")
    expect(notice).to_contain_text("Uploaded access-review.txt as evidence for DM1-1.2 (D1-C1.q2).")
    expect(notice).to_be_focused()
    assert dialogs == [] and page.url == url
    # Nothing was saved, and nothing typed was lost.
    assert not Answer.objects.filter(assessment=questionnaire).exists()
    expect(first.get_by_label("Established")).to_be_checked()
    expect(second.get_by_label("Some")).to_be_checked()
    expect(first.get_by_label("Comment (optional)")).to_have_value("Typed, not saved yet.")
    assert Evidence.objects.get(assessment=questionnaire).filename == "access-review.txt"

    # A refused file: its reason beside that question only, the page and answers untouched.
    bad = tmp_path / "page.pdf"
    bad.write_text("<html><body>not a pdf</body></html>")
    second.get_by_label("File (PDF", exact=False).set_input_files(bad)
    second.get_by_role("button", name="Upload").click()
    error = second.locator(".evidence-error")
    expect(error).to_contain_text("HTML, SVG and XML")
    expect(error).to_be_focused()
    expect(page.locator(".evidence-error")).to_have_count(1)
    expect(page.locator("#error-summary")).to_have_count(0)
    assert page.url == url and dialogs == []
    expect(first.get_by_label("Established")).to_be_checked()
    screenshot("evidence-in-place")
    assert_accessible(page)

    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("main > .alert[role=status]")).to_contain_text("Saved 2 answers.")
    answer = stored(questionnaire, Q1)
    assert (answer.option_label, answer.comment) == ("Established", "Typed, not saved yet.")
    assert stored(questionnaire, Q2).option_label == "Some"
    expect(first.get_by_label("Established")).to_be_checked()
    assert dialogs == []


def test_the_error_summary_takes_focus_and_links_to_the_question(questionnaire, page, screenshot):
    first, second = group(page, Q1), group(page, Q2)
    first.get_by_label("Ad hoc").check()
    second.get_by_label("Not applicable (N/A) to this system").check()
    # No justification: refused.
    page.get_by_role("button", name="Save draft").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    assert not Answer.objects.filter(assessment=questionnaire).exists()
    # The other answer is still filled in, and exactly one state shows for the N/A question.
    expect(first.get_by_label("Ad hoc")).to_be_checked()
    expect(second.get_by_label("Not applicable (N/A) to this system")).to_be_checked()
    expect(second.get_by_label("Not answered yet")).not_to_be_checked()
    screenshot("error-summary")
    assert_accessible(page)

    link = summary.get_by_role("link", name="D1-C1.q2", exact=False)
    expect(link).to_contain_text("Explain why this question does not apply")
    link.click()
    justification = second.get_by_label("Why it does not apply", exact=False)
    expect(justification).to_be_focused()
    justification.fill("Bought-in model; no training here.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("main > .alert[role=status]")).to_contain_text("Saved 2 answers.")
    na = stored(questionnaire, Q2)
    assert (na.na, na.option_label, na.justification) == (
        True,
        "",
        "Bought-in model; no training here.",
    )


def test_na_shows_its_justification_only_while_chosen(questionnaire, page):
    second = group(page, Q2)
    justification = second.get_by_label("Why it does not apply", exact=False)
    expect(justification).to_be_hidden()
    second.get_by_label("Not applicable (N/A) to this system").check()
    expect(justification).to_be_visible()
    second.get_by_label("All").check()
    expect(justification).to_be_hidden()
    expect(second.get_by_label("Not applicable (N/A) to this system")).not_to_be_checked()


def test_save_and_next_lands_on_the_next_domain_with_the_answers_saved(
    questionnaire, page, dialogs
):
    group(page, Q1).get_by_label("Optimised").check()
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DM2 Domain 2 D2")
    expect(page.locator("main > .alert[role=status]")).to_contain_text("Saved 1 answer.")
    assert stored(questionnaire, Q1).option_label == "Optimised"
    # The last domain: previous link back, no Save and next.
    expect(page.get_by_role("button", name="Save and next")).to_have_count(0)
    pager = page.get_by_role("navigation", name="Previous and next domain")
    expect(pager.get_by_role("link", name="Previous: Domain 1", exact=False)).to_be_visible()
    assert dialogs == []


def test_another_domain_with_unsaved_answers_saves_first(questionnaire, page, dialogs):
    group(page, Q1).get_by_label("Partial").check()
    domains = page.get_by_role("navigation", name="Questionnaire domains")
    domains.get_by_role("link", name="Domain 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DM2 Domain 2 D2")
    assert dialogs == []  # saved instead of asking
    assert stored(questionnaire, Q1).option_label == "Partial"
    # And the previous link, with a change on this page, saves it as well.
    group(page, "Question 1 about Control D2-1?").get_by_label("Ad hoc").check()
    pager = page.get_by_role("navigation", name="Previous and next domain")
    pager.get_by_role("link", name="Previous: Domain 1", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DM1 Domain 1 D1")
    assert stored(questionnaire, "Question 1 about Control D2-1?").option_label == "Ad hoc"
    expect(group(page, Q1).get_by_label("Partial")).to_be_checked()


def test_a_field_counts_its_characters_against_the_limit(questionnaire, page):
    second = group(page, Q2)
    second.locator("summary", has_text="Add evidence").click()
    description = second.get_by_label("Description").nth(1)  # the link's
    hint = second.locator(f"#{description.get_attribute('id')}-limit")
    expect(hint).to_have_text("Up to 300 characters.")
    description.fill("x" * 290)
    expect(hint).to_contain_text("10 of 300 characters left.")
    description.fill("x" * 305)  # not cut: the field holds all of it
    expect(hint).to_contain_text("5 characters too many (up to 300).")
    assert len(description.input_value()) == 305
    # Screen readers hear it once typing pauses.
    expect(hint.locator("[aria-live=polite]")).to_have_text("5 characters too many (up to 300).")
    # The server refuses it with a message beside the question, and nothing is stored.
    second.get_by_label("Link (http or https)").fill("https://wiki.example.org/policy")
    second.get_by_role("button", name="Add link").click()
    expect(second.locator(".evidence-error")).to_contain_text(
        "The description is 305 characters long; the limit is 300."
    )
    assert not Evidence.objects.exists()


def test_on_a_phone_the_first_screen_shows_the_first_question(questionnaire, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("DM1 Domain 1 D1")
    first = page.locator("fieldset.question").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box["y"] < 844, box
    expect(page.locator(".domain-list")).to_be_hidden()
    # The list is one tap away.
    page.locator(".questionnaire-nav-summary").click()
    expect(page.locator(".domain-list")).to_be_visible()
    assert_accessible(page)


def test_an_evidence_request_the_server_refuses_is_said_in_the_block(
    questionnaire, page, console_errors, tmp_path
):
    """The assessor's role is lowered while the page is open: the upload gets a 403, which
    htmx does not swap in; the block says so and the answers stay."""
    from assessments.models import Membership

    first, second = group(page, Q1), group(page, Q2)
    first.get_by_label("Partial").check()
    Membership.objects.filter(organisation=questionnaire.organisation).update(role="viewer")
    evidence = tmp_path / "notes.txt"
    evidence.write_text("Notes.\n")
    second.locator("summary", has_text="Add evidence").click()
    second.get_by_label("File (PDF", exact=False).set_input_files(evidence)
    second.get_by_role("button", name="Upload").click()
    failed = second.locator(".evidence-failed")
    expect(failed).to_contain_text("The server refused this (status 403).")
    expect(failed).to_be_focused()
    expect(first.get_by_label("Partial")).to_be_checked()
    assert not Evidence.objects.exists()
    # The browser and htmx each log the refused request; those lines are expected here.
    expected = ("status of 403", "Response Status Error Code 403")
    assert len(console_errors) == 2
    console_errors[:] = [e for e in console_errors if not any(x in e for x in expected)]


def test_an_upload_after_the_session_ended_swaps_no_login_page_into_the_question(
    questionnaire, page, tmp_path
):
    from django.contrib.sessions.models import Session

    first, second = group(page, Q1), group(page, Q2)
    first.get_by_label("Partial").check()
    Session.objects.all().delete()  # logged out elsewhere, or the session expired
    evidence = tmp_path / "notes.txt"
    evidence.write_text("Notes.\n")
    second.locator("summary", has_text="Add evidence").click()
    second.get_by_label("File (PDF", exact=False).set_input_files(evidence)
    second.get_by_role("button", name="Upload").click()
    failed = second.locator(".evidence-failed")
    expect(failed).to_contain_text("your session may have ended")
    expect(page.get_by_label("E-mail address")).to_have_count(0)  # no login form swapped in
    expect(first.get_by_label("Partial")).to_be_checked()
    assert not Evidence.objects.exists()
