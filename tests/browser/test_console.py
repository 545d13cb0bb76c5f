"""Pages load without console errors: in particular htmx no longer injects an inline style
that the Content Security Policy refuses, and the icon request finds an icon."""

import pytest

from assessments.models import User
from tests.browser.console import collect_console_errors

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_and_home_pages_log_no_console_errors(live_server, page):
    User.objects.create_user(email="person@example.org", password="a-long-passphrase-42")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("person@example.org")
    page.get_by_label("Password").fill("a-long-passphrase-42")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert errors == []
