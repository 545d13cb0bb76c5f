"""Expectations for the reports area: scorecard, "why this score", comparisons, PDF reports
and exports.

Reading a scorecard needs "view"; anything that produces a file to take away (PDF request,
progress, download, retry, CSV/XLSX/JSON) needs "export". Both sets of roles come from
assessments.access.PERMISSIONS, so the matrix follows the table if it changes. In the world
acme's report is already rendered: a retry is refused politely (redirect back), a download
returns the file. POSTs that are allowed end in a redirect to the scorecard.
"""

from __future__ import annotations

from assessments.access import PERMISSIONS
from tests.access import GET_ONLY, everyone, members

POST_ONLY = everyone(405)
BACK = (302, "/assessments/")


def roles_for(action: str) -> set[str]:
    return {str(role) for role in PERMISSIONS[action]}


VIEW = members(roles_for("view"))
EXPORT = members(roles_for("export"))
EXPORT_POST = members(roles_for("export"), ok=BACK)

EXPECT = {
    "scorecard": {"get": VIEW, "post": GET_ONLY},
    "score_explain": {"get": VIEW, "post": GET_ONLY},
    "assessment_compare": {"get": VIEW, "post": GET_ONLY},
    "report_request": {"get": POST_ONLY, "post": EXPORT_POST},
    "report_status": {"get": EXPORT, "post": GET_ONLY},
    "report_download": {"get": EXPORT, "post": GET_ONLY},
    "report_retry": {"get": POST_ONLY, "post": EXPORT_POST},
    "assessment_export": {"get": EXPORT, "post": GET_ONLY},
}
