"""Expectations for the AI system inventory: systems, their history, proposals.

The list and the two "new" forms are pages of the *current* organisation, so the outsider
(owner of globex) reaches its own (200, and its POST writes into globex). Pages of one acme
system or proposal are 404 to it. The world's proposal renames acme's system and was made
by the assessor, so only the assessor may withdraw it: the owner, who may decide on it,
is refused (403) like the roles that may not propose.
"""

from __future__ import annotations

from assessments.models import AISystem, ProposalStatus, SystemChange, SystemProposal
from tests.access import GET_ONLY, everyone, members
from tests.access.effects import audited, by

POST_ONLY = everyone(405)
NEW_SYSTEM = {"name": "Claims router", "owner": "", "autonomy_level": "2"}
RENAMED = {"name": "Renamed by the form", "owner": "", "autonomy_level": ""}


def _created(world, changes, persona):
    assert set(changes) == {
        "assessments_aisystem",
        "assessments_systemchange",
        "assessments_auditevent",
    }, changes
    system = AISystem.objects.get(name="Claims router")
    organisation = world.globex.organisation if persona == "outsider" else world.organisation
    assert system.organisation == organisation and system.autonomy_level == 2


def _edited(world, changes, persona):
    assert AISystem.objects.get(pk=world.acme.system.pk).name == "Renamed by the form"
    assert SystemChange.objects.filter(system=world.acme.system).count() == 1


def _proposed(world, changes, persona):
    assert set(changes) == {"assessments_systemproposal", "assessments_auditevent"}, changes
    newest = SystemProposal.objects.order_by("-pk").first()
    assert newest.proposed_by == world.users[persona] and newest.is_pending


def _status(status):
    def check(world, changes, persona):
        proposal = SystemProposal.objects.get(pk=world.acme.proposal.pk)
        assert proposal.status == status
        assert proposal.decided_by == world.users[persona]

    return check


def _renamed_by_proposal(world, changes, persona):
    system = AISystem.objects.get(pk=world.acme.system.pk)
    assert system.name == world.acme.proposal.data["name"]
    assert SystemChange.objects.get(system=system).proposal_id == world.acme.proposal.pk


PROPOSERS = {"owner", "assessor"}

EXPECT = {
    "system_list": {"get": members() | {"outsider": 200}, "post": GET_ONLY},
    "system_create": {
        "get": members({"owner"}) | {"outsider": 200},
        "post": members({"owner"}, ok=(302, "/systems/")) | {"outsider": (302, "/systems/")},
        "data": NEW_SYSTEM,
        "changes": by({"owner", "outsider"}, _created, audited("system.created")),
    },
    "system_propose_new": {
        "get": members(PROPOSERS) | {"outsider": 200},
        "post": members(PROPOSERS, ok=(302, "/systems/proposals/"))
        | {"outsider": (302, "/systems/proposals/")},
        "data": NEW_SYSTEM,
        "changes": by(PROPOSERS | {"outsider"}, _proposed, audited("system.proposed")),
    },
    "system_detail": {"get": members(), "post": GET_ONLY},
    "system_edit": {
        "get": members({"owner"}),
        "post": members({"owner"}, ok=(302, "/systems/")),
        "data": RENAMED,
        "changes": by({"owner"}, _edited, audited("system.updated")),
    },
    "system_propose": {
        "get": members(PROPOSERS),
        "post": members(PROPOSERS, ok=(302, "/systems/proposals/")),
        "data": RENAMED,
        "changes": by(PROPOSERS, _proposed, audited("system.proposed")),
    },
    "system_history": {"get": members(), "post": GET_ONLY},
    "proposal_detail": {"get": members(), "post": GET_ONLY},
    "proposal_accept": {
        "get": POST_ONLY,
        "post": members({"owner"}, ok=(302, "/systems/")),
        "changes": by(
            {"owner"},
            _status(ProposalStatus.ACCEPTED),
            _renamed_by_proposal,
            audited("system.proposal_accepted"),
        ),
    },
    "proposal_decline": {
        "get": POST_ONLY,
        "post": members({"owner"}, ok=(302, "/systems/proposals/")),
        "data": {"note": "Not this quarter."},
        "changes": by(
            {"owner"}, _status(ProposalStatus.DECLINED), audited("system.proposal_declined")
        ),
    },
    "proposal_withdraw": {
        "get": POST_ONLY,
        "post": members({"assessor"}, ok=(302, "/systems/proposals/")),
        "changes": by(
            {"assessor"}, _status(ProposalStatus.WITHDRAWN), audited("system.proposal_withdrawn")
        ),
    },
}
