"""Every GET page of the app, admin included, opened in chromium by the people who use it:
no console error, no uncaught script error, and no serious or critical axe violation.

The pages come from the URLconf (tests/browser/site_map.py): a URL nobody listed fails
`test_every_url_is_visited_or_excused`. Each persona's pages are opened in one browser
context, logged in once; the test reports every failing page at once.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.admin import site as admin_site
from django.template.loader import render_to_string
from django.test import Client

from tests.access.walker import Entry
from tests.browser.accessibility import blocking_violations, describe
from tests.browser.site_data import Site, build_site, path_for
from tests.browser.site_map import (
    ADMIN_REFUSED,
    EXTRA_VISITS,
    PAGES,
    PERSONAS,
    coverage_problems,
    visits,
)


class ConsoleErrors:
    """Console messages of type error and uncaught exceptions, as (source URL, text)."""

    def __init__(self, page):
        self.messages: list[tuple[str, str]] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(("page", f"pageerror: {error}")))

    def _console(self, message) -> None:
        if message.type == "error":
            self.messages.append((message.location.get("url", ""), message.text))

    def clear(self) -> None:
        self.messages.clear()

    def of_the_page(self, url: str, status: int, *, loaded: int) -> list[str]:
        """What the page logged: everything until it had loaded (`loaded` messages), and
        what its own scripts logged later. Left out: messages without a source after
        loading, which come from axe's script (its copies of stylesheets that @import
        others are inline styles the CSP refuses), and, on an error page, the browser's
        note of the status the visit asked for."""
        kept = []
        for n, (where, text) in enumerate(self.messages):
            if n >= loaded and not where:
                continue
            if status >= 400 and where == url and text.startswith("Failed to load resource"):
                continue
            kept.append(text)
        return kept


def _log_in(context, base_url: str, user) -> None:
    """A session made by Django's test client, handed to the browser as its cookie: the
    login page itself is one of the anonymous visits."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


def _check(page, errors: ConsoleErrors, url: str, status: int, lands: str | None = None):
    """The problems of one page: its status, where it landed, axe, the console."""
    errors.clear()
    response = page.goto(url)
    problems = []
    if response is None or response.status != status:
        got = response.status if response else "no response"
        problems.append(f"answered {got}, expected {status} (now at {page.url})")
    if page.url != url and not (lands and page.url.endswith(lands)):
        problems.append(f"landed on {page.url}, expected {lands or 'no redirect'}")
    loaded = len(errors.messages)
    violations = blocking_violations(page)
    if violations:
        problems.append("axe:\n    " + describe(violations).replace("\n", "\n    "))
    problems += [f"console: {t}" for t in errors.of_the_page(url, status, loaded=loaded)]
    return problems


def _planned(site: Site, persona: str, base: str) -> list[tuple[str, str, int, str | None]]:
    planned = [
        (label, base + path_for(site, entry, visit), visit.status, visit.lands)
        for label, entry, visit in visits(persona)
    ]
    planned += [
        (path, base + path, status, None) for path, who, status in EXTRA_VISITS if who == persona
    ]
    return planned


def _serve_500(page, base: str) -> None:
    body = render_to_string("500.html")
    page.route(
        f"{base}/__500__/",
        lambda route: route.fulfill(status=500, body=body, content_type="text/html"),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_logs_no_console_error_and_passes_axe(persona, live_server, page):
    site = build_site()
    base = live_server.url
    if persona != "anonymous":
        _log_in(page.context, base, site.users[persona])
    _serve_500(page, base)
    errors = ConsoleErrors(page)
    planned = _planned(site, persona, base)
    assert planned, f"{persona} has no page to visit"
    failures = []
    for label, url, status, lands in planned:
        problems = _check(page, errors, url, status, lands)
        if problems:
            failures.append(f"{label} {url}\n  " + "\n  ".join(problems))
    assert not failures, f"{len(failures)} of {len(planned)} pages failed:\n" + "\n".join(failures)


def test_every_url_is_visited_or_excused():
    assert coverage_problems() == []


def test_a_url_nobody_listed_is_reported():
    stranger = Entry(name="brand_new_page", route="brand-new/", patterns=())
    assert coverage_problems([stranger])[0] == (
        "URL 'brand_new_page' is neither visited nor excused: add it to PAGES or "
        "NOT_PAGES in tests/browser/site_map.py"
    )


def test_every_registered_model_has_its_list_add_and_change_pages_opened():
    opened = {label.split("[")[0] for label, _entry, _visit in visits("admin")}
    for model in admin_site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for page_name in ("changelist", "add", "change", "delete"):
            name = f"{prefix}_{page_name}"
            assert name in opened or name in ADMIN_REFUSED, name
    assert "admin:scorecard_control_change" in opened  # the former two-box picker's page


def test_every_listed_page_has_a_persona_who_opens_it():
    unknown = {v.persona for planned in PAGES.values() for v in planned} - set(PERSONAS)
    assert unknown == set()
    assert all(PAGES.values())


BROKEN_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>
<body><main><h1>Broken</h1><img src="/no-such-image.png">
<script>console.error("a script logged this"); throw new Error("and threw this");</script>
</main></body></html>"""


def test_the_check_reports_console_errors_script_errors_and_axe_violations(page):
    url = "http://pages.test/broken/"
    page.route(url, lambda route: route.fulfill(body=BROKEN_PAGE, content_type="text/html"))
    page.route("http://pages.test/no-such-image.png", lambda route: route.fulfill(status=404))
    problems = _check(page, ConsoleErrors(page), url, 200)
    assert problems[0].startswith("axe:\n    critical: image-alt")
    assert "console: a script logged this" in problems
    assert "console: pageerror: and threw this" in problems
    assert any(p.startswith("console: Failed to load resource") for p in problems)


def test_an_error_page_is_not_blamed_for_the_status_it_was_asked_for(page):
    url = "http://pages.test/missing/"
    body = "<!DOCTYPE html><html lang='en'><head><title>Gone</title></head><body><main>"
    body += "<h1>Not found</h1></main></body></html>"
    page.route(url, lambda route: route.fulfill(status=404, body=body, content_type="text/html"))
    errors = ConsoleErrors(page)
    assert _check(page, errors, url, 404) == []
    assert _check(page, errors, url, 200)[0] == f"answered 404, expected 200 (now at {url})"
