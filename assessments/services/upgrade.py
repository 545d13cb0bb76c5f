"""Moving an assessment to another published version of its framework.

Questions are matched by their id (ref). `plan_upgrade` only reads: it says which
questions are new, which disappear (with the answers that go with them), which changed
wording or options (their answers are kept but flagged for re-confirmation) and which
answers lose their value because the chosen option no longer exists. `apply_upgrade`
recomputes that plan on the locked row and carries it out; answers, history, evidence and
review comments of surviving questions are re-pointed at the new version's rows.
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
from assessments.services.workflow import (
    WorkflowError,
    lock_assessment,
    require_role,
)
from scorecard.models import (
    Domain,
    Framework,
    FrameworkStatus,
    Option,
    Persona,
    Question,
    QuestionType,
    ScaleOption,
)

YES_NO = {"Yes": 1.0, "No": 0.0}


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
            "updates": sorted((pk, sorted(v.items())) for pk, v in self.answer_updates.items()),
        }
        return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


# --- catalog side ----------------------------------------------------------------------------


def upgrade_targets(assessment: Assessment) -> list[Framework]:
    """Other published versions of the assessment's framework, newest first."""
    return list(
        Framework.objects.published()
        .filter(slug=assessment.framework.slug)
        .exclude(pk=assessment.framework_id)
        .order_by("-published_at", "-created_at")
    )


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


@dataclass(frozen=True)
class _Q:
    pk: int
    ref: str
    text: str
    type: str
    allow_na: bool
    control: str
    options: dict[str, float]


def _questions(framework: Framework) -> dict[str, _Q]:
    scale = dict(ScaleOption.objects.filter(framework=framework).values_list("label", "value"))
    choices: dict[int, dict[str, float]] = {}
    for question_id, label, value in Option.objects.filter(framework=framework).values_list(
        "question_id", "label", "value"
    ):
        choices.setdefault(question_id, {})[label] = value
    rows = Question.objects.filter(framework=framework).values_list(
        "pk", "ref", "text", "type", "allow_na", "control__ref"
    )
    result = {}
    for pk, ref, text, qtype, allow_na, control in rows:
        options = {
            QuestionType.SCALE: scale,
            QuestionType.YES_NO: YES_NO,
            QuestionType.CHOICE: choices.get(pk, {}),
        }.get(qtype, {})
        result[ref] = _Q(pk, ref, text, qtype, allow_na, control, options)
    return result


def _changes(old: _Q, new: _Q) -> tuple[str, ...]:
    changes = []
    if old.text.strip() != new.text.strip():
        changes.append("wording")
    if old.type != new.type:
        changes.append("answer type")
    elif old.options != new.options:
        changes.append("answer options")
    if old.allow_na != new.allow_na:
        changes.append("N/A allowed" if new.allow_na else "N/A no longer allowed")
    return tuple(changes)


def _carry(answer: Answer, new: _Q) -> tuple[dict, list[str]]:
    """The answer's fields on the new question, and why parts of it had to go."""
    fields = {
        "option_label": answer.option_label,
        "value": answer.value,
        "number": answer.number,
        "text": answer.text,
        "na": answer.na,
    }
    lost = []
    if answer.na and not new.allow_na:
        fields["na"] = False
        lost.append("N/A is no longer allowed")
    if answer.option_label:
        if answer.option_label in new.options:
            fields["value"] = new.options[answer.option_label]
        else:
            fields["option_label"], fields["value"] = "", None
            lost.append(f"the option “{answer.option_label}” is no longer offered")
    elif answer.value is not None and not new.options:
        fields["value"] = None
        lost.append("the question is no longer scored")
    if answer.number is not None and new.type != QuestionType.NUMBER:
        fields["number"] = None
        lost.append("the question no longer asks for a number")
    if answer.text and new.type != QuestionType.TEXT:
        fields["text"] = ""
        lost.append("the question no longer asks for text")
    return fields, lost


