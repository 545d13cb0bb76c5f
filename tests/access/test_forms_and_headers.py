"""CSRF on every form, and the browser-side protections on every page.

Walks the same URLconf as the access matrix: a new view is covered without anyone
listing it here.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.access.walker import discover
from tests.conftest import release

pytestmark = pytest.mark.django_db

ENTRIES = discover()
APP_ENTRIES = [entry for entry in ENTRIES if not entry.is_admin]
PAGE_PERSONAS = ("anonymous", "viewer", "auditor", "owner")


class PageScan(HTMLParser):
    """Collects what the CSP would block and POST forms without a CSRF token."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._form: dict | None = None
        self._script_has_src = True

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in attributes:
            if name.startswith("on"):
                self.problems.append(f"inline event handler {name}= on <{tag}>")
        if "style" in attributes:
            self.problems.append(f"inline style= on <{tag}>")
        if tag == "style":
            self.problems.append("inline <style> element")
        if tag == "script":
            self._script_has_src = bool(attributes.get("src")) or attributes.get("type") in {
                "application/json",
                "application/ld+json",
            }
        if tag == "form":
            self._form = {
                "post": (attributes.get("method") or "get").lower() == "post",
                "token": False,
                "action": attributes.get("action", ""),
            }
        is_token = attributes.get("name") == "csrfmiddlewaretoken" and attributes.get("value")
        if tag == "input" and self._form is not None and is_token:
            self._form["token"] = True

    def handle_data(self, data):
        if self.lasttag == "script" and not self._script_has_src and data.strip():
            self.problems.append("inline <script>")

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            if self._form["post"] and not self._form["token"]:
                self.problems.append(f"POST form to {self._form['action']!r} without a CSRF token")
            self._form = None


def scan(html: str) -> list[str]:
    parser = PageScan()
    parser.feed(html)
    parser.close()
    return parser.problems


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
@pytest.mark.parametrize("persona", ["anonymous", "owner"])
def test_post_without_csrf_token_is_refused(world, entry, persona):
    from tests.access.test_access_matrix import post_data, url_for

    client = world.client(persona, enforce_csrf_checks=True)
    response = client.post(url_for(entry, world), post_data(entry, world))
    assert response.status_code == 403, f"{entry.id}: {response.status_code}"
    assert b"CSRF" in response.content


@pytest.mark.parametrize("entry", APP_ENTRIES, ids=lambda e: e.id)
@pytest.mark.parametrize("persona", PAGE_PERSONAS)
def test_pages_have_csrf_on_forms_and_nothing_inline(world, entry, persona):
    from tests.access.test_access_matrix import url_for

    response = world.client(persona).get(url_for(entry, world))
    # Every response, refusals and downloads included, carries the framing and CSP headers.
    assert response["X-Frame-Options"] == "DENY", entry.id
    policy = response["Content-Security-Policy"]
    # Pages allow our own scripts only; downloads are stricter still (nothing, sandboxed).
    assert "script-src 'self'" in policy or policy.startswith("default-src 'none'"), policy
    assert "unsafe-inline" not in policy
    content_type = response.get("Content-Type", "")
    if response.status_code == 200 and content_type.startswith("text/html"):
        problems = scan(response.content.decode())
        assert not problems, f"{entry.id} as {persona}: {sorted(set(problems))}"
    release(response)


def test_scanner_finds_what_it_looks_for():
    page = (
        '<form method="post" action="/x"><button>Go</button></form>'
        '<div style="color:red" onclick="go()"></div><script>alert(1)</script><style>a{}</style>'
    )
    problems = scan(page)
    assert len(problems) == 5, problems
    good = (
        '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t"></form>'
        '<script src="/static/js/questionnaire.js"></script>'
    )
    assert scan(good) == []


def test_login_page_sends_the_security_headers(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
