"""Every GET page of the app, who opens it and with which objects, derived from the URLconf.

`visits()` walks `get_resolver()` (tests/access/walker.py): each named URL must be in
`PAGES` (who visits it, on which assessment) or in `NOT_PAGES` (why no browser shows it);
every model registered with the admin gets its changelist, add, change and delete pages
(and one model its history page) without being listed. `coverage_problems()` reports a URL
name in neither list, so a new view cannot be left out of tests/browser/test_every_page.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.admin import site as admin_site

from tests.access.expect_reports import EXPLAIN_REFS
from tests.access.walker import Entry, discover

PERSONAS = ("anonymous", "owner", "assessor", "auditor", "viewer", "admin")


@dataclass(frozen=True)
class Visit:
    """One page load. `target` names the assessment that fills `assessment_id` (see
    tests/browser/site_data.py); `kwargs` fixes other URL kwargs; `status` is the answer;
    `lands`, the end of the URL a redirect leads to (else the page must not redirect)."""

    persona: str
    target: str = "draft"
    kwargs: tuple[tuple[str, str], ...] = ()
    status: int = 200
    lands: str | None = None

    def label(self, name: str) -> str:
        extra = ",".join(f"{k}={v}" for k, v in self.kwargs)
        return f"{name}[{self.target}{',' + extra if extra else ''}]"


def _as(persona: str, target: str = "draft", status: int = 200, lands=None, **kwargs) -> Visit:
    return Visit(persona, target, tuple(sorted(kwargs.items())), status, lands)


def _each(personas: str, target: str = "draft", **kwargs) -> list[Visit]:
    return [_as(p, target, **kwargs) for p in personas.split()]


PAGES: dict[str, list[Visit]] = {
    # Logged out.
    "login": [_as("anonymous")],
    "admin:login": [_as("anonymous")],
    "methodology": [_as("anonymous"), _as("viewer")],
    "verify": [_as("anonymous"), _as("viewer")],
    "password_reset": [_as("anonymous")],
    "password_reset_done": [_as("anonymous")],
    # "valid" is replaced by a real token for the viewer; "set-password" is the form Django
    # redirects a valid link to; a bad token shows the "link expired" page.
    "password_reset_confirm": [
        _as("anonymous", token="valid", lands="/set-password/"),
        _as("anonymous", token="not-a-token"),
    ],
    "password_reset_complete": [_as("anonymous")],
    "invitation_accept": [_as("anonymous"), _as("anonymous", status=404, token="not-a-token")],
    # The organisation's pages.
    "home": [_as("owner", lands="/assessments/"), _as("admin")],  # members go to their list
    "assessment_list": _each("owner assessor"),
    "assessment_start": _each("owner"),
    "assessment_detail": [
        *_each("owner assessor viewer"),
        *_each("assessor auditor", "submitted"),
        *_each("owner auditor", "finalised"),
    ],
    "assessment_scoping": _each("owner"),
    "assessment_start_from": _each("owner"),
    "questionnaire_page": [
        *_each("assessor viewer", domain_ref="D1"),
        _as("assessor", domain_ref="D2"),
        *_each("assessor auditor", "submitted", domain_ref="D1"),
        _as("owner", "finalised", domain_ref="D1"),
    ],
    "answer_history": _each("owner"),
    "catalog_preview": _each("admin"),
    "my_work": _each("owner assessor auditor viewer"),
    "assessment_review": [*_each("owner auditor", "submitted"), _as("owner")],
    "assessment_finalise": _each("owner", "submitted"),
    "assessment_signoff": _each("auditor", "finalised"),
    "assessment_reopen": _each("owner", "finalised"),
    "assessment_assign": [_as("owner"), _as("viewer", status=403)],
    "assessment_upgrade": _each("owner"),
    "org_members": _each("owner viewer"),
    "invite": _each("owner"),
    "audit_log": _each("owner auditor"),
    "portfolio": _each("owner viewer auditor"),
    "password_change": _each("owner"),
    "password_change_done": _each("owner"),
    "scorecard": [*_each("owner viewer"), *_each("auditor", "finalised")],
    "score_explain": [_as("owner", kind=k, ref=r) for k, r in EXPLAIN_REFS.items()],
    "assessment_compare": _each("owner"),
    "assessment_crosswalk": [*_each("owner viewer"), *_each("auditor", "finalised")],
    "compare_explain": _each("owner"),
    "report_status": _each("owner"),
    "system_list": _each("owner assessor viewer"),
    "system_create": _each("owner"),
    "system_propose_new": _each("assessor"),
    "system_detail": _each("owner auditor"),
    "system_edit": _each("owner"),
    "system_propose": _each("assessor"),
    "system_history": _each("owner"),
    "proposal_detail": _each("owner assessor"),
    # The admin site's own pages (the model pages come from the registry, below).
    "admin:index": _each("admin"),
    "admin:app_list": [
        _as("admin", app_label=label)
        for label in sorted({m._meta.app_label for m in admin_site._registry})
    ],
    "admin:password_change": _each("admin"),
    "admin:password_change_done": _each("admin"),
    "admin:auth_user_password_change": _each("admin"),
    "admin:scorecard_framework_import": _each("admin"),
    "admin:scorecard_framework_new_draft": _each("admin", "published"),
    "admin:scorecard_framework_publish": _each("admin", "draft"),
    "admin:scorecard_framework_retire": _each("admin", "published"),
    "admin:scorecard_framework_compare": _each("admin", "draft"),
    "admin:scorecard_framework_generate_questions": _each("admin", "draft"),
}

POST_ONLY = "POST only: the form that sends it is on a page visited here"
NOT_PAGES: dict[str, str] = {
    "healthz": "JSON for the load balancer",
    "favicon": "an image (tests/test_favicon.py)",
    "logout": POST_ONLY,
    "admin:logout": POST_ONLY,
    "org_switch": POST_ONLY,
    "member_role": POST_ONLY,
    "member_remove": POST_ONLY,
    "invitation_revoke": POST_ONLY,
    "evidence_upload": POST_ONLY,
    "evidence_link": POST_ONLY,
    "evidence_delete": POST_ONLY,
    "assessment_submit": POST_ONLY,
    "assessment_return": POST_ONLY,
    "review_comment_add": POST_ONLY,
    "review_comment_reply": POST_ONLY,
    "review_comment_resolve": POST_ONLY,
    "report_request": POST_ONLY,
    "report_retry": POST_ONLY,
    "proposal_accept": POST_ONLY,
    "proposal_decline": POST_ONLY,
    "proposal_withdraw": POST_ONLY,
    "portfolio_report_request": POST_ONLY,
    "portfolio_report_status": "a portfolio render's progress: needs a portfolio Report, "
    "which the site data has not (tests/portfolio/test_portfolio_pdf.py opens it)",
    "portfolio_report_download": "a file download (the portfolio PDF)",
    "admin:scorecard_framework_import_status": "a background catalog import's progress: "
    "needs a CatalogImport, which the site data has not "
    "(tests/catalog_admin/test_background_import.py opens it)",
    "portfolio_export": "a file download (CSV or XLSX of the portfolio)",
    "evidence_download": "a file download (the evidence itself)",
    "report_download": "a file download (the PDF)",
    "assessment_export": "a file download (CSV, summary CSV, XLSX or JSON)",
    "admin:scorecard_framework_export": "a file download (YAML or OSCAL JSON)",
    "admin:autocomplete": "JSON for the admin's autocomplete widgets",
    "admin:jsi18n": "JavaScript for the admin's widgets",
    "admin:view_on_site": "a redirect to the object's own page",
}

# Unnamed admin routes: "<object_id>/" only redirects to the change page; the catch-all
# answers 404, which the extra visits below cover with the app's 404 page.
UNNAMED_ROUTES = {
    "<path:object_id>/": "a redirect to the object's change page",
    "(?P<url>.*)$": "the admin's catch-all: a 404 page",
}

# Pages Django's admin refuses even to a superuser, so there is nothing to show.
ADMIN_REFUSED: dict[str, str] = {
    "admin:assessments_auditevent_add": "the audit log is written by the app, never by hand",
    "admin:assessments_auditevent_delete": "audit events are never deleted",
    "admin:assessments_invitation_add": "invitations are sent from the members page",
    "admin:axes_accessattempt_add": "lockout records are written by django-axes",
    "admin:axes_accesslog_add": "lockout records are written by django-axes",
    "admin:axes_accessfailurelog_add": "lockout records are written by django-axes",
    "admin:scorecard_withdrawncontrol_add": "withdrawn controls come only from an import",
}

MODEL_PAGES = ("changelist", "add", "change", "history", "delete")

# Pages that are not a URL name of their own: the error pages. (path, persona, status)
EXTRA_VISITS = [
    ("/no-such-page/", "owner", 404),
    ("/admin/no-such-admin-page/", "admin", 404),
    # Served by Playwright from templates/500.html: the live server never fails on purpose.
    ("/__500__/", "anonymous", 500),
]


def _model_page(entry: Entry) -> bool:
    model = entry.admin_model
    if model is None or not entry.name:
        return False
    meta = model._meta
    return entry.name in {f"admin:{meta.app_label}_{meta.model_name}_{p}" for p in MODEL_PAGES}


def _unnamed_reason(entry: Entry) -> str | None:
    return next((why for end, why in UNNAMED_ROUTES.items() if entry.route.endswith(end)), None)


def coverage_problems(entries: list[Entry] | None = None) -> list[str]:
    """URL names neither visited nor excused, and listed names the URLconf no longer has."""
    entries = discover() if entries is None else entries
    problems, names = [], set()
    for entry in entries:
        if entry.name is None:
            if _unnamed_reason(entry) is None:
                problems.append(f"unnamed URL {entry.route!r}: name it or list it")
            continue
        names.add(entry.name)
        if entry.name in PAGES or entry.name in NOT_PAGES or _model_page(entry):
            continue
        problems.append(
            f"URL {entry.name!r} is neither visited nor excused: add it to PAGES or "
            "NOT_PAGES in tests/browser/site_map.py"
        )
    listed = set(PAGES) | set(NOT_PAGES) | set(ADMIN_REFUSED)
    problems += [f"{name!r} is listed but is not a URL name" for name in sorted(listed - names)]
    return problems


# Every model's history page is Django's one template, and empty here (nothing was edited
# through the admin): the framework's stands for all of them, to keep the run short.
HISTORY_VISITED = "admin:scorecard_framework_history"


def _model_visits(entry: Entry) -> list[Visit]:
    if entry.name in ADMIN_REFUSED:
        return []
    if entry.name.endswith("_history") and entry.name != HISTORY_VISITED:
        return []
    # Catalog objects come from the draft version: a published one is read-only.
    return [_as("admin", "draft")]


def visits(persona: str) -> list[tuple[str, Entry, Visit]]:
    """(label, entry, visit) for every page `persona` opens, in URLconf order."""
    found, seen = [], set()
    for entry in discover():
        if entry.name is None or entry.name in seen:
            continue
        seen.add(entry.name)  # app_list comes once per app; its visits name each app
        planned = PAGES.get(entry.name) or (_model_visits(entry) if _model_page(entry) else [])
        found += [(v.label(entry.name), entry, v) for v in planned if v.persona == persona]
    return found
