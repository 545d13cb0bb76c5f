"""Expectations for the accounts area: organisation, members, invitations, passwords, audit.

Organisation pages show the *current* organisation, so the outsider (owner of globex)
sees its own members and log (200) — tests/access/test_cross_organisation.py checks
that nothing of acme is on those pages. Pages about one acme object are 404 to it.
"""

from __future__ import annotations

from assessments.models import Invitation, Membership
from tests.access import GET_ONLY, TO_LOGIN, everyone, members
from tests.access.effects import by

LOGGED_IN = ("outsider", "viewer", "assessor", "auditor", "owner", "catalog_admin")
POST_ONLY = everyone(405)


def _viewer_role_field(world) -> dict:
    pk = world.memberships["viewer"].pk
    return {f"m{pk}-role": "assessor"}


OWNER_ACTS_ON_ACME = members({"owner"}, ok=(302, "org_members"))


def _viewer_is_assessor(world, changes, persona):
    assert set(changes) <= {"assessments_membership", "assessments_auditevent"}, changes
    assert Membership.objects.get(pk=world.memberships["viewer"].pk).role == "assessor"


def _viewer_removed(world, changes, persona):
    assert not Membership.objects.filter(pk=world.memberships["viewer"].pk).exists()


def _invitation_revoked(world, changes, persona):
    invitation = Invitation.objects.filter(pk=world.invitation.pk).first()
    assert invitation is None or invitation.revoked_at is not None, changes


EXPECT = {
    "org_switch": {
        "get": POST_ONLY,
        "post": members(ok=(302, "home")),
        "data": {"organisation": "acme"},
    },
    "org_members": {"get": members() | {"outsider": 200}, "post": GET_ONLY},
    "member_role": {
        "get": POST_ONLY,
        "post": OWNER_ACTS_ON_ACME,
        "data": _viewer_role_field,
        "changes": by({"owner"}, _viewer_is_assessor),
    },
    "member_remove": {
        "get": POST_ONLY,
        "post": OWNER_ACTS_ON_ACME,
        "changes": by({"owner"}, _viewer_removed),
    },
    "invite": {
        # The current organisation: the outsider owns globex, so it may invite to globex.
        "get": members({"owner"}) | {"outsider": 200},
        "post": members({"owner"}) | {"outsider": 200},
    },
    "invitation_revoke": {
        "get": POST_ONLY,
        "post": OWNER_ACTS_ON_ACME,
        "changes": by({"owner"}, _invitation_revoked),
    },
    "audit_log": {
        "get": members({"owner", "auditor"}) | {"outsider": 200},
        "post": GET_ONLY,
    },
    # The world's invitation is for newcomer@acme.example, who has no account yet:
    # anyone without a session may set one up; a logged-in different person is refused.
    "invitation_accept": {
        "get": {"anonymous": 200, **{p: 403 for p in LOGGED_IN}},
        "post": {"anonymous": 200, **{p: 403 for p in LOGGED_IN}},
    },
    "password_change": {
        "get": {"anonymous": TO_LOGIN, **{p: 200 for p in LOGGED_IN}},
        "post": {"anonymous": TO_LOGIN, **{p: 200 for p in LOGGED_IN}},
    },
    "password_change_done": {
        "get": {"anonymous": TO_LOGIN, **{p: 200 for p in LOGGED_IN}},
        "post": {"anonymous": TO_LOGIN, **{p: 405 for p in LOGGED_IN}},
    },
    "password_reset": {"get": everyone(200), "post": everyone(200)},
    "password_reset_done": {"get": everyone(200), "post": everyone(405)},
    # The token in the world is not a reset token: the page says the link is invalid.
    "password_reset_confirm": {"get": everyone(200), "post": everyone(200)},
    "password_reset_complete": {"get": everyone(200), "post": everyone(405)},
}
