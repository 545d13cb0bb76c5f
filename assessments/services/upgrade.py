"""Moving an assessment to another published version of its framework.

Questions are matched by their id (ref), and answers follow the one carry-over policy of
services/carry.py. `plan_upgrade` only reads: it says which questions are new, which
disappear (with the answers that go with them), which changed wording or options (their
answers are kept but flagged for re-confirmation) and which answers are dropped because they
no longer mean the same (another answer type, an option no longer offered, N/A no longer
allowed). `apply_upgrade` recomputes that plan on the locked row and carries it out; answers,
history, evidence and review comments of surviving questions are re-pointed at the new
version's rows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from assessments import audit
from assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    DomainAssignment,
    Evidence,
    ReviewComment,
)
from assessments.services.carry import (
    QuestionShape,
    carry_answer,
    question_changes,
    question_shapes,
    sentence,
)
from assessments.services.guards import (
    WorkflowError,
    lock_assessment,
    require_editable,
    require_role,
)
from scorecard import scoring
from scorecard.models import Domain, Framework, FrameworkStatus, Persona


class UpgradeError(WorkflowError):
    pass


@dataclass(frozen=True)
class QuestionNote:
    ref: str
    text: str
    control: str
    answer: str = ""  # the current answer, shown as the team would read it
    changes: tuple[str, ...] = ()  # what changed: "wording", "answer options", ...
    old_text: str = ""
    evidence: int = 0
    comments: int = 0


@dataclass(frozen=True)
class DroppedValue:
    ref: str
    text: str
    answer: str
    reason: str


@dataclass
class UpgradePlan:
    assessment: Assessment
    source: Framework
    target: Framework
    new_questions: list[QuestionNote] = field(default_factory=list)
    removed: list[QuestionNote] = field(default_factory=list)
    to_confirm: list[QuestionNote] = field(default_factory=list)
    dropped_values: list[DroppedValue] = field(default_factory=list)
    kept: int = 0  # answers that move across untouched
    dropped_personas: list[str] = field(default_factory=list)
    dropped_assignments: list[str] = field(default_factory=list)
    # What apply_upgrade needs; not shown.
    question_map: dict[int, int] = field(default_factory=dict)
    answer_updates: dict[int, dict] = field(default_factory=dict)
    removed_answer_ids: list[int] = field(default_factory=list)
    dropped_answer_ids: list[int] = field(default_factory=list)
    dropped_question_ids: list[int] = field(default_factory=list)  # old version's pks
    answer_versions: dict[int, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.new_questions or self.removed or self.to_confirm or self.dropped_values)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the plan would do something different, e.g. after a new answer."""
        state = {
            "assessment": str(self.assessment.pk),
            "source": self.source.pk,
            "target": self.target.pk,
            "versions": sorted(self.answer_versions.items()),
            "removed": sorted(self.removed_answer_ids),
            "dropped": sorted(self.dropped_answer_ids),
            "updates": sorted((pk, sorted(v.items())) for pk, v in self.answer_updates.items()),
        }
        return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


# --- catalog side ----------------------------------------------------------------------------


def check_target(assessment: Assessment, target: Framework) -> None:
    if assessment.is_finalised:
        raise UpgradeError(
            "A finalised assessment cannot change catalog version; reopen it first.",
            code="status",
        )
    source = assessment.framework
    if target.pk == source.pk:
        raise UpgradeError(f"This assessment already uses {source}.")
    if target.slug != source.slug:
        raise UpgradeError(f"{target} is a different framework from {source}.")
    if target.status != FrameworkStatus.PUBLISHED:
        raise UpgradeError(f"{target} is {target.get_status_display().lower()}, not published.")


def _counts(model, assessment: Assessment) -> dict[int, int]:
    rows = (
        model.objects.filter(assessment=assessment)
        .values("question_id")
        .annotate(n=Count("pk"))
        .values_list("question_id", "n")
    )
    return dict(rows)


# --- the plan --------------------------------------------------------------------------------


