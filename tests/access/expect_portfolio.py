"""Expectations for the portfolio: written out by hand.

The page and its exports are for all four roles of acme (an outsider sees globex's own
portfolio, its current organisation: 200); queuing the portfolio PDF is for owners,
assessors and auditors (a viewer gets 403, nothing queued). Acme's portfolio report (built
here, once, by the kwargs of its URLs) may be followed and downloaded by every role;
the outsider gets 404. A catalog admin belongs to no organisation: 404 throughout.
"""

from __future__ import annotations

from assessments.models import Report, ReportKind
from tests.access import GET_ONLY, everyone, members

POST_ONLY = everyone(405)
ALL_ROLES = {"owner", "assessor", "viewer", "auditor"}
RENDER_ROLES = {"owner", "assessor", "auditor"}
PORTFOLIO_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TO_STATUS = (302, "/portfolio/reports/")
CURRENT_ORGANISATION = members(ALL_ROLES) | {"outsider": 200}


def _portfolio_report(world):
    report = Report.objects.filter(kind=ReportKind.PORTFOLIO, organisation=world.organisation)
    return report.values_list("pk", flat=True).first()


def _queued(world, changes, persona):
    assert changes["assessments_report"][0] == 1  # one row added
    newest = Report.objects.filter(kind=ReportKind.PORTFOLIO).order_by("-created_at").first()
    own = world.globex.organisation if persona == "outsider" else world.organisation
    assert newest.organisation == own
    assert newest.requested_by == world.users[persona]


EXPECT = {
    "portfolio": {"get": CURRENT_ORGANISATION, "post": GET_ONLY},
    "portfolio_export": {
        "get": CURRENT_ORGANISATION,
        "post": GET_ONLY,
        "variants": [
            *({"kwargs": {"fmt": f}, "content_type": t} for f, t in PORTFOLIO_FORMATS.items()),
            {"kwargs": {"fmt": "json"}, "get": everyone(404) | {"anonymous": (302, "login")}},
        ],
    },
    "portfolio_report_request": {
        "get": POST_ONLY,
        "post": members(RENDER_ROLES, ok=TO_STATUS) | {"outsider": TO_STATUS},
        "changes": {role: _queued for role in RENDER_ROLES | {"outsider"}},
    },
    "portfolio_report_status": {
        "get": members(ALL_ROLES),
        "post": GET_ONLY,
        "kwargs": {"report_id": _portfolio_report},
    },
    "portfolio_report_download": {
        "get": members(ALL_ROLES),
        "post": GET_ONLY,
        "kwargs": {"report_id": _portfolio_report},
    },
}
