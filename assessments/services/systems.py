"""Writing the AI system inventory: creating and editing systems, each change recorded.

Every write here keeps the system's history: a `SystemChange` holding the record before
and after (`AISystem.as_record()`), and an audit event. The actor is the audit context's
(assessments/audit.py). Proposals, which owners accept into these writes, are in
`services/proposals.py`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments import audit
from assessments.models import AISystem, Membership, Organisation, SystemChange, SystemProposal
from assessments.models.systems import RECORD_FIELDS, TERM_LIST_FIELDS
from scorecard.catalog import autonomy

UNNAMED = "Unnamed AI system"
NAME_MAX = AISystem._meta.get_field("name").max_length
DUPLICATE_NAME = "This organisation already has an AI system named {name!r}; choose another name."


def acting_user():
    """The authenticated user of the audit context, or None (a command, a task)."""
    actor = audit.current().actor
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def system_named(*, organisation: Organisation, name: str, user=None) -> AISystem:
    """The organisation's system of this name, created (and recorded) when there is none.

    Used where an assessment arrives with only a free-text system name: an imported
    document, or a caller that does not pick a system from the inventory.
    """
    name = name.strip() or UNNAMED
    system = AISystem.objects.filter(organisation=organisation, name=name).first()
    if system is not None:
        return system
    system = AISystem.objects.create(organisation=organisation, name=name, created_by=user)
    SystemChange.objects.create(system=system, changed_by=user, old=None, new=system.as_record())
    audit.record(
        "system.created",
        actor=user,
        organisation=organisation,
        target=system,
        summary=f"Added {system.name} to the AI system inventory",
    )
    return system


def checked_record(
    *, organisation: Organisation, record: Mapping[str, object], system: AISystem | None = None
) -> dict:
    """The record as stored, or a ValidationError keyed by form field (nothing written).

    The form has already held term ids to the vocabularies; this holds what the database
    alone can tell: the name is free in the organisation, the owner is a member.
    """
    missing = sorted(set(RECORD_FIELDS) - set(record))
    if missing:
        raise ValueError(f"record lacks {missing}")
    clean = {name: record[name] for name in RECORD_FIELDS}
    errors: dict[str, str] = {}
    clean["name"] = str(clean["name"] or "").strip()
    if not clean["name"]:
        errors["name"] = "Name the AI system."
    elif len(clean["name"]) > NAME_MAX:
        errors["name"] = f"A name is at most {NAME_MAX} characters."
    elif _name_taken(organisation, clean["name"], system):
        errors["name"] = DUPLICATE_NAME.format(name=clean["name"])
    owner = clean["owner_id"]
    clean["owner_id"] = str(owner) if owner not in (None, "") else None
    if clean["owner_id"] and not _is_member(organisation, clean["owner_id"]):
        errors["owner"] = "The owner must be a member of this organisation."
    level = clean["autonomy_level"]
    if level is not None and (not isinstance(level, int) or level not in autonomy.BY_NUMBER):
        errors["autonomy_level"] = "Choose a level from L0 to L5, or leave it not stated."
    for name in TERM_LIST_FIELDS:
        value = clean[name]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            errors[name] = "Expected a list of ids."
    if errors:
        raise ValidationError(errors)
    return clean


def _name_taken(organisation: Organisation, name: str, system: AISystem | None) -> bool:
    others = AISystem.objects.filter(organisation=organisation, name=name)
    if system is not None:
        others = others.exclude(pk=system.pk)
    return others.exists()


def _is_member(organisation: Organisation, user_id: str) -> bool:
    return (
        str(user_id).isdigit()
        and Membership.objects.filter(organisation=organisation, user_id=int(user_id)).exists()
    )


def _apply(system: AISystem, record: dict) -> None:
    for name in RECORD_FIELDS:
        value = record[name]
        setattr(system, name, int(value) if name == "owner_id" and value else value)


def _save_unique(system: AISystem, **kwargs) -> None:
    """Save, turning the unique-name constraint (a concurrent twin) into the form's error."""
    try:
        with transaction.atomic():
            system.save(**kwargs)
    except IntegrityError as exc:
        if "one_system_name_per_org" in str(exc) or "UNIQUE" in str(exc).upper():
            raise ValidationError({"name": DUPLICATE_NAME.format(name=system.name)}) from exc
        raise


@transaction.atomic
def create_system(
    *,
    organisation: Organisation,
    record: Mapping[str, object],
    proposal: SystemProposal | None = None,
) -> AISystem:
    """Add a system to the inventory; its first history entry has no "before"."""
    clean = checked_record(organisation=organisation, record=record)
    user = acting_user()
    system = AISystem(organisation=organisation, created_by=user)
    _apply(system, clean)
    _save_unique(system, force_insert=True)
    SystemChange.objects.create(
        system=system, changed_by=user, old=None, new=system.as_record(), proposal=proposal
    )
    audit.record(
        "system.created",
        organisation=organisation,
        target=system,
        summary=f"Added {system.name} to the AI system inventory",
        data={"proposal": proposal.pk} if proposal else None,
    )
    return system


@transaction.atomic
def update_system(
    *,
    system: AISystem,
    record: Mapping[str, object],
    proposal: SystemProposal | None = None,
) -> SystemChange | None:
    """Change a system's record; None (and nothing written) when nothing differs."""
    system = AISystem.objects.select_for_update().get(pk=system.pk)
    clean = checked_record(organisation=system.organisation, record=record, system=system)
    old = system.as_record()
    _apply(system, clean)
    new = system.as_record()
    if new == old:
        return None
    _save_unique(system)
    change = SystemChange.objects.create(
        system=system, changed_by=acting_user(), old=old, new=new, proposal=proposal
    )
    changed = [name for name in RECORD_FIELDS if old[name] != new[name]]
    audit.record(
        "system.updated",
        organisation=system.organisation,
        target=system,
        summary=f"Changed {', '.join(changed)} of {system.name}",
        data={"fields": changed, **({"proposal": proposal.pk} if proposal else {})},
    )
    return change
