"""Who answers which top-level domain of an assessment, and how far they have got."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db import transaction

from assessments import audit
from assessments.models import Answer, Assessment, DomainAssignment, Membership, Role
from assessments.services.workflow import WorkflowError, lock_assessment, require_role
from scorecard import scoring
from scorecard.loader import load_catalog
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


def domain_progress(
    pairs: Iterable[tuple[Assessment, Domain]],
) -> dict[tuple[object, int], scoring.Progress]:
    """Progress under each (assessment, top-level domain) pair, as the questionnaire shows it.

    The engine decides what counts (scored questions of the controls that apply to the
    assessment's personas; an option or N/A is an answer), so "My work" and the
    questionnaire always agree. One query for the answers, plus the catalogs (cached).
    """
    pairs = list(pairs)
    if not pairs:
        return {}
    answers: dict[object, list[scoring.Answer]] = defaultdict(list)
    for assessment_id, ref, value, na in Answer.objects.filter(
        assessment_id__in={a.pk for a, _ in pairs}
    ).values_list("assessment_id", "question__ref", "value", "na"):
        answers[assessment_id].append(scoring.stored_answer(ref, value, na))
    per_assessment: dict[object, dict[str, scoring.Progress]] = {}
    result = {}
    for assessment, domain in pairs:
        if assessment.pk not in per_assessment:
            _, per_assessment[assessment.pk] = scoring.progress(
                load_catalog(assessment.framework),
                assessment.personas or (),
                scoring.answered_ids(answers[assessment.pk]),
            )
        result[(assessment.pk, domain.pk)] = per_assessment[assessment.pk].get(
            domain.ref, scoring.Progress(0, 0)
        )
    return result
