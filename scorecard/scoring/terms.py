"""The inputs of a score, in a module of their own so that the derivations (derive_scores.py)
and the result types (model.py) can both use them without importing each other."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """One input of a score, so the UI can show why a score is what it is.

    ``value`` is an answer value in [0, 1] for questions (0.0 for an unanswered one, because
    that is what it counts as) and a 0–100 score for controls and domains; None when N/A.
    """

    id: str
    kind: str
    weight: float
    value: float | None
    included: bool
    reason: str
