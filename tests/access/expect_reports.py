"""Expectations for the reports area: scorecard, "why this score", comparisons, PDF reports
and exports.

Written out by hand: reading a scorecard is for all four roles of acme, and so is taking a
file away (PDF progress and download, CSV/XLSX/JSON). Queuing a PDF render (request,
retry) is for owners, assessors and auditors; a viewer gets 403, nothing is queued, and
the scorecard shows a viewer no button to press. In the world acme's report is already
rendered: a retry of a finished report is refused politely (redirect back, nothing
changes); the retry case first marks it failed, so the retry queues a new render. Without
htmx both answer with a redirect to the report's status page.
"""

from __future__ import annotations

from assessments.models import Report, ReportStatus
from tests.access import GET_ONLY, everyone, members

POST_ONLY = everyone(405)
TO_STATUS = (302, "/reports/")
ALL_ROLES = {"owner", "assessor", "viewer", "auditor"}
RENDER_ROLES = {"owner", "assessor", "auditor"}

# The formats and kinds the tests know; test_parameter_lists.py checks the code offers
# exactly these, so a new one cannot go unrequested.
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "summary-csv": "text/csv; charset=utf-8",
}
# Each kind with a ref that exists in the world's catalog (tests/factories.make_framework).
EXPLAIN_REFS = {
    "overall": "overall",
    "contributions": "overall",
    "domain": "D1",
    "control": "D1-C1",
    "risk": "risk1",
    "completeness": "overall",
    "risks": "overall",
    "gaps": "overall",
    "tier": "overall",
    "path": "overall",
    "crosswalk": "overall",
}
NOT_FOUND = members(ALL_ROLES, ok=404)


def _report_queued(world, changes, persona):
    # A retry is a new render; the failed report is kept as it failed.
    assert changes["assessments_report"][0] == 1  # one row added
    assert Report.objects.get(pk=world.acme.report.pk).status == ReportStatus.FAILED
    newest = Report.objects.filter(assessment=world.assessment).order_by("-created_at").first()
    assert newest.requested_by == world.users[persona]
    assert newest.status == ReportStatus.QUEUED


def _new_report(world, changes, persona):
    assert changes["assessments_report"][0] == 1  # one row added
    assert Report.objects.filter(assessment=world.assessment).count() == 2
    newest = Report.objects.filter(assessment=world.assessment).order_by("-created_at").first()
    assert newest.requested_by == world.users[persona]


def _mark_failed(world):
    Report.objects.filter(pk=world.acme.report.pk).update(status=ReportStatus.FAILED)


EXPECT = {
    "scorecard": {
        "get": members(ALL_ROLES),
        "post": GET_ONLY,
        # The request form's address: the button is there only for who may press it.
        "text": "/scorecard/pdf/",
        "shows": {"owner": True, "assessor": True, "auditor": True, "viewer": False},
    },
    "score_explain": {
        "get": members(ALL_ROLES),
        "post": GET_ONLY,
        "variants": [
            *({"kwargs": {"kind": kind, "ref": ref}} for kind, ref in EXPLAIN_REFS.items()),
            {"kwargs": {"kind": "nonsense", "ref": "overall"}, "get": NOT_FOUND},
            {"kwargs": {"kind": "domain", "ref": "D9"}, "get": NOT_FOUND},
            {"kwargs": {"kind": "control", "ref": "no-such-control"}, "get": NOT_FOUND},
            {"kwargs": {"kind": "risk", "ref": "risk99"}, "get": NOT_FOUND},
            # The kinds about the whole assessment answer only to "overall".
            {"kwargs": {"kind": "completeness", "ref": "D1"}, "get": NOT_FOUND},
        ],
    },
    "assessment_compare": {"get": members(ALL_ROLES), "post": GET_ONLY},
    # The crosswalk across catalogs reads like the scorecard.
    "assessment_crosswalk": {"get": members(ALL_ROLES), "post": GET_ONLY},
    "compare_explain": {"get": members(ALL_ROLES), "post": GET_ONLY},
    "report_request": {
        "get": POST_ONLY,
        "post": members(RENDER_ROLES, ok=TO_STATUS),
        "changes": {role: _new_report for role in RENDER_ROLES},
    },
    "report_status": {"get": members(ALL_ROLES), "post": GET_ONLY},
    "report_download": {"get": members(ALL_ROLES), "post": GET_ONLY},
    "report_retry": {
        "get": POST_ONLY,
        "post": members(RENDER_ROLES, ok=TO_STATUS),
        "setup": _mark_failed,
        "changes": {role: _report_queued for role in RENDER_ROLES},
    },
    "assessment_export": {
        "get": members(ALL_ROLES),
        "post": GET_ONLY,
        "variants": [
            *({"kwargs": {"fmt": f}, "content_type": t} for f, t in EXPORT_FORMATS.items()),
            {"kwargs": {"fmt": "docx"}, "get": NOT_FOUND},
        ],
    },
}
