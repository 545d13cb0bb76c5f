"""The first real-browser check: a person can log in through the login page."""

import pytest
from playwright.sync_api import expect

from assessments.models import User
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_user_logs_in_through_login_page(live_server, page, screenshot):
    User.objects.create_user(email="person@example.org", password="a-long-passphrase-42")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("E-mail address").fill("person@example.org")
    page.get_by_label("Password").fill("a-long-passphrase-42")
    screenshot("login")
    assert_accessible(page)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("person@example.org")
    assert_accessible(page)


def test_wrong_password_shows_error_and_stays_logged_out(live_server, page):
    User.objects.create_user(email="person@example.org", password="a-long-passphrase-42")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("person@example.org")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
