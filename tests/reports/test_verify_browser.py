"""The verification page in a real browser, as an anonymous visitor would use it: the form,
the yes and the no, a refused input; accessible (axe) and without console errors."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import (  # noqa: F401 - fixtures shared with the browser suite
    browser_type_launch_args,
    fresh_caches,
    screenshot,
)
from tests.browser.console import collect_console_errors
from tests.reports.test_verify import CHANGED, SIGNED, signed  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_an_anonymous_visitor_checks_a_fingerprint_with_the_form(
    live_server,
    page,
    signed,  # noqa: F811
    screenshot,  # noqa: F811
):
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/verify/")
    assert_accessible(page)

    page.get_by_label("Scorecard fingerprint").fill(SIGNED)
    page.get_by_role("button", name="Verify").click()
    answer = page.get_by_role("region", name="Yes: this fingerprint belongs to a signed-off")
    expect(answer).to_contain_text("Acme AI")
    expect(answer).to_contain_text("Fraud detection model")
    expect(answer).to_contain_text("14 March 2026")
    expect(answer).to_contain_text("Managed")
    screenshot("verify-yes")
    assert_accessible(page)

    page.get_by_label("Scorecard fingerprint").fill(CHANGED)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("region", name="No: this fingerprint does not")).to_be_visible()
    expect(page.get_by_text("Acme AI")).to_have_count(0)
    screenshot("verify-no")
    assert_accessible(page)

    page.get_by_label("Scorecard fingerprint").fill("1234")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("A fingerprint is 64 characters long; this one has 4.")).to_be_visible()
    # The refused field has the focus, so a keyboard user can correct it at once.
    expect(page.get_by_label("Scorecard fingerprint")).to_be_focused()
    assert_accessible(page)
    assert errors == []
