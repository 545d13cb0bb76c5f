"""Who answers which top-level domain of an assessment, and how far they have got."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from assessments import audit
from assessments.models import Answer, Assessment, DomainAssignment, Membership, Role
from assessments.services.workflow import WorkflowError, lock_assessment, require_role
from scorecard.models import ControlPersona, Domain, Question

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
    allowed = {m.user_id: m.user for m in assignable_members(assessment)}
    for domain, assignee in assignments.items():
        if domain.framework_id != assessment.framework_id or domain.parent_id is not None:
            raise WorkflowError(f"{domain.ref} is not a top-level domain of this catalog.")
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


# --- progress --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


ANSWERED = Q(na=True) | Q(value__isnull=False) | Q(number__isnull=False) | ~Q(text="")


def domain_progress(
    pairs: Iterable[tuple[Assessment, Domain]],
) -> dict[tuple[object, int], Progress]:
    """Answered / in-scope questions under each (assessment, top-level domain) pair.

    A control tied to personas counts only for assessments scoped to one of them, as in
    the scoring engine. Four queries, however many pairs.
    """
    pairs = list(pairs)
    if not pairs:
        return {}
    frameworks = {assessment.framework_id for assessment, _ in pairs}
    parents = dict(
        Domain.objects.filter(framework_id__in=frameworks).values_list("pk", "parent_id")
    )

    def root(domain_id: int) -> int:
        while parents.get(domain_id) is not None:
            domain_id = parents[domain_id]
        return domain_id

    control_personas: dict[int, set[str]] = defaultdict(set)
    for control_id, ref in ControlPersona.objects.filter(framework_id__in=frameworks).values_list(
        "control_id", "persona__ref"
    ):
        control_personas[control_id].add(ref)
    questions: dict[int, list[tuple[int, int]]] = defaultdict(list)  # root -> (question, control)
    for pk, control_id, domain_id in Question.objects.filter(
        framework_id__in=frameworks
    ).values_list("pk", "control_id", "control__domain_id"):
        questions[root(domain_id)].append((pk, control_id))
    answered: set[tuple[object, int]] = set(
        Answer.objects.filter(assessment_id__in={a.pk for a, _ in pairs})
        .filter(ANSWERED)
        .values_list("assessment_id", "question_id")
    )
    result = {}
    for assessment, domain in pairs:
        selected = set(assessment.personas or ())
        in_scope = [
            pk
            for pk, control_id in questions.get(domain.pk, ())
            if not selected
            or not control_personas.get(control_id)
            or selected & control_personas[control_id]
        ]
        done = sum((assessment.pk, pk) in answered for pk in in_scope)
        result[(assessment.pk, domain.pk)] = Progress(done, len(in_scope))
    return result
