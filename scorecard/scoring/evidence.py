"""Evidence that rises with autonomy: which claims of maturity lack the evidence expected.

A catalog may state per control the lowest agent autonomy level (0-5) from which its answers
should be backed by evidence (`Control.evidence_autonomy`). The more an AI system acts on its
own, the less a person checks each step, so a practice claimed for it should be shown, not
only stated. This rule flags such claims for the reader; it never changes a score: `score`
does not read evidence at all, and nothing here feeds back into it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from .model import Answer, Catalog, Control, Scope, ScoringInputError, as_scope
from .scope import control_applies, question_counts, walk_controls

LOWEST_LEVEL, HIGHEST_LEVEL = 0, 5


@dataclass(frozen=True)
class UnevidencedClaim:
    """An applicable control whose answers claim maturity on questions with no evidence."""

    control: str
    name: str
    # The control's scored questions answered above zero with no evidence attached, in
    # catalog order.
    questions: tuple[str, ...]
    # The control's rule: evidence is expected from this autonomy level on.
    threshold: int

    @property
    def rule(self) -> str:
        return rule_text(self.threshold)


def rule_text(threshold: int | None) -> str:
    """3 -> "L3+", the way pages write a rule; "" for a control without one."""
    return "" if threshold is None else f"L{threshold}+"


def check_level(autonomy_level: object) -> int | None:
    """An autonomy level as the rule reads it: None (not stated) or an integer from 0 to 5."""
    if autonomy_level is None:
        return None
    if isinstance(autonomy_level, bool) or not isinstance(autonomy_level, int):
        raise ScoringInputError(f"autonomy level {autonomy_level!r} is not a whole number")
    if not LOWEST_LEVEL <= autonomy_level <= HIGHEST_LEVEL:
        raise ScoringInputError(
            f"autonomy level {autonomy_level} is outside {LOWEST_LEVEL}-{HIGHEST_LEVEL}"
        )
    return autonomy_level


def expects_evidence(threshold: int | None, autonomy_level: int | None) -> bool:
    """The rule on its own: a rule is stated, the level is stated and reaches it."""
    level = check_level(autonomy_level)
    return threshold is not None and level is not None and level >= threshold


def evidence_expected(control: Control, autonomy_level: int | None) -> bool:
    """Whether a system at `autonomy_level` (None: not stated) owes evidence for `control`."""
    return expects_evidence(control.evidence_autonomy, autonomy_level)


def claims_maturity(answer: Answer | None) -> bool:
    """An answer above zero claims some maturity; N/A, zero and no answer claim none."""
    if answer is None or answer.na or answer.value is None:
        return False
    if isinstance(answer.value, bool) or not isinstance(answer.value, int | float):
        raise ScoringInputError(f"answer for question {answer.question!r} is no number")
    return answer.value > 0


def unevidenced_claims(
    catalog: Catalog,
    scope: Scope | Collection[str],
    answers: Mapping[str, Answer] | Iterable[Answer],
    evidenced_question_ids: Collection[str],
    autonomy_level: int | None,
) -> tuple[UnevidencedClaim, ...]:
    """The applicable controls, in catalog order, where the system's autonomy level expects
    evidence and at least one scored answer claims maturity on a question with none attached.

    `evidenced_question_ids` holds the ids of the questions with at least one piece of
    evidence. With the level not stated nothing is expected, so nothing is listed.
    """
    scope = as_scope(scope)  # refuses personas given as a bare string
    if check_level(autonomy_level) is None:
        return ()
    by_question = answers if isinstance(answers, Mapping) else {a.question: a for a in answers}
    evidenced = frozenset(evidenced_question_ids)
    found = []
    for _, control in walk_controls(catalog):
        if not evidence_expected(control, autonomy_level):
            continue
        if not control_applies(control, scope):
            continue
        claiming = tuple(
            q.id
            for q in control.questions
            if question_counts(q)
            and q.id not in evidenced
            and claims_maturity(by_question.get(q.id))
        )
        if claiming:
            found.append(
                UnevidencedClaim(control.id, control.name, claiming, control.evidence_autonomy)
            )
    return tuple(found)
