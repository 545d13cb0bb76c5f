"""The scorecard in a real browser: accessible (axe) and "why this score". The PDF panel
has its own module, test_pdf_feedback_browser.py. Uses the browser suite's chromium set-up."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import (  # noqa: F401 - fixtures shared with the browser suite
    browser_type_launch_args,
    fresh_caches,
    screenshot,
)
from tests.factories import make_assessment
from tests.reports.conftest import answer_everything, make_report_framework

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def assessment(organisation, owner):
    framework = make_report_framework(slug="browser", domains=4, risks=6)
    assessment = make_assessment(
        organisation, framework, title="Fraud detection model", created_by=owner
    )
    answer_everything(assessment, user=owner)
    return assessment


def test_scorecard_page_is_accessible_and_explains_its_numbers(
    live_server,
    logged_in,
    assessment,
    screenshot,  # noqa: F811
):
    page = logged_in
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/scorecard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fraud detection model")
    expect(page.get_by_role("img", name="Readiness score by domain")).to_be_visible()
    page.get_by_text("Controls by domain").scroll_into_view_if_needed()
    page.locator("details.domain-controls summary").first.click()
    screenshot("reports-scorecard")
    assert_accessible(page)

    page.get_by_role("link", name="the overall score is calculated").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Why this score")
    expect(page.locator(".formula")).to_contain_text("overall =")
    screenshot("reports-why")
    assert_accessible(page)
