"""What changed between two submissions of an assessment, question by question.

The review page shows, for the latest submission, each question's answer next to what the
previous submission said: old → new value, the comment, and the evidence added or removed.
Two queries whatever the size: the two latest submissions, and their questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assessments.models import Assessment, Submission
from scorecard.models import Question

NO_ANSWER = "(no answer)"


@dataclass(frozen=True)
class QuestionChange:
    ref: str
    text: str
    domain: str
    in_catalog: bool
    old: str
    new: str
    old_comment: str
    new_comment: str
    evidence_added: tuple[str, ...] = ()
    evidence_removed: tuple[str, ...] = ()
    compared: bool = True  # False on a first submission: nothing earlier to compare with

    @property
    def answer_changed(self) -> bool:
        return self.compared and self.old != self.new

    @property
    def comment_changed(self) -> bool:
        return self.compared and self.old_comment != self.new_comment

    @property
    def changed(self) -> bool:
        return (
            self.answer_changed
            or self.comment_changed
            or bool(self.evidence_added or self.evidence_removed)
        )


@dataclass(frozen=True)
class ReviewDiff:
    submission: Submission | None
    previous: Submission | None
    rows: list[QuestionChange] = field(default_factory=list)

    @property
    def first(self) -> bool:
        return self.submission is not None and self.previous is None

    @property
    def changed_rows(self) -> list[QuestionChange]:
        return [row for row in self.rows if row.changed]


def shown(entry: dict | None) -> str:
    """One answer of a snapshot as the reviewer reads it."""
    if not entry:
        return NO_ANSWER
    if entry.get("na"):
        reason = entry.get("justification") or ""
        return f"N/A: {reason}" if reason else "N/A"
    if entry.get("option_label"):
        return entry["option_label"]
    if entry.get("number") is not None:
        return f"{entry['number']:g}"
    return entry.get("text") or NO_ANSWER


def _evidence(entry: dict | None) -> dict[tuple, str]:
    items = (entry or {}).get("evidence") or []
    return {
        tuple(item.get(name) for name in Submission.EVIDENCE_FIELDS): item.get("filename")
        or item.get("url")
        for item in items
    }


def _row(ref: str, question: Question | None, old: dict | None, new: dict | None, compared):
    before, after = _evidence(old), _evidence(new)
    return QuestionChange(
        ref=ref,
        text=question.text if question else "",
        domain=question.control.domain.name if question else "",
        in_catalog=question is not None,
        old=shown(old) if compared else "",
        new=shown(new),
        old_comment=(old or {}).get("comment") or "",
        new_comment=(new or {}).get("comment") or "",
        evidence_added=tuple(sorted(after[k] for k in after.keys() - before.keys()))
        if compared
        else (),
        evidence_removed=tuple(sorted(before[k] for k in before.keys() - after.keys())),
        compared=compared,
    )


def review_diff(assessment: Assessment) -> ReviewDiff:
    """The latest submission against the one before it, in catalog order."""
    latest_two = list(
        Submission.objects.filter(assessment=assessment)
        .select_related("submitted_by")
        .order_by("-sequence")[:2]
    )
    if not latest_two:
        return ReviewDiff(submission=None, previous=None)
    submission = latest_two[0]
    previous = latest_two[1] if len(latest_two) > 1 else None
    new_answers = submission.answers or {}
    old_answers = (previous.answers or {}) if previous else {}
    refs = set(new_answers) | set(old_answers)
    questions = {
        q.ref: q
        for q in Question.objects.filter(framework_id=assessment.framework_id, ref__in=refs)
        .select_related("control__domain")
        .order_by("control__domain__position", "control__position", "position")
    }
    order = list(questions) + sorted(refs - set(questions))
    rows = [
        _row(
            ref,
            questions.get(ref),
            old_answers.get(ref),
            new_answers.get(ref),
            previous is not None,
        )
        for ref in order
    ]
    return ReviewDiff(submission=submission, previous=previous, rows=rows)
