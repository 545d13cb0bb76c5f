"""Reopening a finalised assessment as its next revision.

The finalised revision stays untouched (the models refuse writes to it); the new one is
a draft that starts from its answers, evidence and domain assignments.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction

from assessments import audit
from assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    DomainAssignment,
    Evidence,
    Membership,
    Role,
)
from assessments.services.carry import copy_evidence
from assessments.services.guards import (
    WorkflowError,
    lock_assessment,
    require_role,
    require_status,
)

# Copied as they are: scope and description of the AI system.
ASSESSMENT_FIELDS = (
    "organisation_id",
    "framework_id",
    "system_id",
    # A revision continues its assessment, methodology included, so the two compare alike.
    "methodology",
    "title",
    "purpose",
    "system_owner",
    "deployment_stage",
    "personas",
    "scoping",
)
# The content, and the bookkeeping a reopened revision keeps as it was.
ANSWER_FIELDS = ("question_id", *Answer.CONTENT_FIELDS, "carried_over", "updated_by_id")


def _copy(*, source: Assessment, user, written: list[str]) -> Assessment:
    new = Assessment.objects.create(
        **{field: getattr(source, field) for field in ASSESSMENT_FIELDS},
        status=AssessmentStatus.DRAFT,
        revision=source.revision + 1,
        previous=source,
        created_by=user,
    )
    Answer.objects.bulk_create(
        Answer(assessment=new, **{field: getattr(answer, field) for field in ANSWER_FIELDS})
        for answer in Answer.objects.filter(assessment=source)
    )
    Evidence.objects.bulk_create(
        copy_evidence(evidence, new, evidence.question_id, written, mark=False)
        for evidence in Evidence.objects.filter(assessment=source)
    )
    DomainAssignment.objects.bulk_create(
        DomainAssignment(assessment=new, domain_id=row.domain_id, assignee_id=row.assignee_id)
        for row in DomainAssignment.objects.filter(assessment=source)
    )
    # An auditor named on the finalised revision keeps auditing the same AI system.
    through = Membership.limited_to.through
    named = through.objects.filter(
        assessment_id=source.pk, membership__role=Role.AUDITOR
    ).values_list("membership_id", flat=True)
    through.objects.bulk_create(
        through(membership_id=membership_id, assessment_id=new.pk) for membership_id in named
    )
    return new


@transaction.atomic
def start_revision(*, assessment: Assessment, user):
    source = lock_assessment(assessment)
    require_role(user=user, assessment=source, actions=("reopen",), doing="reopen")
    require_status(source, (AssessmentStatus.FINALISED,), "reopen it")
    successor = Assessment.objects.filter(previous=source).first()
    if successor is not None:
        raise WorkflowError(
            f"Revision {successor.revision} already continues this one; work there instead.",
            code="status",
        )
    written: list[str] = []
    try:
        new = _copy(source=source, user=user, written=written)
        audit.record(
            "assessment.reopened",
            actor=user,
            organisation=source.organisation,
            target=new,
            summary=f"Reopened {source} as revision {new.revision}",
            data={"previous": str(source.pk), "revision": new.revision},
        )
    except BaseException:
        # The rows roll back with the transaction; the copied files must go too.
        for name in written:
            default_storage.delete(name)
        raise
    return new
