"""The answer scale and tiers given to catalogs whose source format has none (OSCAL, or
a CoSAI Risk Map import when the bundled scorecard is not available)."""

from __future__ import annotations

import copy

_SCALE = [
    {"label": "Not implemented", "value": 0.0, "description": "Nothing is in place yet."},
    {
        "label": "Planned",
        "value": 0.25,
        "description": "Work is agreed and scheduled, but nothing runs in practice yet.",
    },
    {
        "label": "Partially implemented",
        "value": 0.5,
        "description": "In place for some systems or some of the time, with known gaps.",
    },
    {
        "label": "Largely implemented",
        "value": 0.75,
        "description": "In place for nearly everything in scope, owned and producing evidence.",
    },
    {
        "label": "Fully implemented",
        "value": 1.0,
        "description": "In place everywhere in scope and checked regularly for effectiveness.",
    },
]

_TIERS = [
    {"name": "Initial", "min_score": 0.0},
    {"name": "Developing", "min_score": 25.0},
    {"name": "Established", "min_score": 50.0},
    {"name": "Managed", "min_score": 70.0},
    {"name": "Leading", "min_score": 90.0},
]

QUESTION_TEXT = "How far is this control implemented and kept working in practice?"
QUESTION_HELP = (
    "Rate what is in place today across the systems in scope, not what is planned. "
    "Choose the lower level when in doubt and note the evidence you relied on."
)


def default_scale() -> list[dict]:
    return copy.deepcopy(_SCALE)


def default_tiers() -> list[dict]:
    return copy.deepcopy(_TIERS)


def implementation_question(control_id: str) -> dict:
    """The one scored question generated for a control that arrives without any."""
    return {
        "id": f"{control_id}.q1",
        "text": QUESTION_TEXT,
        "help": QUESTION_HELP,
        "type": "scale",
        "weight": 1.0,
        "allow_na": False,
        "evidence": "",
    }
