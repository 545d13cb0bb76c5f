"""Who answers which top-level domain of an assessment, and how far they have got."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from assessments import audit
from assessments.models import Assessment, DomainAssignment, Membership, Role
from assessments.services.guards import (
    WorkflowError,
    lock_assessment,
    require_editable,
    require_role,
)
from scorecard.models import Domain

# Members who can be handed a domain to answer.
ASSIGNABLE_ROLES = (Role.OWNER, Role.ASSESSOR)


def assignable_members(assessment: Assessment) -> list[Membership]:
    return list(
        Membership.objects.filter(
            organisation_id=assessment.organisation_id, role__in=ASSIGNABLE_ROLES
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def top_level_domains(framework) -> list[Domain]:
    return list(Domain.objects.filter(framework=framework, parent__isnull=True))


@transaction.atomic
def assign_domains(
    *,
    assessment: Assessment,
    user,
    assignments: Mapping[Domain, object | None],
) -> list[DomainAssignment]:
    """Set who answers each top-level domain (None: nobody). Domains not given are kept."""
    assessment = lock_assessment(assessment)
    require_role(user=user, assessment=assessment, actions=("assign",), doing="assign domains")
    if assessment.is_finalised:
        raise WorkflowError("A finalised assessment cannot be reassigned.", code="status")
    require_editable(assessment)
    allowed = {m.user_id: m.user for m in assignable_members(assessment)}
    for domain, assignee in assignments.items():
        if domain.framework_id != assessment.framework_id or domain.parent_id is not None:
            raise WorkflowError(f"{domain.display_ref} is not a top-level domain of this catalog.")
        if assignee is not None and assignee.pk not in allowed:
            raise WorkflowError(f"{assignee} is not an owner or assessor of this organisation.")
    current = {
        row.domain_id: row
        for row in DomainAssignment.objects.filter(
            assessment=assessment, domain_id__in=[d.pk for d in assignments]
        )
    }
    changed: dict[str, str | None] = {}
    for domain, assignee in assignments.items():
        row = current.get(domain.pk)
        if assignee is None:
            if row is not None:
                row.delete()
                changed[domain.ref] = None
        elif row is None:
            DomainAssignment.objects.create(assessment=assessment, domain=domain, assignee=assignee)
            changed[domain.ref] = assignee.email
        elif row.assignee_id != assignee.pk:
            row.assignee = assignee
            row.save(update_fields=["assignee"])
            changed[domain.ref] = assignee.email
    if changed:
        audit.record(
            "assessment.assigned",
            actor=user,
            organisation=assessment.organisation,
            target=assessment,
            summary=f"Assigned {len(changed)} domain{'s' if len(changed) != 1 else ''}",
            data={"assignments": changed},
        )
    return list(
        DomainAssignment.objects.filter(assessment=assessment).select_related("domain", "assignee")
    )
