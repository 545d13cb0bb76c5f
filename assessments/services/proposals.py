"""Assessors' proposals to the AI system inventory, and owners' decisions on them.

A proposal carries a whole record (not a difference), so accepting it overwrites the
system with what the proposer saw and meant, even if the system changed since: the owner
is shown the difference to the current record before accepting (selectors/systems.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments import audit
from assessments.models import AISystem, Organisation, ProposalStatus, SystemProposal
from assessments.services.systems import (
    acting_user,
    checked_record,
    create_system,
    update_system,
)

NOT_PENDING = "This proposal was already {status}: nothing changed."


@transaction.atomic
def propose_system_change(
    *,
    organisation: Organisation,
    record: Mapping[str, object],
    system: AISystem | None = None,
    note: str = "",
) -> SystemProposal:
    """A pending proposal: a new system (`system` None) or a new record for `system`."""
    if system is not None and system.organisation_id != organisation.pk:
        raise ValidationError("That AI system belongs to another organisation.")
    clean = checked_record(organisation=organisation, record=record, system=system)
    if system is not None and clean == system.as_record():
        raise ValidationError("The proposal is the same as the current record: change something.")
    proposal = SystemProposal.objects.create(
        organisation=organisation,
        system=system,
        data=clean,
        note=note.strip(),
        proposed_by=acting_user(),
    )
    what = f"a change to {system.name}" if system else f"a new AI system {clean['name']}"
    audit.record(
        "system.proposed",
        organisation=organisation,
        target=proposal,
        summary=f"Proposed {what}",
        data={"system": str(system.pk) if system else None},
    )
    return proposal


def _lock_pending(proposal: SystemProposal) -> SystemProposal:
    # Only the proposal's row: a proposal of a new system has no system, and PostgreSQL
    # refuses to lock the empty side of the outer join that reads it.
    locked = (
        SystemProposal.objects.select_for_update(of=("self",))
        .select_related("organisation", "system")
        .get(pk=proposal.pk)
    )
    if not locked.is_pending:
        raise ValidationError(NOT_PENDING.format(status=locked.get_status_display().lower()))
    return locked


def _decide(proposal: SystemProposal, status: str, note: str = "") -> None:
    proposal.status = status
    proposal.decided_by = acting_user()
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save()


@transaction.atomic
def accept_proposal(*, proposal: SystemProposal) -> AISystem:
    """Apply the proposal's record (creating the system when it proposes a new one)."""
    proposal = _lock_pending(proposal)
    if proposal.system is None:
        system = create_system(
            organisation=proposal.organisation, record=proposal.data, proposal=proposal
        )
        proposal.system = system
    else:
        system = proposal.system
        update_system(system=system, record=proposal.data, proposal=proposal)
        system.refresh_from_db()
    _decide(proposal, ProposalStatus.ACCEPTED)
    audit.record(
        "system.proposal_accepted",
        organisation=proposal.organisation,
        target=proposal,
        summary=f"Accepted the proposal for {system.name}",
        data={"system": str(system.pk)},
    )
    return system


@transaction.atomic
def decline_proposal(*, proposal: SystemProposal, note: str) -> SystemProposal:
    """Close the proposal unapplied; the proposer reads the owner's reason."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say why the proposal is declined."})
    proposal = _lock_pending(proposal)
    _decide(proposal, ProposalStatus.DECLINED, note)
    audit.record(
        "system.proposal_declined",
        organisation=proposal.organisation,
        target=proposal,
        summary=f"Declined the proposal for {proposal.data.get('name', '')}",
        data={"note": note},
    )
    return proposal


@transaction.atomic
def withdraw_proposal(*, proposal: SystemProposal) -> SystemProposal:
    """The proposer takes back their own pending proposal."""
    proposal = _lock_pending(proposal)
    user = acting_user()
    if user is None or proposal.proposed_by_id != user.pk:
        raise PermissionDenied("Only the person who made a proposal may withdraw it.")
    _decide(proposal, ProposalStatus.WITHDRAWN)
    audit.record(
        "system.proposal_withdrawn",
        organisation=proposal.organisation,
        target=proposal,
        summary=f"Withdrew the proposal for {proposal.data.get('name', '')}",
    )
    return proposal
