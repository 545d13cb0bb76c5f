"""Starting assessments: from scratch, from a previous assessment, and scoping by persona."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from assessments import audit
from assessments.models import (
    AISystem,
    Answer,
    Assessment,
    AssessmentStatus,
    DeploymentStage,
    Evidence,
    Organisation,
)
from assessments.services.carry import (
    carry_answer,
    copy_evidence,
    question_shapes,
    start_history,
)
from assessments.services.guards import lock_assessment, require_editable, require_not_frozen
from assessments.services.systems import system_named
from scorecard.models import Framework, FrameworkStatus, Persona

DESCRIPTION_FIELDS = ("title", "purpose", "system_owner", "deployment_stage")
START_FROM_UNTIL = "start from it once it is returned or finalised."


@dataclass(frozen=True)
class Description:
    title: str
    purpose: str = ""
    system_owner: str = ""
    deployment_stage: str = DeploymentStage.DEVELOPMENT


def _require_published(framework: Framework) -> None:
    if framework.status != FrameworkStatus.PUBLISHED:
        raise ValidationError(f"{framework} is not published; choose a published version.")


@transaction.atomic
def start_assessment(
    *,
    organisation: Organisation,
    user,
    framework: Framework,
    description: Description,
    system: AISystem | None = None,
) -> Assessment:
    _require_published(framework)
    if system is None:
        system = system_named(organisation=organisation, name=description.title, user=user)
    elif system.organisation_id != organisation.pk:
        raise ValidationError("That AI system belongs to another organisation.")
    # The personas the organisation holds for the system are the first proposal of the
    # scope, kept to those the catalog has and in its order; the team confirms or changes it.
    held = set(system.personas or ())
    assessment = Assessment.objects.create(
        organisation=organisation,
        framework=framework,
        system=system,
        created_by=user,
        personas=[ref for ref in _persona_order(framework) if ref in held] if held else [],
        **{name: getattr(description, name) for name in DESCRIPTION_FIELDS},
    )
    audit.record(
        "assessment.created",
        actor=user,
        organisation=organisation,
        target=assessment,
        summary=f"Started {assessment.title} against {framework}",
        data={"framework": framework.slug, "version": framework.version},
    )
    return assessment


def propose_personas(scoping: dict[str, list[bool | None]]) -> list[str]:
    """A persona is proposed when any of its identification questions was answered yes."""
    return [ref for ref, answers in scoping.items() if any(answer is True for answer in answers)]


@transaction.atomic
def update_scope(
    *,
    assessment: Assessment,
    user,
    description: Description,
    scoping: dict[str, list[bool | None]],
    personas: list[str],
) -> Assessment:
    assessment = lock_assessment(assessment)
    require_editable(assessment)
    known = set(_persona_order(assessment.framework))
    unknown = sorted(set(personas) - known)
    if unknown:
        raise ValidationError(f"Unknown persona(s) for this framework: {', '.join(unknown)}.")
    before = {"personas": list(assessment.personas or [])}
    for name in DESCRIPTION_FIELDS:
        setattr(assessment, name, getattr(description, name))
    assessment.scoping = {ref: list(answers) for ref, answers in scoping.items() if ref in known}
    # Stored in catalog order, so equal scopes compare equal.
    assessment.personas = [ref for ref in _persona_order(assessment.framework) if ref in personas]
    assessment.save()
    audit.record(
        "assessment.scoped",
        actor=user,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Updated the scope of {assessment.title}",
        data={"before": before, "personas": assessment.personas},
    )
    return assessment


def _persona_order(framework: Framework) -> list[str]:
    return list(
        Persona.objects.filter(framework=framework)
        .order_by("position", "pk")
        .values_list("ref", flat=True)
    )


@dataclass(frozen=True)
class CarryOver:
    assessment: Assessment
    answers: int
    evidence: int
    dropped: list[str]  # question refs whose answers could not be carried over
    reasons: dict[str, str] = field(default_factory=dict)  # ref -> why it was dropped


@transaction.atomic
def start_from_previous(
    *,
    previous: Assessment,
    user,
    framework: Framework,
    title: str,
) -> CarryOver:
    """A new draft for the same AI system that starts from `previous`.

    Answers and evidence follow the carry-over policy (services/carry.py): an answer whose
    question keeps its meaning in `framework` is carried over, to be confirmed by saving it
    again; any other answer is dropped whole, with its evidence, and reported. Evidence files
    are copied, so each assessment owns its bytes.
    """
    # An answer set with its reviewers is not settled yet: copying it would start the new
    # assessment from answers the review may still change.
    require_not_frozen(lock_assessment(previous), until=START_FROM_UNTIL)
    _require_published(framework)
    if framework.slug != previous.framework.slug:
        raise ValidationError("Choose a version of the framework the previous assessment used.")
    target = _new_draft(previous, user, framework, title)
    old_shapes = {s.pk: s for s in question_shapes(previous.framework).values()}
    new_shapes = question_shapes(framework)
    answers, reasons = _carry_answers(previous, target, user, old_shapes, new_shapes)
    written: list[str] = []
    try:
        evidence = [
            copy_evidence(item, target, new_shapes[ref].pk, written)
            for item in Evidence.objects.filter(assessment=previous)
            if (ref := old_shapes[item.question_id].ref) in new_shapes and ref not in reasons
        ]
        Evidence.objects.bulk_create(evidence)
        audit.record(
            "assessment.created",
            actor=user,
            organisation=target.organisation,
            target=target,
            summary=f"Started {target.title} from {previous}",
            data={
                "previous": str(previous.pk),
                "framework": framework.slug,
                "version": framework.version,
                "answers_carried": len(answers),
                "answers_dropped": sorted(reasons),
                "evidence_carried": len(evidence),
            },
        )
    except BaseException:
        # The rows roll back with the transaction; the copied files have to go too.
        for name in written:
            default_storage.delete(name)
        raise
    return CarryOver(target, len(answers), len(evidence), sorted(reasons), reasons)


def _new_draft(previous: Assessment, user, framework: Framework, title: str) -> Assessment:
    known = _persona_order(framework)
    # Starting from an assessment of the same system keeps the system; a new name is a
    # new (or another existing) system of the inventory.
    if title.strip() == previous.title.strip():
        system = previous.system
    else:
        system = system_named(organisation=previous.organisation, name=title, user=user)
    return Assessment.objects.create(
        organisation=previous.organisation,
        framework=framework,
        system=system,
        title=title,
        purpose=previous.purpose,
        system_owner=previous.system_owner,
        deployment_stage=previous.deployment_stage,
        personas=[ref for ref in known if ref in (previous.personas or [])],
        scoping={k: v for k, v in (previous.scoping or {}).items() if k in known},
        status=AssessmentStatus.DRAFT,
        # Deliberately not `previous`: that field chains the revisions made by reopening a
        # finalised assessment. Where this one started is kept in the audit event.
        created_by=user,
    )


def _carry_answers(previous, target, user, old_shapes, new_shapes):
    """Write the carried answers and their first history entry; return them and the
    reasons (by ref) of the dropped ones."""
    answers: list[Answer] = []
    reasons: dict[str, str] = {}
    for old in Answer.objects.filter(assessment=previous):
        shape = old_shapes[old.question_id]
        new = new_shapes.get(shape.ref)
        if new is None:
            reasons[shape.ref] = "the question is no longer in the catalog"
            continue
        content, reason = carry_answer(old, shape, new)
        if content is None:
            reasons[shape.ref] = reason
            continue
        answers.append(
            Answer(
                assessment=target,
                question_id=new.pk,
                carried_over=True,
                updated_by=user,
                **content,
            )
        )
    Answer.objects.bulk_create(answers)
    start_history(assessment=target, answers=answers, user=user)
    return answers, reasons