def _sentence(text: str) -> str:
    # str.capitalize() would lower-case the option labels quoted inside.
    return text[:1].upper() + text[1:]


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
    old, new = _questions(source), _questions(target)
    plan = UpgradePlan(assessment=assessment, source=source, target=target)
    evidence, comments = _counts(Evidence, assessment), _counts(ReviewComment, assessment)
    answers = {a.question_id: a for a in Answer.objects.filter(assessment=assessment)}
    plan.answer_versions = {a.pk: a.version for a in answers.values()}

    for ref, question in new.items():
        if ref not in old:
            plan.new_questions.append(QuestionNote(ref, question.text, question.control))
    for ref, question in old.items():
        answer = answers.get(question.pk)
        shown = answer.display_value() if answer else ""
        if ref not in new:
            plan.removed.append(
                QuestionNote(
                    ref,
                    question.text,
                    question.control,
                    answer=shown,
                    evidence=evidence.get(question.pk, 0),
                    comments=comments.get(question.pk, 0),
                )
            )
            if answer is not None:
                plan.removed_answer_ids.append(answer.pk)
            continue
        successor = new[ref]
        plan.question_map[question.pk] = successor.pk
        changes = _changes(question, successor)
        if changes:
            plan.to_confirm.append(
                QuestionNote(
                    ref,
                    successor.text,
                    successor.control,
                    answer=shown,
                    changes=changes,
                    old_text=question.text,
                )
            )
        if answer is None:
            continue
        fields, lost = _carry(answer, successor)
        if lost:
            plan.dropped_values.append(
                DroppedValue(ref, successor.text, shown, _sentence("; ".join(lost)))
            )
        fields["carried_over"] = answer.carried_over or bool(changes) or bool(lost)
        fields["question_id"] = successor.pk
        plan.answer_updates[answer.pk] = fields
        if not changes and not lost:
            plan.kept += 1

    personas = set(Persona.objects.filter(framework=target).values_list("ref", flat=True))
    plan.dropped_personas = [ref for ref in assessment.personas if ref not in personas]
    top = {
        d.ref: d
        for d in Domain.objects.filter(framework=target, parent__isnull=True).only("pk", "ref")
    }
    plan.dropped_assignments = [
        row.domain.ref
        for row in DomainAssignment.objects.filter(assessment=assessment).select_related("domain")
        if row.domain.ref not in top
    ]
    return plan


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
    plan = plan_upgrade(assessment=assessment, target=target)
    if fingerprint is not None and fingerprint != plan.fingerprint:
        raise UpgradeError(
            "Answers changed while you were reading the plan; check the updated plan.",
            code="stale",
        )
    now = timezone.now()
    answers = list(Answer.objects.filter(pk__in=plan.answer_updates))
    history = []
    for answer in answers:
        before = answer.as_record()
        for name, value in plan.answer_updates[answer.pk].items():
            setattr(answer, name, value)
        answer.version += 1
        answer.updated_at = now
        if answer.as_record() != before:
            history.append(
                AnswerChange(
                    assessment=assessment,
                    question_id=answer.question_id,
                    changed_by=user,
                    changed_at=now,
                    old=before,
                    new=answer.as_record(),
                )
            )
    Answer.objects.filter(pk__in=plan.removed_answer_ids).delete()
    gone = Evidence.objects.filter(assessment=assessment).exclude(question_id__in=plan.question_map)
    files = [name for name in gone.values_list("file", flat=True) if name]
    gone.delete()
    _delete_files_later(files)
    # Old history keeps pointing at the old version's question when that question is gone.
    _repoint(AnswerChange, assessment, plan.question_map)
    _repoint(Evidence, assessment, plan.question_map)
    _repoint(ReviewComment, assessment, plan.question_map)
    Answer.objects.bulk_update(
        answers,
        ["question", "option_label", "value", "number", "text", "na", "carried_over", "version"]
        + ["updated_at"],
        batch_size=500,
    )
    AnswerChange.objects.bulk_create(history)

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

    assessment.framework = target
    assessment.personas = [ref for ref in assessment.personas if ref not in plan.dropped_personas]
    assessment.scoping = {
        ref: value
        for ref, value in (assessment.scoping or {}).items()
        if ref not in plan.dropped_personas
    }
    assessment.save(update_fields=["framework", "personas", "scoping", "updated_at"])
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
