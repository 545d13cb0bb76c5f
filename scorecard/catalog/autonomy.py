"""Agent autonomy levels L0-L5, and the catalog's rule for which levels need evidence.

The six levels and their numbering follow CoSAI's Shared Responsibility Framework (v1.0);
the names and meanings below are Scorecard's own wording. The higher the level, the less a
person checks each step, so the more a claimed practice should be backed by evidence.

A catalog states per control from which level on evidence is expected, written `L3+`
(levels 3, 4 and 5). A control without the rule expects evidence at no particular level.
This module only describes the levels and reads the rule: nothing scores with it yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LOWEST, HIGHEST = 0, 5
THRESHOLD_PATTERN = r"^L[0-5]\+$"
THRESHOLD_RULE = "must be a level from L0 to L5 followed by +, e.g. L3+"
_THRESHOLD = re.compile(THRESHOLD_PATTERN)


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    meaning: str

    @property
    def code(self) -> str:
        return f"L{self.number}"


LEVELS: tuple[Level, ...] = (
    Level(0, "No autonomy", "The AI only answers; people decide and carry out every action."),
    Level(
        1,
        "Suggests",
        "The AI proposes actions or drafts; a person reviews each one and carries it out.",
    ),
    Level(
        2,
        "Acts on approval",
        "The AI can carry out actions, but only after a person approves each one.",
    ),
    Level(
        3,
        "Acts within limits",
        "The AI acts on its own inside agreed limits; people watch and can step in or stop it.",
    ),
    Level(
        4,
        "Acts, people review",
        "The AI plans and acts on its own; people look at results and exceptions afterwards.",
    ),
    Level(
        5,
        "Fully autonomous",
        "The AI sets its own intermediate goals and acts with no routine human check.",
    ),
)
BY_NUMBER = {level.number: level for level in LEVELS}


def threshold_problem(value: object) -> str | None:
    """A rule as a file writes it: `L0+` to `L5+`, or nothing."""
    if value is None:
        return None
    if not isinstance(value, str) or not _THRESHOLD.fullmatch(value):
        return THRESHOLD_RULE
    return None


def parse_threshold(value: str | None) -> int | None:
    """`L3+` -> 3; None (no rule) stays None."""
    if value is None:
        return None
    if threshold_problem(value):
        raise ValueError(f"{value!r} {THRESHOLD_RULE}")
    return int(value[1])


def threshold_text(number: int | None) -> str | None:
    """3 -> `L3+`, the way files and pages write the rule."""
    if number is None:
        return None
    if not LOWEST <= number <= HIGHEST:
        raise ValueError(f"autonomy levels run from {LOWEST} to {HIGHEST}, not {number}")
    return f"L{number}+"


def levels_requiring(threshold: int | None) -> tuple[Level, ...]:
    """The levels at which a control with this rule expects evidence."""
    if threshold is None:
        return ()
    return tuple(level for level in LEVELS if level.number >= threshold)


def requires_evidence(threshold: int | None, level: int) -> bool:
    """Whether a system at autonomy `level` needs evidence for a control with this rule."""
    return threshold is not None and level >= threshold
