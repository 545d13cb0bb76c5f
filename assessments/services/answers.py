"""Saving questionnaire answers: validation, optimistic concurrency and history.

A page save is one transaction of seven queries whatever the page size. The assessment row
is updated first (which takes its row lock, refuses a finalised assessment and bumps
`updated_at` for the lists); then the page's answers are read `FOR UPDATE`. Two saves of the
same assessment thus run one after the other, and the version check sees the other save's
result. An answer whose version moved on since the editor loaded the page is a conflict: it
is left alone and reported back, while every other answer of the same save is written. New
and changed answers are written by one upsert, their history by one bulk insert, and the
save by one audit event.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments import audit
from assessments.limits import ANSWER_TEXT, text_length, too_long
from assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentFinalised,
    AssessmentStatus,
)
from assessments.services.guards import require_editable
from scorecard.loader import YES_NO, cached
from scorecard.models import Framework, Option, Question, ScaleOption

NUMBER_LIMIT = 1e12
TEXT_LIMIT = ANSWER_TEXT
# The free-text parts of an answer, each held to TEXT_LIMIT, and how a refusal names them.
TEXT_PARTS = (
    ("text", "the answer"),
    ("comment", "the comment"),
    ("justification", "the justification"),
)
# Answer.as_record() of an answer with nothing filled in.
EMPTY_RECORD = Answer.empty_record()


@dataclass(frozen=True)
class Choice:
    """One answer option as the form offers it; `key` is what a radio button submits."""

    key: str
    label: str
    value: float
    description: str = ""


@dataclass(frozen=True)
class FrameworkOptions:
    scale: tuple[Choice, ...]
    choices: dict[int, tuple[Choice, ...]]
    # Option pk -> question pk, to tell "another question's option" from a made-up one.
    owner: dict[int, int]

    def for_question(self, question: Question) -> tuple[Choice, ...]:
        if question.type == "scale":
            return self.scale
        if question.type == "choice":
            return self.choices.get(question.pk, ())
        if question.type == "yes_no":
            return tuple(Choice(label, label, value) for label, value in YES_NO)
        return ()


def framework_options(framework: Framework) -> FrameworkOptions:
    """Answer options of a framework version: two queries, none once a published one is
    cached (in the loader's cache, with the catalog)."""
    return cached(framework, "options", lambda: _read_options(framework))


def _read_options(framework: Framework) -> FrameworkOptions:
    scale = tuple(
        Choice(str(pk), label, value, description)
        for pk, label, value, description in ScaleOption.objects.filter(framework=framework)
        .order_by("position", "pk")
        .values_list("pk", "label", "value", "description")
    )
    choices: dict[int, list[Choice]] = defaultdict(list)
    owner: dict[int, int] = {}
    for pk, question_id, label, value, description in (
        Option.objects.filter(framework=framework)
        .order_by("position", "pk")
        .values_list("pk", "question_id", "label", "value", "description")
    ):
        choices[question_id].append(Choice(str(pk), label, value, description))
        owner[pk] = question_id
    return FrameworkOptions(scale, {q: tuple(c) for q, c in choices.items()}, owner)


@dataclass(frozen=True)
class AnswerInput:
    """What an editor submitted for one question.

    `version` is the answer version the editor's page was built from (0: no answer yet);
    None skips the concurrency check, for callers that knowingly overwrite.
    """

    question: Question
    option_label: str = ""
    number: float | None = None
    text: str = ""
    na: bool = False
    justification: str = ""
    comment: str = ""
    version: int | None = None


@dataclass(frozen=True)
class Conflict:
    """Someone else saved this answer since the editor loaded it; theirs is `current`."""

    question: Question
    submitted: AnswerInput
    current: Answer


@dataclass
class SaveResult:
    saved: list[Answer] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def saved_refs(self) -> list[str]:
        return [answer.question.ref for answer in self.saved]


class AnswersRejected(ValidationError):
    """At least one submitted answer is invalid; nothing of the save was written."""

    def __init__(self, errors: dict[int, list[str]]):
        self.by_question = errors
        super().__init__([msg for messages in errors.values() for msg in messages])


def answer_value(question: Question, label: str, options: FrameworkOptions) -> float | None:
    """The scored value of an option label; ValidationError when the label is not offered."""
    if not label:
        return None
    for choice in options.for_question(question):
        if choice.label == label:
            return choice.value
    raise ValidationError(f"“{label}” is not one of the answer options of {question.display_ref}.")


def _cleaned_record(inp: AnswerInput, framework_id: int, options: FrameworkOptions) -> dict:
    """The answer's record after applying the rules; raises ValidationError listing problems."""
    question = inp.question
    if question.framework_id != framework_id:
        raise ValidationError(
            f"Question {question.display_ref} is not part of this assessment's framework."
        )
    problems: list[str] = []
    record = dict(
        EMPTY_RECORD, comment=inp.comment.strip(), justification=inp.justification.strip()
    )
    if inp.na:
        if inp.option_label or inp.number is not None or inp.text.strip():
            # Refused rather than one of the two dropped: the editor must say which holds.
            problems.append(f"{question.display_ref}: answer with a value or N/A, not both.")
        if not question.allow_na:
            problems.append(f"{question.display_ref} cannot be answered N/A.")
        if not record["justification"]:
            problems.append(f"{question.display_ref}: explain why the question does not apply.")
        record["na"] = True
    elif question.is_scored:
        try:
            record["value"] = answer_value(question, inp.option_label, options)
            record["option"] = inp.option_label if record["value"] is not None else ""
        except ValidationError as exc:
            problems.extend(exc.messages)
    elif question.type == "number":
        number = inp.number
        if number is not None and not (math.isfinite(number) and abs(number) <= NUMBER_LIMIT):
            problems.append(f"{question.display_ref}: {number!r} is out of range.")
        record["number"] = number
    elif question.type == "text":
        record["text"] = inp.text.strip()
    for name, what in TEXT_PARTS:
        length = text_length(record[name])
        if length > TEXT_LIMIT:
            problems.append(f"{question.display_ref}: " + too_long(what, length, TEXT_LIMIT))
    if problems:
        raise ValidationError(problems)
    return record


def _apply(answer: Answer, record: dict) -> None:
    for name in Answer.CONTENT_FIELDS:
        setattr(answer, name, record[Answer.RECORD_NAMES.get(name, name)])


WRITTEN_FIELDS = [*Answer.CONTENT_FIELDS, "carried_over", "version", "updated_by", "updated_at"]


def save_answers(
    *,
    assessment: Assessment,
    user,
    submitted: list[AnswerInput],
) -> SaveResult:
    """Validate and write one page of answers.

    Raises AnswersRejected (nothing written) when any input is invalid, AssessmentFinalised
    when the assessment is finalised, AssessmentFrozen while it is with its reviewers.
    Stale answers come back as conflicts, unwritten. Saving an answer again, even
    unchanged, confirms a carried-over answer.
    """
    require_editable(assessment)
    records = _validated(assessment, submitted)
    result = SaveResult()
    if not records:
        return result
    with transaction.atomic():
        now = timezone.now()
        current = _lock(assessment, records, now)
        plan = _sort(assessment, user, now, records, current, result)
        for answer in plan.new + plan.changed:
            answer.version += 1
            answer.carried_over = False
            answer.updated_by = user
            answer.updated_at = now
        _write(plan)
        result.saved = sorted(
            plan.new + plan.changed, key=lambda a: (a.question.position, a.question.pk)
        )
        if result.saved or result.conflicts:
            audit.record(
                "answers.saved",
                actor=user,
                organisation=assessment.organisation,
                target=assessment,
                summary=f"Saved {len(result.saved)} answer(s) of {assessment.title}",
                data={
                    "questions": result.saved_refs,
                    "conflicts": [c.question.ref for c in result.conflicts],
                },
            )
    return result


def _validated(assessment: Assessment, submitted: list[AnswerInput]):
    """question pk -> (input, cleaned record); AnswersRejected listing every problem."""
    options = framework_options(assessment.framework)
    records: dict[int, tuple[AnswerInput, dict]] = {}
    errors: dict[int, list[str]] = {}
    for inp in submitted:
        qid = inp.question.pk
        if qid in records or qid in errors:
            errors.setdefault(qid, []).append(f"{inp.question.display_ref} was submitted twice.")
            continue
        try:
            records[qid] = (inp, _cleaned_record(inp, assessment.framework_id, options))
        except ValidationError as exc:
            errors[qid] = exc.messages
    if errors:
        raise AnswersRejected(errors)
    return records


def _lock(assessment: Assessment, records: dict, now) -> dict[int, Answer]:
    """Take the assessment's row lock (refusing one that is not a draft: submitted or
    finalised since the page was read), then the page's answers."""
    locked = Assessment.objects.filter(pk=assessment.pk, status=AssessmentStatus.DRAFT).update(
        updated_at=now
    )
    if not locked:
        require_editable(Assessment.objects.get(pk=assessment.pk))
        raise AssessmentFinalised()
    return {
        answer.question_id: answer
        for answer in Answer.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(assessment=assessment, question_id__in=records)
    }


@dataclass
class _Writes:
    new: list[Answer] = field(default_factory=list)
    changed: list[Answer] = field(default_factory=list)
    history: list[AnswerChange] = field(default_factory=list)


def _sort(assessment, user, now, records: dict, current: dict, result: SaveResult) -> _Writes:
    """Which answers are new, changed, confirmed (carried over, saved unchanged) or stale."""
    plan = _Writes()
    for qid, (inp, record) in records.items():
        answer = current.get(qid)
        if answer is not None:
            answer.question = inp.question  # already loaded; spares a query per answer
        old = answer.as_record() if answer is not None else None
        if old == record or (answer is None and record == EMPTY_RECORD):
            if answer is not None and answer.carried_over:
                # Saved again unchanged: the team confirms the carried-over answer.
                plan.changed.append(answer)
                plan.history.append(_change(assessment, inp.question, user, now, old, record))
            continue
        if answer is not None and inp.version is not None and inp.version != answer.version:
            result.conflicts.append(Conflict(inp.question, inp, answer))
            continue
        if answer is None:
            answer = Answer(assessment=assessment, question=inp.question, version=0)
            plan.new.append(answer)
        else:
            plan.changed.append(answer)
        _apply(answer, record)
        plan.history.append(_change(assessment, inp.question, user, now, old, record))
    return plan


def _write(plan: _Writes) -> None:
    if plan.new or plan.changed:
        # One upsert for new and changed answers alike. The rows are locked (or, for new
        # ones, serialised by the assessment row lock), so the versions computed above
        # are the ones written. Changed rows go without their pk: the conflict on
        # (assessment, question) turns them into updates.
        Answer.objects.bulk_create(
            plan.new + [_without_pk(answer) for answer in plan.changed],
            update_conflicts=True,
            unique_fields=["assessment", "question"],
            update_fields=WRITTEN_FIELDS,
        )
    if plan.history:
        AnswerChange.objects.bulk_create(plan.history)


def _without_pk(answer: Answer) -> Answer:
    return Answer(
        assessment_id=answer.assessment_id,
        question=answer.question,
        **{name: getattr(answer, name) for name in WRITTEN_FIELDS},
    )


def _change(assessment, question, user, now, old: dict | None, new: dict) -> AnswerChange:
    return AnswerChange(
        assessment=assessment, question=question, changed_by=user, changed_at=now, old=old, new=new
    )
