"""Expectations for the questionnaire area: assessment list, start, scope, overview,
questionnaire pages, answer history, evidence and the catalog admins' preview.

The list and the start page work on the *current* organisation, so the outsider (owner of
globex) gets its own (200, or a new globex assessment). Everything about one acme object is
404 to it and to the catalog admin, who is a member of no organisation. In the world acme's
assessment is a draft, so allowed POSTs succeed and redirect to a page of an assessment.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Assessment, Evidence
from tests.access import GET_ONLY, TO_ADMIN_LOGIN, everyone, members
from tests.access.effects import audited, by

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


def _started(title):
    def check(world, changes, persona):
        created = Assessment.objects.get(title=title)
        # The outsider starts one in its own organisation (globex), never in acme.
        side = world.globex if persona == "outsider" else world.acme
        assert created.organisation_id == side.organisation.pk
        assert created.created_by == world.users[persona]

    return check


def _renamed(world, changes, persona):
    assert Assessment.objects.get(pk=world.assessment.pk).title == "Renamed system"


def _evidence_added(**match):
    def check(world, changes, persona):
        added = Evidence.objects.get(assessment=world.assessment, **match)
        assert added.uploaded_by == world.users[persona]

    return check


def _evidence_gone(world, changes, persona):
    assert not Evidence.objects.filter(pk=world.acme.evidence.pk).exists()


EXPECT = {
    "assessment_list": {"get": members() | {"outsider": 200}, "post": GET_ONLY},
    "assessment_start": {
        "get": members(EDITORS) | {"outsider": 200},
        "post": members(EDITORS, ok=TO_ASSESSMENT) | {"outsider": TO_ASSESSMENT},
        "data": _start_data,
        "changes": by(EDITORS | {"outsider"}, _started("Access matrix system")),
    },
    "assessment_detail": {"get": members(), "post": GET_ONLY},
    "assessment_scoping": {
        "get": members(EDITORS),
        "post": members(EDITORS, ok=TO_ASSESSMENT),
        "data": {"title": "Renamed system", "deployment_stage": "production", "action": "save"},
        "changes": by(EDITORS, _renamed, audited("assessment.scoped")),
    },
    "assessment_start_from": {
        "get": members(EDITORS),
        "post": members(EDITORS, ok=TO_ASSESSMENT),
        "data": lambda world: {"title": "Next year", "framework": world.framework.pk},
        "changes": by(EDITORS, _started("Next year")),
    },
    # An empty save is valid (nothing is required) and redirects back to the page.
    "questionnaire_page": {
        "get": members(),
        "post": members(EDITORS, ok=TO_ASSESSMENT),
        # Every domain of the world's catalog (tests/factories.make_framework), and one that
        # is not in it: the role is checked first, then the domain.
        "variants": [
            {"kwargs": {"domain_ref": "D1"}},
            {"kwargs": {"domain_ref": "D2"}},
            {
                "kwargs": {"domain_ref": "D9"},
                "get": members(ok=404),
                "post": members(EDITORS, ok=404),
            },
        ],
    },
    "answer_history": {"get": members(), "post": GET_ONLY},
    "evidence_upload": {
        "get": POST_ONLY,
        "post": members(EDITORS, ok=TO_ASSESSMENT),
        "data": _upload,
        "changes": by(EDITORS, _evidence_added(filename="notes.txt"), audited("evidence.added")),
    },
    "evidence_link": {
        "get": POST_ONLY,
        "post": members(EDITORS, ok=TO_ASSESSMENT),
        "data": {"url": "https://wiki.example.org/policy", "description": "Policy"},
        "changes": by(EDITORS, _evidence_added(url="https://wiki.example.org/policy")),
    },
    "evidence_download": {"get": members(), "post": GET_ONLY},
    "evidence_delete": {
        "get": POST_ONLY,
        "post": members(EDITORS, ok=TO_ASSESSMENT),
        "changes": by(EDITORS, _evidence_gone, audited("evidence.deleted")),
    },
    # Staff only (the admin's own login for everybody else), and the catalog view permission.
    "catalog_preview": {
        "get": {**everyone(TO_ADMIN_LOGIN), "catalog_admin": 200},
        "post": GET_ONLY,
    },
}
