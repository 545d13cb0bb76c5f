"""Starting assessments: from scratch, from a previous assessment, and scoping by persona."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from assessments import audit
from assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentStatus,
    DeploymentStage,
    Evidence,
    EvidenceKind,
    Organisation,
)
from assessments.models.assessment import evidence_path
from assessments.services.answers import answer_value, framework_options
from scorecard.models import Framework, FrameworkStatus, Persona, Question

DESCRIPTION_FIELDS = ("title", "purpose", "system_owner", "deployment_stage")


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
) -> Assessment:
    _require_published(framework)
    assessment = Assessment.objects.create(
        organisation=organisation,
        framework=framework,
        created_by=user,
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
    assessment.assert_editable()
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


@transaction.atomic
def start_from_previous(
    *,
    previous: Assessment,
    user,
    framework: Framework,
    title: str,
) -> CarryOver:
    """A new draft for the same AI system that starts from `previous`.

    Answers (with their comments) and evidence are matched to `framework` by question id and
    marked carried over: the team confirms each by saving it again. An answer whose option
    label does not exist in `framework`, or whose N/A is no longer allowed, is dropped (and
    reported) rather than carried over wrongly. Evidence files are copied, so each
    assessment owns its bytes.
    """
    _require_published(framework)
    if framework.slug != previous.framework.slug:
        raise ValidationError("Choose a version of the framework the previous assessment used.")
    known = _persona_order(framework)
    target = Assessment.objects.create(
        organisation=previous.organisation,
        framework=framework,
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

    questions = {q.ref: q for q in Question.objects.filter(framework=framework)}
    options = framework_options(framework)
    answers: list[Answer] = []
    dropped: list[str] = []
    for old in Answer.objects.filter(assessment=previous).select_related("question"):
        question = questions.get(old.question.ref)
        carried = _carry_answer(old, question, options) if question else None
        if carried is None:
            dropped.append(old.question.ref)
            continue
        carried.assessment = target
        carried.updated_by = user
        answers.append(carried)
    Answer.objects.bulk_create(answers)
    AnswerChange.objects.bulk_create(
        AnswerChange(
            assessment=target, question=a.question, changed_by=user, old=None, new=a.as_record()
        )
        for a in answers
    )

    written: list[str] = []
    try:
        evidence = [
            _copy_evidence(item, target, questions[item.question.ref], written)
            for item in Evidence.objects.filter(assessment=previous).select_related("question")
            if item.question.ref in questions
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
                "answers_dropped": sorted(dropped),
                "evidence_carried": len(evidence),
            },
        )
    except BaseException:
        # The rows roll back with the transaction; the copied files have to go too.
        for name in written:
            default_storage.delete(name)
        raise
    return CarryOver(target, len(answers), len(evidence), sorted(dropped))


def _carry_answer(old: Answer, question: Question, options) -> Answer | None:
    if old.question.type != question.type or (old.na and not question.allow_na):
        return None
    value = None
    if old.option_label:
        try:
            value = answer_value(question, old.option_label, options)
        except ValidationError:
            return None
    return Answer(
        question=question,
        option_label=old.option_label,
        value=None if old.na else value,
        number=old.number,
        text=old.text,
        na=old.na,
        justification=old.justification,
        comment=old.comment,
        carried_over=True,
    )


def _copy_evidence(item: Evidence, target: Assessment, question, written: list[str]) -> Evidence:
    copy = Evidence(
        id=uuid.uuid4(),
        assessment=target,
        question=question,
        kind=item.kind,
        url=item.url,
        filename=item.filename,
        content_type=item.content_type,
        size=item.size,
        sha256=item.sha256,
        description=item.description,
        carried_over=True,
        uploaded_by_id=item.uploaded_by_id,
        uploaded_at=item.uploaded_at,
    )
    if item.kind == EvidenceKind.FILE and item.file:
        with item.file.open("rb") as handle:
            name = default_storage.save(evidence_path(copy, item.filename), File(handle))
        written.append(name)
        copy.file = name
    return copy