def plan_upgrade(*, assessment: Assessment, target: Framework) -> UpgradePlan:
    """What moving `assessment` to `target` would do. Reads only; raises UpgradeError."""
    check_target(assessment, target)
    source = assessment.framework
    old, new = question_shapes(source), question_shapes(target)
    plan = UpgradePlan(assessment=assessment, source=source, target=target)
    answers = {a.question_id: a for a in Answer.objects.filter(assessment=assessment)}
    plan.answer_versions = {a.pk: a.version for a in answers.values()}
    plan.new_questions = [
        QuestionNote(ref, q.text, q.control) for ref, q in new.items() if ref not in old
    ]
    _plan_removed(plan, old, new, answers)
    for ref, question in old.items():
        if ref in new:
            _plan_surviving(plan, question, new[ref], answers.get(question.pk))
    _plan_scope(plan, assessment, target)
    return plan


def _plan_removed(plan: UpgradePlan, old: dict, new: dict, answers: dict[int, Answer]) -> None:
    evidence, comments = _counts(Evidence, plan.assessment), _counts(ReviewComment, plan.assessment)
    for ref, question in old.items():
        if ref in new:
            continue
        answer = answers.get(question.pk)
        plan.removed.append(
            QuestionNote(
                ref,
                question.text,
                question.control,
                answer=answer.display_value() if answer else "",
                evidence=evidence.get(question.pk, 0),
                comments=comments.get(question.pk, 0),
            )
        )
        if answer is not None:
            plan.removed_answer_ids.append(answer.pk)


def _plan_surviving(
    plan: UpgradePlan, question: QuestionShape, successor: QuestionShape, answer: Answer | None
) -> None:
    """A question in both versions: flag what changed; carry or drop its answer (the policy)."""
    plan.question_map[question.pk] = successor.pk
    shown = answer.display_value() if answer else ""
    changes = question_changes(question, successor)
    if changes:
        plan.to_confirm.append(
            QuestionNote(
                successor.ref,
                successor.text,
                successor.control,
                answer=shown,
                changes=changes,
                old_text=question.text,
            )
        )
    if answer is None:
        return
    content, reason = carry_answer(answer, question, successor)
    if content is None:
        plan.dropped_values.append(
            DroppedValue(successor.ref, successor.text, shown, sentence(reason))
        )
        plan.dropped_answer_ids.append(answer.pk)
        plan.dropped_question_ids.append(question.pk)
        return
    content["carried_over"] = answer.carried_over or bool(changes)
    content["question_id"] = successor.pk
    plan.answer_updates[answer.pk] = content
    if not changes:
        plan.kept += 1


def _plan_scope(plan: UpgradePlan, assessment: Assessment, target: Framework) -> None:
    """Personas and domain assignments the target version no longer has."""
    personas = set(Persona.objects.filter(framework=target).values_list("ref", flat=True))
    plan.dropped_personas = [ref for ref in assessment.personas if ref not in personas]
    top = set(
        Domain.objects.filter(framework=target, parent__isnull=True).values_list("ref", flat=True)
    )
    plan.dropped_assignments = [
        row.domain.ref
        for row in DomainAssignment.objects.filter(assessment=assessment).select_related("domain")
        if row.domain.ref not in top
    ]


# --- carrying it out -------------------------------------------------------------------------


