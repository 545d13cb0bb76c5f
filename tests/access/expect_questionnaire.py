"""Expectations for the questionnaire area: assessment list, start, scope, overview,
questionnaire pages, answer history, evidence and the catalog admins' preview.

The list and the start page work on the *current* organisation, so the outsider (owner of
globex) gets its own (200, or a new globex assessment). Everything about one acme object is
404 to it and to the catalog admin, who is a member of no organisation. In the world acme's
assessment is a draft, so allowed POSTs succeed and redirect to a page of an assessment.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import GET_ONLY, TO_ADMIN_LOGIN, everyone, members

POST_ONLY = everyone(405)
TO_ASSESSMENT = (302, "/assessments/")
EDITORS = {"owner", "assessor"}


def _start_data(world) -> dict:
    return {
        "framework": world.framework.pk,
        "title": "Access matrix system",
        "deployment_stage": "pilot",
    }


def _upload(world) -> dict:
    # A fresh file object per request: an upload is consumed by the POST that sends it.
    return {"file": SimpleUploadedFile("notes.txt", b"Plain text evidence.\n"), "description": ""}


EXPECT = {
    "assessment_list": {"get": members() | {"outsider": 200}, "post": GET_ONLY},
    "assessment_start": {
        "get": members(EDITORS) | {"outsider": 200},
        "post": members(EDITORS, ok=TO_ASSESSMENT) | {"outsider": TO_ASSESSMENT},
        "data": _start_data,
    },
    "assessment_detail": {"get": members(), "post": GET_ONLY},
    "assessment_scoping": {
        "get": members(EDITORS),
        "post": members(EDITORS, ok=TO_ASSESSMENT),
        "data": {"title": "Renamed system", "deployment_stage": "production", "action": "save"},
    },
    "assessment_start_from": {
        "get": members(EDITORS),
        "post": members(EDITORS, ok=TO_ASSESSMENT),
        "data": lambda world: {"title": "Next year", "framework": world.framework.pk},
    },
    # An empty save is valid (nothing is required) and redirects back to the page.
    "questionnaire_page": {"get": members(), "post": members(EDITORS, ok=TO_ASSESSMENT)},
    "answer_history": {"get": members(), "post": GET_ONLY},
    "evidence_upload": {
        "get": POST_ONLY,
        "post": members(EDITORS, ok=TO_ASSESSMENT),
        "data": _upload,
    },
    "evidence_link": {
        "get": POST_ONLY,
        "post": members(EDITORS, ok=TO_ASSESSMENT),
        "data": {"url": "https://wiki.example.org/policy", "description": "Policy"},
    },
    "evidence_download": {"get": members(), "post": GET_ONLY},
    "evidence_delete": {"get": POST_ONLY, "post": members(EDITORS, ok=TO_ASSESSMENT)},
    # Staff only (the admin's own login for everybody else), and the catalog view permission.
    "catalog_preview": {
        "get": {**everyone(TO_ADMIN_LOGIN), "catalog_admin": 200},
        "post": GET_ONLY,
    },
}
