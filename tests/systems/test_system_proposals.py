"""Assessors propose new systems and changes; owners accept or decline; proposers withdraw."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import AISystem, AuditEvent, ProposalStatus, SystemChange, SystemProposal
from tests.systems.helpers import form_data, inventory_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def system(organisation, owner):
    inventory_framework()
    return AISystem.objects.create(
        organisation=organisation, name="Fraud scorer", owner=owner, autonomy_level=1
    )


def propose(client, user, system=None, **fields):
    client.force_login(user)
    url = reverse("system_propose", args=[system.pk]) if system else reverse("system_propose_new")
    return client.post(url, form_data(**fields))


def test_an_assessor_proposes_a_change_and_nothing_changes_yet(client, assessor, system):
    response = propose(
        client, assessor, system, name="Fraud scorer", autonomy_level="4", note="Agents now"
    )
    proposal = SystemProposal.objects.get()
    assert response["Location"] == reverse("proposal_detail", args=[proposal.pk])
    assert proposal.status == ProposalStatus.PENDING and proposal.proposed_by == assessor
    assert proposal.data["autonomy_level"] == 4 and proposal.note == "Agents now"
    assert AISystem.objects.get(pk=system.pk).autonomy_level == 1
    assert not SystemChange.objects.exists()
    assert AuditEvent.objects.get(action="system.proposed").actor == assessor


def test_the_owner_accepts_and_the_change_names_the_proposal(client, owner, assessor, system):
    propose(client, assessor, system, name="Fraud scorer", autonomy_level="4")
    proposal = SystemProposal.objects.get()
    client.force_login(owner)
    response = client.post(reverse("proposal_accept", args=[proposal.pk]))
    assert response["Location"] == reverse("system_detail", args=[system.pk])
    system.refresh_from_db()
    proposal.refresh_from_db()
    # The proposal's owner field was empty: accepting applies the whole record.
    assert system.autonomy_level == 4 and system.owner is None
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.decided_by == owner and proposal.decided_at is not None
    change = SystemChange.objects.get()
    assert change.proposal == proposal and change.changed_by == owner
    assert {"system.updated", "system.proposal_accepted"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    history = client.get(reverse("system_history", args=[system.pk])).content.decode()
    assert "the proposal of assessor@acme.example" in history


def test_a_proposed_new_system_is_created_on_acceptance(client, owner, assessor, system):
    propose(client, assessor, name="Claims router", impact_types=["privacy"])
    proposal = SystemProposal.objects.get()
    assert proposal.system is None
    client.force_login(owner)
    listed = client.get(reverse("system_list")).content.decode()
    assert "Proposed new systems" in listed and "Claims router" in listed
    client.post(reverse("proposal_accept", args=[proposal.pk]))
    created = AISystem.objects.get(name="Claims router")
    assert created.impact_types == ["privacy"]
    proposal.refresh_from_db()
    assert proposal.system == created
    change = SystemChange.objects.get(system=created)
    assert change.old is None and change.proposal == proposal


def test_a_system_changed_since_is_shown_as_a_diff_and_still_accepted(
    client, owner, assessor, system
):
    propose(client, assessor, system, name="Fraud scorer", autonomy_level="2")
    proposal = SystemProposal.objects.get()
    client.force_login(owner)
    client.post(
        reverse("system_edit", args=[system.pk]),
        form_data(name="Fraud scorer renamed", owner=str(owner.pk), autonomy_level="3"),
    )
    html = client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "The system changed after this proposal was made." in html
    assert (
        '<th scope="row">Name <span class="badge text-bg-warning">changes</span></th>'
        "<td>Fraud scorer renamed</td><td>Fraud scorer</td>"
    ) in html
    assert "<td>L3 Acts within limits</td><td>L2 Acts on approval</td>" in html
    client.post(reverse("proposal_accept", args=[proposal.pk]))
    system.refresh_from_db()
    assert (system.name, system.autonomy_level, system.owner) == ("Fraud scorer", 2, None)


def test_declining_needs_a_note_and_keeps_the_system(client, owner, assessor, system):
    propose(client, assessor, system, name="Fraud scorer", autonomy_level="5")
    proposal = SystemProposal.objects.get()
    client.force_login(owner)
    response = client.post(reverse("proposal_decline", args=[proposal.pk]), {"note": " "})
    assert response.status_code == 400
    assert "Say why the proposal is declined." in response.content.decode()
    assert SystemProposal.objects.get().is_pending
    client.post(reverse("proposal_decline", args=[proposal.pk]), {"note": "L5 is not allowed here"})
    proposal.refresh_from_db()
    assert (
        proposal.status == ProposalStatus.DECLINED
        and proposal.decision_note == "L5 is not allowed here"
    )
    assert proposal.decided_by == owner
    assert AISystem.objects.get(pk=system.pk).autonomy_level == 1
    assert AuditEvent.objects.get(action="system.proposal_declined").data == {
        "note": "L5 is not allowed here"
    }


def test_only_the_proposer_withdraws(client, owner, assessor, organisation, system):
    from tests.factories import make_member

    other = make_member(organisation, "assessor", "other-assessor@acme.example")
    propose(client, assessor, system, name="Fraud scorer", autonomy_level="0")
    proposal = SystemProposal.objects.get()
    for user in (owner, other):
        client.force_login(user)
        assert client.post(reverse("proposal_withdraw", args=[proposal.pk])).status_code == 403
    assert SystemProposal.objects.get().is_pending
    client.force_login(assessor)
    client.post(reverse("proposal_withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert AuditEvent.objects.get(action="system.proposal_withdrawn").actor == assessor


def test_a_decided_proposal_cannot_be_decided_again(client, owner, assessor, system):
    propose(client, assessor, system, name="Fraud scorer", autonomy_level="0")
    proposal = SystemProposal.objects.get()
    client.force_login(owner)
    client.post(reverse("proposal_decline", args=[proposal.pk]), {"note": "No"})
    before = (AuditEvent.objects.count(), SystemChange.objects.count())
    response = client.post(reverse("proposal_accept", args=[proposal.pk]), follow=True)
    assert "This proposal was already declined: nothing changed." in response.content.decode()
    assert (AuditEvent.objects.count(), SystemChange.objects.count()) == before
    assert AISystem.objects.get(pk=system.pk).autonomy_level == 1


def test_a_new_system_proposal_whose_name_was_taken_since_is_refused(
    client, owner, assessor, system
):
    propose(client, assessor, name="Claims router")
    proposal = SystemProposal.objects.get()
    AISystem.objects.create(organisation=system.organisation, name="Claims router")
    client.force_login(owner)
    response = client.post(reverse("proposal_accept", args=[proposal.pk]), follow=True)
    assert "already has an AI system named" in response.content.decode()
    assert SystemProposal.objects.get().is_pending
    assert AISystem.objects.filter(name="Claims router").count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"name": "Fraud scorer", "autonomy_level": "1"},
            "The proposal is the same as the current",
        ),
        ({"name": "Fraud scorer", "components": ["nope"]}, "nope is not a term of any published"),
    ],
)
def test_a_proposal_that_changes_nothing_or_names_unknown_terms_is_refused(
    client, owner, assessor, system, fields, message
):
    # The stored owner is kept in the form, so the first case really changes nothing.
    response = propose(client, assessor, system, owner=str(owner.pk), **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SystemProposal.objects.exists()
    assert not AuditEvent.objects.filter(action="system.proposed").exists()


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("auditor", 403), ("assessor", 200), ("owner", 200)]
)
def test_viewers_and_auditors_only_read_proposals(
    client, organisation, assessor, system, role, status
):
    from tests.factories import make_member

    propose(client, assessor, system, name="Fraud scorer", autonomy_level="0")
    proposal = SystemProposal.objects.get()
    user = make_member(organisation, role, f"{role}-p@acme.example")
    client.force_login(user)
    assert client.get(reverse("proposal_detail", args=[proposal.pk])).status_code == 200
    assert client.get(reverse("system_propose", args=[system.pk])).status_code == status
    accept = client.post(reverse("proposal_accept", args=[proposal.pk]))
    assert accept.status_code == (302 if role == "owner" else 403)


def test_a_proposal_of_another_organisation_is_not_found(client, outsider, assessor, system):
    propose(client, assessor, system, name="Fraud scorer", autonomy_level="0")
    proposal = SystemProposal.objects.get()
    client.force_login(outsider)
    for name in ("proposal_detail",):
        assert client.get(reverse(name, args=[proposal.pk])).status_code == 404
    for name in ("proposal_accept", "proposal_decline", "proposal_withdraw"):
        assert client.post(reverse(name, args=[proposal.pk])).status_code == 404
    assert SystemProposal.objects.get().is_pending
