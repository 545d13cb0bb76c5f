"""Expectations for the review workflow: submit, review comments, finalise, sign-off,
reopen, domain assignments, catalog upgrade and "my work".

In the world acme's assessment is a draft. A POST by a role allowed to act therefore
either performs the action (submit, assignments) or is refused by the workflow service
with an error message; both end in a redirect to a page of that assessment, never a
login page. Wrong roles get 403, other organisations (and the catalog admin, a member of
none) 404, before any status check.
"""

from __future__ import annotations

from tests.access import GET_ONLY, TO_LOGIN, everyone, members

LOGGED_IN = ("outsider", "viewer", "assessor", "auditor", "owner", "catalog_admin")
POST_ONLY = everyone(405)
BACK = (302, "/assessments/")


def _upgrade_data(world) -> dict:
    # The current version: the service refuses it ("already uses") and redirects back.
    return {"target": world.framework.pk, "fingerprint": "0" * 64}


EXPECT = {
    "my_work": {"get": {"anonymous": TO_LOGIN, **{p: 200 for p in LOGGED_IN}}, "post": GET_ONLY},
    "assessment_submit": {
        "get": POST_ONLY,
        "post": members({"owner", "assessor"}, ok=BACK),
    },
    "assessment_return": {
        "get": POST_ONLY,
        "post": members({"owner", "auditor"}, ok=BACK),
        "data": {"message": "Please complete domain 2."},
    },
    "assessment_review": {"get": members(), "post": GET_ONLY},
    "review_comment_add": {
        "get": POST_ONLY,
        "post": members({"owner", "auditor"}, ok=BACK),
        "data": {"body": "Where is the evidence?"},
    },
    "review_comment_reply": {
        "get": POST_ONLY,
        "post": members({"owner", "assessor", "auditor"}, ok=BACK),
        "data": {"body": "Attached now."},
    },
    "review_comment_resolve": {
        "get": POST_ONLY,
        "post": members({"owner", "assessor", "auditor"}, ok=BACK),
        "data": {"resolved": "1"},
    },
    "assessment_finalise": {
        "get": members({"owner"}),
        "post": members({"owner"}, ok=BACK),
    },
    "assessment_signoff": {
        "get": members({"auditor"}),
        "post": members({"auditor"}, ok=BACK),
        "data": {"confirm": "on", "statement": "Reviewed."},
    },
    "assessment_reopen": {
        "get": members({"owner"}),
        "post": members({"owner"}, ok=BACK),
    },
    "assessment_assign": {
        "get": members({"owner"}),
        "post": members({"owner"}, ok=BACK),
    },
    "assessment_upgrade": {
        "get": members({"owner"}),
        "post": members({"owner"}, ok=BACK),
        "data": _upgrade_data,
    },
}
