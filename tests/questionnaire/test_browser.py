"""The questionnaire in a real browser: accessible, usable by keyboard alone, and it warns
before unsaved answers are lost."""

from __future__ import annotations

import os

import pytest

from assessments.models import Answer
from tests.factories import (
    PASSWORD,
    make_assessment,
    make_framework,
    make_member,
    make_organisation,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import expect  # noqa: E402

from tests.browser.accessibility import assert_accessible  # noqa: E402
from tests.browser.conftest import browser_type_launch_args  # noqa: E402,F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
]


@pytest.fixture
def questionnaire(live_server, page):
    organisation = make_organisation("acme", "Acme AI")
    user = make_member(organisation, "assessor", "assessor@acme.example")
    framework = make_framework(slug="browser", questions_per_control=3)
    assessment = make_assessment(organisation, framework, title="Fraud model")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/questionnaire/D1/")
    return assessment


def test_questionnaire_page_is_accessible(questionnaire, page):
    expect(page.get_by_role("heading", level=1)).to_have_text("DM1 Domain 1 D1")
    assert_accessible(page)


def test_answering_and_saving_with_the_keyboard_only(questionnaire, page):
    first = page.get_by_role("group", name="Question 1 about Control D1-1?")
    first.get_by_label("Not started").focus()
    page.keyboard.press("ArrowDown")  # moves the choice within the radio group
    expect(first.get_by_label("Ad hoc")).to_be_checked()
    page.keyboard.press("Tab")  # a radio group is one tab stop: on to the comment
    expect(first.get_by_label("Comment (optional)")).to_be_focused()
    page.keyboard.type("Done in one team.")
    page.get_by_role("button", name="Save draft").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Saved 1 answer.")
    answer = Answer.objects.get(assessment=questionnaire)
    assert (answer.option_label, answer.comment) == ("Ad hoc", "Done in one team.")


def test_leaving_with_unsaved_changes_asks_first(questionnaire, page):
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    group = page.get_by_role("group", name="Question 1 about Control D1-1?")
    group.get_by_label("Partial").check()
    url = page.url
    # Leaving other than through the page's own domain links (which save first) still asks.
    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    breadcrumb.get_by_role("link", name="Fraud model").click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert page.url == url
    # After saving, leaving is silent.
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    breadcrumb.get_by_role("link", name="Fraud model").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fraud model")
    assert dialogs == ["beforeunload"]


def test_list_overview_scope_and_history_pages_are_accessible(questionnaire, page, live_server):
    base = f"{live_server.url}/assessments/"
    for path in (
        "",
        "new/",
        f"{questionnaire.pk}/",
        f"{questionnaire.pk}/scope/",
        f"{questionnaire.pk}/start-from/",
        f"{questionnaire.pk}/questions/D1-C1.q1/history/",
    ):
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert_accessible(page)
