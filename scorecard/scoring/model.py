"""Inputs and outputs of the scoring engine.

Inputs are frozen dataclasses holding tuples so a catalog can be cached, hashed and shared
between requests without anyone mutating it under the engine. Nothing here knows about Django:
the web layer converts its models into these values, which keeps the published methodology
testable and auditable on its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import derive_scores
from .terms import Term

METHODOLOGY_VERSION = "1.1"
# Every version this engine still scores by: snapshots keep the version they were made with,
# and rescoring one follows that version's rules (applicability.py says what 1.1 changed).
METHODOLOGIES = ("1.0", "1.1")

SCORED_TYPES = frozenset({"scale", "choice", "yes_no"})
# Questions of these types collect context for the report but never move a score.
UNSCORED_TYPES = frozenset({"text", "number"})
QUESTION_TYPES = SCORED_TYPES | UNSCORED_TYPES


class ScoringInputError(ValueError):
    """The catalog, the answers or the personas cannot be scored as given."""


# --- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    weight: float = 1.0
    allow_na: bool = False


# The terms of one kind a control concerns (see scorecard.catalog.vocabulary): a tuple of
# term ids (empty: the catalog says nothing), or ALL_TERMS or NO_TERMS as the catalog states.
ALL_TERMS, NO_TERMS = "all", "none"
TermRefs = tuple[str, ...] | str


@dataclass(frozen=True)
class Control:
    id: str
    name: str = ""
    weight: float = 1.0
    critical: bool = False
    personas: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    # (framework_id, (reference, ...)); a reference may carry a trailing "@version".
    mappings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    guidance: str = ""
    questions: tuple[Question, ...] = ()
    # Catalog data no methodology 1.0 rule reads: the Risk Map terms the control concerns and
    # the lowest agent autonomy level (0-5) at which it expects evidence (None: none).
    components: TermRefs = ()
    lifecycle_stages: TermRefs = ()
    actor_access: TermRefs = ()
    impact_types: TermRefs = ()
    evidence_autonomy: int | None = None


@dataclass(frozen=True)
class Domain:
    id: str
    name: str = ""
    weight: float = 1.0
    domains: tuple[Domain, ...] = ()
    controls: tuple[Control, ...] = ()


@dataclass(frozen=True)
class Tier:
    name: str
    min_score: float


@dataclass(frozen=True)
class Risk:
    id: str
    name: str = ""
    category: str = ""
    # As on Control. No score reads them: only the crosswalk across catalogs
    # (crosswalk_catalogs.py) does, so they stay out of the catalog fingerprint.
    mappings: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class CatalogTerm:
    """One term of the catalog's vocabulary (a component, a lifecycle stage, ...)."""

    id: str
    kind: str
    name: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class Catalog:
    domains: tuple[Domain, ...]
    tiers: tuple[Tier, ...] = ()
    critical_threshold: float = 50.0
    gate_tier: str | None = None
    risks: tuple[Risk, ...] = ()


# The system terms that narrow an assessment's scope from methodology 1.1 on, as the field
# name shared by Control and Scope, the singular and the plural the explanations use.
SCOPE_TERM_KINDS: tuple[tuple[str, str, str], ...] = (
    ("components", "component", "components"),
    ("lifecycle_stages", "lifecycle stage", "lifecycle stages"),
    ("actor_access", "actor access level", "actor access levels"),
)


@dataclass(frozen=True)
class Scope:
    """What an assessment covers: the personas selected and, read from methodology 1.1 on,
    the components, lifecycle stages and actor access its AI system states (empty: the
    system says nothing of that kind, which narrows nothing)."""

    personas: frozenset[str] = frozenset()
    components: frozenset[str] = frozenset()
    lifecycle_stages: frozenset[str] = frozenset()
    actor_access: frozenset[str] = frozenset()
    methodology: str = METHODOLOGY_VERSION

    def __post_init__(self) -> None:
        for name in ("personas", *(kind for kind, _, _ in SCOPE_TERM_KINDS)):
            value = getattr(self, name)
            if isinstance(value, str | bytes):
                # A bare string would be read as a set of one-letter ids.
                raise ScoringInputError(f"{name} must be a collection of ids, not {value!r}")
            object.__setattr__(self, name, frozenset(value))
        if self.methodology not in METHODOLOGIES:
            raise ScoringInputError(
                f"unknown methodology version {self.methodology!r}; "
                f"this engine scores {', '.join(METHODOLOGIES)}"
            )

    @property
    def reads_system_terms(self) -> bool:
        """Methodology 1.0 scoped by personas alone; 1.1 also reads the system's terms."""
        return self.methodology != "1.0"


