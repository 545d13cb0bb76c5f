"""Expectations for the review workflow: submit, review comments, finalise, sign-off,
reopen, domain assignments, catalog upgrade and "my work".

In the world acme's assessment is a draft; a case whose action needs another state first
moves it there ("setup", inside the case's own savepoint), so an allowed POST really
performs the action and the "changes" check sees its effect. Wrong roles get 403, other
organisations (and the catalog admin, a member of none) 404, and change nothing. The
upgrade case asks for the version already in use: the service refuses it, nothing changes.
"""

from __future__ import annotations

from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentStatus,
    DomainAssignment,
    ReviewComment,
    ScoreSnapshot,
    SignOff,
)
from assessments.scoring import take_snapshot
from scorecard.models import Domain
from tests.access import GET_ONLY, TO_LOGIN, everyone, members
from tests.access.effects import audited, by

LOGGED_IN = ("outsider", "viewer", "assessor", "auditor", "owner", "catalog_admin")
POST_ONLY = everyone(405)
BACK = (302, "/assessments/")


def _upgrade_data(world) -> dict:
    # The current version: the service refuses it ("already uses") and redirects back.
    return {"target": world.framework.pk, "fingerprint": "0" * 64}


def _submitted(world):
    Assessment.objects.filter(pk=world.assessment.pk).update(status=AssessmentStatus.SUBMITTED)


def _ready_to_finalise(world):
    _submitted(world)
    ReviewComment.objects.filter(assessment=world.assessment).update(resolved=True)


def _finalised(world):
    Assessment.objects.filter(pk=world.assessment.pk).update(
        status=AssessmentStatus.FINALISED, finalised_at=timezone.now()
    )
    take_snapshot(assessment=Assessment.objects.get(pk=world.assessment.pk), reason="finalised")


def _status(expected):
    def check(world, changes, persona):
        assert Assessment.objects.get(pk=world.assessment.pk).status == expected

    return check


def _comment(body, *, reply):
    def check(world, changes, persona):
        comment = ReviewComment.objects.get(assessment=world.assessment, body=body)
        assert comment.author == world.users[persona]
        assert (comment.parent_id == world.acme.comment.pk) is reply

    return check


def _resolved(world, changes, persona):
    assert ReviewComment.objects.get(pk=world.acme.comment.pk).resolved


def _signed(world, changes, persona):
    signoff = SignOff.objects.get(assessment=world.assessment, user=world.users[persona])
    assert signoff.statement == "Reviewed."
    assert signoff.snapshot == ScoreSnapshot.objects.filter(assessment=world.assessment).first()


def _revision_started(world, changes, persona):
    assert changes.get("assessments_assessment", (0, 0))[0] >= 1, changes


def _assigned(world, changes, persona):
    assignment = DomainAssignment.objects.get(assessment=world.assessment)
    assert assignment.assignee == world.users["assessor"]
    assert assignment.domain.ref == "D1"


def _assign_data(world) -> dict:
    domain = Domain.objects.get(framework=world.framework, ref="D1")
    return {f"domain_{domain.pk}": str(world.users["assessor"].pk)}


WAITING = "Waiting for a reply 4d1e"


def _comment_from_outside(world):
    # A comment none of acme's members wrote, so every role that answers comments sees it.
    ReviewComment.objects.create(
        assessment=world.assessment, author=world.users["catalog_admin"], body=WAITING
    )


EXPECT = {
    "my_work": {
        "get": {"anonymous": TO_LOGIN, **{p: 200 for p in LOGGED_IN}},
        "post": GET_ONLY,
        # "Comments awaiting your reply" lists acme's open threads to owners and assessors.
        "setup": _comment_from_outside,
        "text": WAITING,
        "shows": {"owner": True, "assessor": True, "viewer": False, "auditor": False},
    },
    "assessment_submit": {
        "get": POST_ONLY,
        "post": members({"owner", "assessor"}, ok=BACK),
        "changes": by({"owner", "assessor"}, _status("submitted"), audited("assessment.submitted")),
    },
    "assessment_return": {
        "get": POST_ONLY,
        "post": members({"owner", "auditor"}, ok=BACK),
        "data": {"message": "Please complete domain 2."},
        "setup": _submitted,
        "changes": by(
            {"owner", "auditor"},
            _status("draft"),
            _comment("Please complete domain 2.", reply=False),
            audited("assessment.returned"),
        ),
    },
    "assessment_review": {"get": members(), "post": GET_ONLY},
    "review_comment_add": {
        "get": POST_ONLY,
        "post": members({"owner", "auditor"}, ok=BACK),
        "data": {"body": "Where is the evidence?"},
        "setup": _submitted,
        "changes": by(
            {"owner", "auditor"},
            _comment("Where is the evidence?", reply=False),
            _status("in_review"),
        ),
    },
    "review_comment_reply": {
        "get": POST_ONLY,
        "post": members({"owner", "assessor", "auditor"}, ok=BACK),
        "data": {"body": "Attached now."},
        "changes": by({"owner", "assessor", "auditor"}, _comment("Attached now.", reply=True)),
    },
    "review_comment_resolve": {
        "get": POST_ONLY,
        "post": members({"owner", "assessor", "auditor"}, ok=BACK),
        "data": {"resolved": "1"},
        "changes": by({"owner", "assessor", "auditor"}, _resolved),
    },
    "assessment_finalise": {
        "get": members({"owner"}),
        "post": members({"owner"}, ok=BACK),
        "setup": _ready_to_finalise,
        "changes": by({"owner"}, _status("finalised"), audited("assessment.finalised")),
    },
    "assessment_signoff": {
        "get": members({"auditor"}),
        "post": members({"auditor"}, ok=BACK),
        "data": {"confirm": "on", "statement": "Reviewed."},
        "setup": _finalised,
        "changes": by({"auditor"}, _signed, audited("assessment.signed_off")),
    },
    "assessment_reopen": {
        "get": members({"owner"}),
        "post": members({"owner"}, ok=BACK),
        "setup": _finalised,
        "changes": by({"owner"}, _revision_started, audited("assessment.reopened")),
    },
    "assessment_assign": {
        "get": members({"owner"}),
        "post": members({"owner"}, ok=BACK),
        "data": _assign_data,
        "changes": by({"owner"}, _assigned, audited("assessment.assigned")),
    },
    "assessment_upgrade": {
        "get": members({"owner"}),
        "post": members({"owner"}, ok=BACK),
        "data": _upgrade_data,
    },
}