def _delete_files_later(names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            # Another revision's evidence may (in older data) share the stored file.
            if not Evidence.objects.filter(file=name).exists():
                default_storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _repoint(model, assessment: Assessment, question_map: dict[int, int]) -> None:
    rows = list(model.objects.filter(assessment=assessment, question_id__in=question_map))
    for row in rows:
        row.question_id = question_map[row.question_id]
    model.objects.bulk_update(rows, ["question"], batch_size=500)


@transaction.atomic
def apply_upgrade(
    *,
    assessment: Assessment,
    target: Framework,
    user,
    fingerprint: str | None = None,
) -> Assessment:
    """Move the assessment to `target` as `plan_upgrade` describes.

    With `fingerprint` (from the plan the user saw), refuses if the plan has changed since.
    """
    assessment = lock_assessment(assessment)
    require_role(user=user, assessment=assessment, actions=("upgrade",), doing="upgrade")
    if not assessment.is_finalised:  # plan_upgrade explains that case in its own words
        require_editable(assessment)
    plan = plan_upgrade(assessment=assessment, target=target)
    if fingerprint is not None and fingerprint != plan.fingerprint:
        raise UpgradeError(
            "Answers changed while you were reading the plan; check the updated plan.",
            code="stale",
        )
    now = timezone.now()
    _move_answers(plan, user, now)
    _drop_evidence(plan)
    # Old history keeps pointing at the old version's question when that question is gone.
    _repoint(AnswerChange, assessment, plan.question_map)
    _repoint(Evidence, assessment, plan.question_map)
    _repoint(ReviewComment, assessment, plan.question_map)
    _move_assignments(assessment, target)
    assessment.framework = target
    assessment.personas = [ref for ref in assessment.personas if ref not in plan.dropped_personas]
    assessment.scoping = {
        ref: value
        for ref, value in (assessment.scoping or {}).items()
        if ref not in plan.dropped_personas
    }
    # A draft moved to a newer catalog is scored by the current methodology from then on.
    assessment.methodology = scoring.METHODOLOGY_VERSION
    assessment.save(update_fields=["framework", "methodology", "personas", "scoping", "updated_at"])
    audit.record(
        "assessment.upgraded",
        actor=user,
        organisation=assessment.organisation,
        target=assessment,
        summary=f"Moved {assessment.title} from {plan.source} to {target}",
        data={
            "from": plan.source.version,
            "to": target.version,
            "kept": plan.kept,
            "new_questions": [q.ref for q in plan.new_questions],
            "removed": {q.ref: q.answer for q in plan.removed},
            "to_confirm": [q.ref for q in plan.to_confirm],
            "dropped_values": {d.ref: d.answer for d in plan.dropped_values},
        },
    )
    return assessment


def _move_answers(plan: UpgradePlan, user, now) -> None:
    """Carried answers move to the new questions; dropped ones are deleted with a history
    entry saying so; answers of removed questions simply go."""
    history = []
    answers = list(Answer.objects.filter(pk__in=plan.answer_updates))
    for answer in answers:
        before = answer.as_record()
        for name, value in plan.answer_updates[answer.pk].items():
            setattr(answer, name, value)
        answer.version += 1
        answer.updated_at = now
        if answer.as_record() != before:
            history.append(_change(plan, answer.question_id, user, now, before, answer.as_record()))
    dropped = list(Answer.objects.filter(pk__in=plan.dropped_answer_ids))
    history.extend(
        _change(plan, a.question_id, user, now, a.as_record(), Answer.empty_record())
        for a in dropped
    )
    Answer.objects.filter(pk__in=plan.removed_answer_ids + plan.dropped_answer_ids).delete()
    Answer.objects.bulk_update(
        answers,
        ["question", *Answer.CONTENT_FIELDS, "carried_over", "version", "updated_at"],
        batch_size=500,
    )
    AnswerChange.objects.bulk_create(history)


def _change(plan: UpgradePlan, question_id: int, user, now, old: dict, new: dict) -> AnswerChange:
    return AnswerChange(
        assessment=plan.assessment,
        question_id=question_id,
        changed_by=user,
        changed_at=now,
        old=old,
        new=new,
    )


def _drop_evidence(plan: UpgradePlan) -> None:
    """Evidence of removed questions and of dropped answers goes, its files after commit."""
    gone = Evidence.objects.filter(assessment=plan.assessment).exclude(
        question_id__in=set(plan.question_map) - set(plan.dropped_question_ids)
    )
    files = [name for name in gone.values_list("file", flat=True) if name]
    gone.delete()
    _delete_files_later(files)


def _move_assignments(assessment: Assessment, target: Framework) -> None:
    top = {d.ref: d.pk for d in Domain.objects.filter(framework=target, parent__isnull=True)}
    assignments = list(
        DomainAssignment.objects.filter(assessment=assessment).select_related("domain")
    )
    DomainAssignment.objects.filter(
        pk__in=[a.pk for a in assignments if a.domain.ref not in top]
    ).delete()
    kept = [a for a in assignments if a.domain.ref in top]
    for row in kept:
        row.domain_id = top[row.domain.ref]
    DomainAssignment.objects.bulk_update(kept, ["domain"])