def as_scope(value: Scope | Iterable[str]) -> Scope:
    """A Scope as given, or the personas of a Scope of the current methodology."""
    return value if isinstance(value, Scope) else Scope(personas=value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Answer:
    question: str
    # The chosen option's value in [0, 1]; None means the question was left unanswered.
    value: float | None = None
    na: bool = False


# --- input rules ---------------------------------------------------------------------------


def check_weight(kind: str, ident: str, raw: object) -> float:
    if isinstance(raw, str | bytes):
        raise ScoringInputError(f"{kind} {ident!r}: weight {raw!r} is not a number")
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ScoringInputError(f"{kind} {ident!r}: weight {raw!r} is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise ScoringInputError(f"{kind} {ident!r}: weight must be > 0, got {raw!r}")
    return value


def id_tuple(kind: str, ident: str, field: str, values: object) -> tuple[str, ...]:
    if isinstance(values, str | bytes):
        raise ScoringInputError(f"{kind} {ident!r}: {field} must be a tuple of ids, not a string")
    return tuple(values)  # type: ignore[arg-type]


def answer_value(qid: str, answer: Answer, allow_na: bool) -> float | None:
    """The value a scored answer counts with: None for N/A, NaN for explicitly unanswered."""
    if answer.na:
        if not allow_na:
            raise ScoringInputError(f"question {qid!r} does not allow N/A")
        if answer.value is not None:
            raise ScoringInputError(f"answer for question {qid!r} is both N/A and a value")
        return None
    raw = answer.value
    if raw is None:
        return math.nan  # unanswered, distinct from N/A (None)
    try:
        if isinstance(raw, str | bytes):
            raise TypeError
        value = float(raw)
    except (TypeError, ValueError):
        raise ScoringInputError(f"answer for question {qid!r}: {raw!r} is no number") from None
    if not 0.0 <= value <= 1.0:
        raise ScoringInputError(f"answer for question {qid!r}: value {raw!r} is not in [0, 1]")
    return value


def check_tiers(catalog: Catalog) -> tuple[list[Tier], Tier | None, float]:
    """Tiers sorted by min_score, the gate tier and the critical threshold, all validated."""
    tiers = sorted(catalog.tiers, key=lambda t: (float(t.min_score), t.name))
    by_name: dict[str, Tier] = {}
    for t in tiers:
        if t.name in by_name:
            raise ScoringInputError(f"duplicate tier name {t.name!r}")
        if not math.isfinite(float(t.min_score)):
            raise ScoringInputError(f"tier {t.name!r}: min_score must be a finite number")
        by_name[t.name] = t
    if len({float(t.min_score) for t in tiers}) != len(tiers):
        # Two tiers on one minimum would make the reached tier depend on their order.
        raise ScoringInputError("two tiers share the same min_score")
    gate = None
    if catalog.gate_tier is not None:
        gate = by_name.get(catalog.gate_tier)
        if gate is None:
            raise ScoringInputError(f"gate_tier {catalog.gate_tier!r} is not one of the tiers")
    threshold = float(catalog.critical_threshold)
    if not math.isfinite(threshold):
        raise ScoringInputError("critical_threshold must be a finite number")
    return tiers, gate, threshold


def same_answer(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b or (math.isnan(a) and math.isnan(b))


def normalise_reference(reference: str) -> str:
    """Drop a trailing "@version" so every version of a reference is reported together."""
    reference = reference.strip()
    base, sep, _version = reference.rpartition("@")
    return base if sep and base else reference


def reference_group(reference: str) -> str:
    """The text before the first "-" (e.g. NIST AI RMF "GOVERN"), or the whole reference."""
    reference = normalise_reference(reference)
    head, sep, _rest = reference.partition("-")
    return head if sep and head else reference


# --- outputs ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodeScore:
    id: str
    name: str
    score: float | None
    weight: float
    parent: str | None
    depth: int
    # Share of the overall score this domain carries; None when the domain is N/A.
    effective_weight: float | None
    explanation: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class ControlScore:
    id: str
    name: str
    score: float | None
    weight: float
    critical: bool
    domain: str
    effective_weight: float | None
    answered: int
    scored_questions: int
    explanation: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class RiskScore:
    id: str
    name: str
    category: str
    coverage: float | None
    exposure: float | None
    explanation: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Gap:
    control: str
    points: float
    score: float
    effective_weight: float
    guidance: str
    name: str = ""


class Explanation(NamedTuple):
    terms: tuple[Term, ...]
    formula: str


EXPLAIN_KINDS = (
    "overall",
    "contributions",
    "domain",
    "control",
    "risk",
    "completeness",
    "risks",
    "gaps",
    "tier",
    "path",
    "crosswalk",
)
# A risk whose coverage is below this is highly exposed: the report flags it in words and red.
HIGH_EXPOSURE = 50.0


@dataclass(frozen=True)
class Result:
    overall: float | None
    tier: str | None
    # The tier the overall score reaches before the critical-control gate is applied.
    tier_before_gate: str | None
    gated: bool
    gated_by: tuple[str, ...]
    critical_below_threshold: tuple[str, ...]
    completeness: float | None
    answered: int
    applicable_questions: int
    domains: dict[str, NodeScore]
    controls: dict[str, ControlScore]
    risks: dict[str, RiskScore]
    crosswalk: dict[str, dict[str, float | None]]
    crosswalk_groups: dict[str, dict[str, float | None]]
    gaps: tuple[Gap, ...]
    # Top-level domains, the inputs of the overall score.
    explanation: tuple[Term, ...]
    personas: tuple[str, ...]
    methodology_version: str = METHODOLOGY_VERSION
    # The system terms the scope held (methodology 1.1 on; left out of stored documents
    # when empty, so results of 1.0 and of systems that state nothing store as before).
    components: tuple[str, ...] = ()
    lifecycle_stages: tuple[str, ...] = ()
    actor_access: tuple[str, ...] = ()

    @property
    def scope(self) -> Scope:
        """The scope this result was scored with, so a stored one explains itself."""
        return Scope(
            personas=frozenset(self.personas),
            components=frozenset(self.components),
            lifecycle_stages=frozenset(self.lifecycle_stages),
            actor_access=frozenset(self.actor_access),
            methodology=self.methodology_version,
        )

    def explain(self, kind: str, id: str | None = None) -> Explanation:
        """Terms and formula behind one score (the first figure of its "why" page).

        kind is one of derive_scores.KINDS: "overall", "contributions" and "completeness"
        take no id; "domain", "control" and "risk" do. The other EXPLAIN_KINDS need the
        catalog too: see scorecard.scoring.derive. Raises KeyError for an unknown id and
        ValueError for an unknown kind.
        """
        derivation = derive_scores.derive(self, kind, id)
        return Explanation(derivation.terms, derivation.formula)

    def to_json_scores(self) -> dict[str, Any]:
        """The scores alone, rounded the way they are published; None stands for N/A."""
        return {
            "overall": _round(self.overall),
            "tier": self.tier,
            "gated": self.gated,
            "gated_by": list(self.gated_by),
            "completeness": _round(self.completeness),
            "domains": {k: _round(v.score) for k, v in sorted(self.domains.items())},
            "controls": {k: _round(v.score) for k, v in sorted(self.controls.items())},
            "risks": {k: _round(v.coverage) for k, v in sorted(self.risks.items())},
            "crosswalk": {
                fw: {ref: _round(s) for ref, s in sorted(refs.items())}
                for fw, refs in sorted(self.crosswalk.items())
            },
            "gaps": [{"control": g.control, "points": _round(g.points)} for g in self.gaps],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
