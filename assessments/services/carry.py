"""The one carry-over policy: which answers and evidence move to another version's questions.

Used by "start from a previous assessment" (services/start.py) and by "change catalog
version" (services/upgrade.py), so both give the same outcome for the same question:

- the question is matched by its id (ref) in the other version;
- its answer is carried over when it still means the same there: the same kind of answer
  (type), the chosen option is still offered (its value is taken from the new version), and
  N/A is still allowed if the answer was N/A;
- otherwise the whole answer goes (option, value, number, text, N/A, justification and
  comment), and the caller reports it with the reason given here;
- evidence follows the answer: it moves with a carried answer (or with a question that had no
  answer), and goes with a dropped one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.files import File
from django.core.files.storage import default_storage

from assessments.models import Answer, AnswerChange, Assessment, Evidence, EvidenceKind
from assessments.models.assessment import evidence_path
from scorecard.loader import YES_NO
from scorecard.models import Framework, Option, Question, QuestionType, ScaleOption

EVIDENCE_FIELDS = (
    "kind",
    "url",
    "filename",
    "content_type",
    "size",
    "sha256",
    "description",
    "uploaded_by_id",
    "uploaded_at",
)


@dataclass(frozen=True)
class QuestionShape:
    """What decides whether an answer keeps its meaning: type, N/A and the offered options."""

    pk: int
    ref: str
    text: str
    type: str
    allow_na: bool
    control: str
    options: dict[str, float]  # option label -> value; empty for unscored questions


def question_shapes(framework: Framework) -> dict[str, QuestionShape]:
    """Every question of a framework version by ref (three queries)."""
    scale = dict(ScaleOption.objects.filter(framework=framework).values_list("label", "value"))
    choices: dict[int, dict[str, float]] = {}
    for question_id, label, value in Option.objects.filter(framework=framework).values_list(
        "question_id", "label", "value"
    ):
        choices.setdefault(question_id, {})[label] = value
    rows = Question.objects.filter(framework=framework).values_list(
        "pk", "ref", "text", "type", "allow_na", "control__ref"
    )
    shapes = {}
    for pk, ref, text, qtype, allow_na, control in rows:
        options = {
            QuestionType.SCALE: scale,
            QuestionType.YES_NO: dict(YES_NO),
            QuestionType.CHOICE: choices.get(pk, {}),
        }.get(qtype, {})
        shapes[ref] = QuestionShape(pk, ref, text, qtype, allow_na, control, options)
    return shapes


def carry_answer(answer: Answer, old: QuestionShape, new: QuestionShape) -> tuple[dict | None, str]:
    """The answer's content on `new`, or (None, why it is dropped)."""
    if old.type != new.type:
        return None, "the question now asks for another kind of answer"
    content = answer.content()
    if answer.na:
        if not new.allow_na:
            return None, "N/A is no longer allowed"
        # N/A wins over an option still stored from before it was ticked.
        content.update(option_label="", value=None)
        return content, ""
    label = answer.option_label
    if label:
        if label not in new.options:
            return None, f"the option “{label}” is no longer offered"
        content["value"] = new.options[label]
    return content, ""


def question_changes(old: QuestionShape, new: QuestionShape) -> tuple[str, ...]:
    """What changed about a question between two versions, as the plan shows it."""
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


def copy_evidence(
    item: Evidence, target: Assessment, question_id: int, written: list[str], *, mark=True
) -> Evidence:
    """An unsaved copy of `item` for `target` with its own file; marked carried over unless
    `mark` is false (a reopened revision keeps the flags as they were).

    Each assessment owns its bytes, so deleting evidence from one (which removes the stored
    file) can never break another. Names of the files written go to `written`, so a caller
    whose transaction fails can delete them.
    """
    copy = Evidence(
        id=uuid.uuid4(),
        assessment=target,
        question_id=question_id,
        carried_over=True if mark else item.carried_over,
        **{name: getattr(item, name) for name in EVIDENCE_FIELDS},
    )
    if item.kind == EvidenceKind.FILE and item.file:
        with item.file.open("rb") as handle:
            name = default_storage.save(evidence_path(copy, item.filename), File(handle))
        written.append(name)
        copy.file = name
    return copy


def sentence(text: str) -> str:
    # str.capitalize() would lower-case the option labels quoted inside.
    return text[:1].upper() + text[1:]


def start_history(*, assessment: Assessment, answers: list[Answer], user) -> None:
    """Answers that arrive from elsewhere begin their history with the value they arrived
    with, so reviewers can tell carried or imported values from typed ones."""
    AnswerChange.objects.bulk_create(
        AnswerChange(
            assessment=assessment,
            question_id=answer.question_id,
            changed_by=user,
            old=None,
            new=answer.as_record(),
        )
        for answer in answers
    )
