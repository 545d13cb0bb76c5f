"""Pure scoring engine: catalog + answers + personas -> scores, tiers, gaps and explanations.

Deliberately free of Django so the published methodology can be tested and audited alone.
"""

from .engine import BOUNDARY_TOLERANCE, score
from .explain import format_score
from .model import (
    EXPLAIN_KINDS,
    METHODOLOGY_VERSION,
    QUESTION_TYPES,
    SCORED_TYPES,
    UNSCORED_TYPES,
    Answer,
    Catalog,
    Control,
    ControlScore,
    Domain,
    Explanation,
    Gap,
    NodeScore,
    Question,
    Result,
    Risk,
    RiskScore,
    ScoringInputError,
    Term,
    Tier,
    normalise_reference,
    reference_group,
)

__all__ = [
    "BOUNDARY_TOLERANCE",
    "EXPLAIN_KINDS",
    "METHODOLOGY_VERSION",
    "QUESTION_TYPES",
    "SCORED_TYPES",
    "UNSCORED_TYPES",
    "Answer",
    "Catalog",
    "Control",
    "ControlScore",
    "Domain",
    "Explanation",
    "Gap",
    "NodeScore",
    "Question",
    "Result",
    "Risk",
    "RiskScore",
    "ScoringInputError",
    "Term",
    "Tier",
    "format_score",
    "normalise_reference",
    "reference_group",
    "score",
]
