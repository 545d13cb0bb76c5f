"""Writing the AI system inventory."""

from __future__ import annotations

from django.db import transaction

from assessments import audit
from assessments.models import AISystem, Organisation, SystemChange

UNNAMED = "Unnamed AI system"


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
