"""Expectations for the project-level URLs (health, log in/out, home) and the admin rule."""

from __future__ import annotations

from assessments.models import AuditEvent
from scorecard.models import Framework
from tests.access import (
    GET_ONLY,
    PERMITTED,
    PERSONAS,
    REACHABLE,
    TO_ADMIN_LOGIN,
    TO_LOGIN,
    everyone,
)
from tests.access.effects import by

LOGGED_IN = ("outsider", "viewer", "assessor", "auditor", "owner", "catalog_admin")


def _logout_audited(world, changes, persona):
    # Only the audit log records a log-out (sessions are not fingerprinted).
    assert changes == {"assessments_auditevent": (1, 0)}, changes
    assert AuditEvent.objects.order_by("-pk").first().actor == world.users[persona]


def _framework_retired(world, changes, persona):
    assert set(changes) == {"scorecard_framework"}, changes
    assert Framework.objects.get(pk=world.framework.pk).status == "retired"


def _logged_in(status) -> dict:
    return {persona: status for persona in LOGGED_IN}


EXPECT = {
    "healthz": {"get": everyone(200), "post": everyone(405)},
    "favicon": {"get": everyone(200), "post": everyone(405)},
    "login": {
        "get": {"anonymous": 200, **_logged_in((302, "home"))},
        "post": {"anonymous": 200, **_logged_in((302, "home"))},
    },
    # Log out only by POST (a GET could be forged by any page that embeds an image).
    "logout": {
        "get": everyone(405),
        "post": everyone((302, "login")),
        "changes": by(LOGGED_IN, _logout_audited),
    },
    # The admin's log-out logs out staff only: anyone else is sent to the admin's login
    # still logged in (statuses: the admin rule below).
    "admin:logout": {"changes": by({"catalog_admin"}, _logout_audited)},
    # Members land on their assessments; the catalog admin (no organisation) gets the welcome.
    "home": {
        "get": {
            "anonymous": TO_LOGIN,
            **_logged_in((302, "assessment_list")),
            "catalog_admin": 200,
        },
        "post": GET_ONLY,
    },
    # Only fills the URL (the catalog's export formats); the admin rule gives the statuses.
    "admin:scorecard_framework_export": {"kwargs": {"fmt": "yaml"}},
    # The world's framework is published, so its questions cannot be generated: the
    # catalog admin is refused too, not only sent on.
    "admin:scorecard_framework_generate_questions": {
        method: {p: 403 if p == "catalog_admin" else TO_ADMIN_LOGIN for p in PERSONAS}
        for method in ("get", "post")
    },
    # The world's framework is published: the catalog admin's POST retires it.
    "admin:scorecard_framework_retire": {"changes": by({"catalog_admin"}, _framework_retired)},
}

# Apps whose admin pages the catalog editors may use; every other admin page is refused.
CATALOG_APPS = {"scorecard"}

# The catalog admin (staff, "Catalog editors") on the admin site's own pages.
_SITE_PAGES = {
    "index": {"get": 200, "post": 200},
    "login": {"get": (302, "admin:index"), "post": 200},
    "logout": {"get": 405, "post": (302, "login")},
    "password_change": {"get": 200, "post": 200},
    "password_change_done": {"get": 200, "post": 405},
    # Without its query parameters the autocomplete endpoint refuses to answer.
    "autocomplete": {"get": 403, "post": 405},
    "jsi18n": {"get": 200, "post": 405},
    # Organisations have no page outside the admin to jump to.
    "view_on_site": {"get": 404, "post": 404},
    "catch_all": {"get": 404, "post": 404},
}


def admin_rule(entry, method, persona, world):
    """Every admin URL: non-staff are sent to the admin login; the catalog admin may use
    the catalog's pages and nothing else (users, organisations, audit, lockouts → 403)."""
    if not entry.is_admin:
        return None
    short = entry.name.split(":", 1)[1] if entry.name else None
    if short is None and entry.route.endswith("(?P<url>.*)$"):
        short = "catch_all"
    if persona != "catalog_admin":
        if short == "login":
            return 200
        if short == "logout":
            return (302, "admin:index")
        return TO_ADMIN_LOGIN
    if short in _SITE_PAGES:
        return _SITE_PAGES[short][method]
    if short == "app_list":
        app_label = dict(entry.variant)["app_label"]
        return 200 if app_label in CATALOG_APPS else 404
    model = entry.admin_model
    if model is None:
        return None
    if short is None:
        # "<object_id>/" only redirects to the change page, which then checks permissions.
        return (302, "/admin/")
    if model._meta.app_label not in CATALOG_APPS:
        return 403
    if short.endswith("_changelist"):
        return 200 if method == "get" else PERMITTED
    # Past the staff check; whether this object may change is the catalog's own rule
    # (a published framework is locked: its change and delete pages answer 403).
    return REACHABLE


RULES = [admin_rule]
