"""Pages load without console errors: in particular htmx no longer injects an inline style
that the Content Security Policy refuses, and the icon request finds an icon."""

import pytest

from assessments.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_and_home_pages_log_no_console_errors(live_server, page):
    User.objects.create_user(email="person@example.org", password="a-long-passphrase-42")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("person@example.org")
    page.get_by_label("Password").fill("a-long-passphrase-42")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert errors == []
