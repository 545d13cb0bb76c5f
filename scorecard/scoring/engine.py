"""The scoring computation: a catalog, an assessment's answers and its scope make a Result.

Every score is computed internally as a fraction in [0, 1] and multiplied by 100 only when it
is reported: a weighted mean of values that are each <= 1 can then never exceed 1 through
rounding, so scores stay inside [0, 100] and raising an answer can never lower a score.
Every sum goes through math.fsum, which is correctly rounded, so the result is exactly the same
whatever order the catalog, the answers or the scope's ids arrive in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .applicability import NOT_FOR_PERSONAS, control_applies, out_of_scope_reason
from .model import (
    QUESTION_TYPES,
    SCOPE_TERM_KINDS,
    SCORED_TYPES,
    Answer,
    Catalog,
    Control,
    ControlScore,
    Domain,
    Gap,
    NodeScore,
    Result,
    Risk,
    RiskScore,
    Scope,
    ScoringInputError,
    Term,
    answer_value,
    as_scope,
    check_tiers,
    check_weight,
    id_tuple,
    normalise_reference,
    reference_group,
    same_answer,
)

# A score that equals a tier's minimum or the critical threshold in exact arithmetic can land a
# hair either side of it in floating point; this keeps such a score on the boundary's side.
BOUNDARY_TOLERANCE = 1e-9

_TERM_FIELDS = tuple(kind for kind, _, _ in SCOPE_TERM_KINDS)


def score(
    catalog: Catalog,
    answers: Mapping[str, Answer] | Iterable[Answer],
    scope: Scope | Iterable[str] = (),
) -> Result:
    """Score one assessment against a catalog, following the published methodology of the
    scope's version (bare personas: a scope of the current version that states no terms)."""
    return _Scorer(catalog, as_scope(scope)).run(answers)


@dataclass(slots=True)
class _ControlRec:
    control: Control
    domain: str
    weight: float
    applicable: bool
    # Why the control does not apply (the reason its term in the domain's explanation gives).
    out_reason: str = ""
    frac: float | None = None
    eff: float | None = None
    answered: int = 0
    scored: int = 0
    terms: tuple[Term, ...] = ()


@dataclass(slots=True)
class _DomainRec:
    domain: Domain
    parent: str | None
    depth: int
    weight: float
    frac: float | None = None
    eff: float | None = None
    included_weight: float = 0.0
    terms: tuple[Term, ...] = ()


def _wmean(pairs: list[tuple[float, float]]) -> float | None:
    if not pairs:
        return None
    return math.fsum(w * f for w, f in pairs) / math.fsum(w for w, _ in pairs)


def _pct(frac: float | None) -> float | None:
    return None if frac is None else 100.0 * frac


class _Scorer:
    def __init__(self, catalog: Catalog, scope: Scope) -> None:
        self.catalog = catalog
        self.scope = scope
        self.selected = scope.personas
        self.domains: dict[str, _DomainRec] = {}
        self.controls: dict[str, _ControlRec] = {}
        self.questions: dict[str, tuple[str, float, bool]] = {}  # id -> (type, weight, allow_na)
        # Scored answers only: None marks N/A, NaN an explicitly unanswered question.
        self.answers: dict[str, float | None] = {}
        for domain in catalog.domains:
            self._index_domain(domain, None, 1)

    # --- validation and indexing ----------------------------------------------------------

    def _index_domain(self, domain: Domain, parent: str | None, depth: int) -> None:
        if domain.id in self.domains:
            raise ScoringInputError(f"duplicate domain id {domain.id!r}")
        weight = check_weight("domain", domain.id, domain.weight)
        self.domains[domain.id] = _DomainRec(domain, parent, depth, weight)
        for child in domain.domains:
            self._index_domain(child, domain.id, depth + 1)
        for control in domain.controls:
            self._index_control(control, domain.id)

    def _index_control(self, control: Control, domain_id: str) -> None:
        cid = control.id
        if cid in self.controls:
            raise ScoringInputError(f"duplicate control id {cid!r}")
        weight = check_weight("control", cid, control.weight)
        id_tuple("control", cid, "personas", control.personas)
        id_tuple("control", cid, "risks", control.risks)
        for framework, refs in control.mappings:
            id_tuple("control", cid, f"mapping refs for {framework!r}", refs)
        applicable = control_applies(control, self.scope)
        reason = "" if applicable else out_of_scope_reason(control, self.scope)
        self.controls[cid] = _ControlRec(control, domain_id, weight, applicable, reason)
        for q in control.questions:
            if q.id in self.questions:
                raise ScoringInputError(f"duplicate question id {q.id!r}")
            if q.type not in QUESTION_TYPES:
                raise ScoringInputError(f"question {q.id!r}: unknown type {q.type!r}")
            self.questions[q.id] = (
                q.type,
                check_weight("question", q.id, q.weight),
                bool(q.allow_na),
            )

    def _load_answers(self, answers: Mapping[str, Answer] | Iterable[Answer]) -> None:
        if isinstance(answers, Mapping):
            items = []
            for key, answer in answers.items():
                if not isinstance(answer, Answer) or key != answer.question:
                    raise ScoringInputError(
                        f"answers[{key!r}] must be an Answer for question {key!r}, got {answer!r}"
                    )
                items.append(answer)
        else:
            items = list(answers)
        for answer in items:
            qid = answer.question
            meta = self.questions.get(qid)
            if meta is None:
                raise ScoringInputError(f"answer for unknown question {qid!r}")
            qtype, _, allow_na = meta
            if qtype not in SCORED_TYPES:
                continue
            value = answer_value(qid, answer, allow_na)
            if qid in self.answers and not same_answer(self.answers[qid], value):
                # Keeping either one would make the score depend on the answers' order.
                raise ScoringInputError(f"conflicting answers for question {qid!r}")
            self.answers[qid] = value

    # --- aggregation ----------------------------------------------------------------------

    def _score_control(self, rec: _ControlRec) -> None:
        terms: list[Term] = []
        pairs: list[tuple[float, float]] = []
        for q in sorted(rec.control.questions, key=lambda q: q.id):
            qtype, weight, _allow_na = self.questions[q.id]
            if qtype not in SCORED_TYPES:
                terms.append(Term(q.id, "question", weight, None, False, f"not scored ({qtype})"))
                continue
            rec.scored += 1
            value = self.answers.get(q.id, math.nan)
            if value is None:
                rec.answered += 1
                terms.append(Term(q.id, "question", weight, None, False, "N/A"))
            elif math.isnan(value):
                pairs.append((weight, 0.0))
                terms.append(Term(q.id, "question", weight, 0.0, True, "unanswered (counts as 0)"))
            else:
                rec.answered += 1
                pairs.append((weight, value))
                terms.append(Term(q.id, "question", weight, value, True, "answered"))
        rec.frac = _wmean(pairs)
        rec.terms = tuple(terms)

    def _score_domain(self, rec: _DomainRec) -> None:
        terms: list[Term] = []
        pairs: list[tuple[float, float]] = []
        for child in sorted(rec.domain.domains, key=lambda d: d.id):
            sub = self.domains[child.id]
            self._score_domain(sub)
            terms.append(_child_term(sub.domain.id, "domain", sub.weight, sub.frac, True))
            if sub.frac is not None:
                pairs.append((sub.weight, sub.frac))
        for control in sorted(rec.domain.controls, key=lambda c: c.id):
            crec = self.controls[control.id]
            if crec.applicable:
                self._score_control(crec)
            terms.append(
                _child_term(
                    control.id, "control", crec.weight, crec.frac, crec.applicable, crec.out_reason
                )
            )
            if crec.applicable and crec.frac is not None:
                pairs.append((crec.weight, crec.frac))
        rec.frac = _wmean(pairs)
        rec.included_weight = math.fsum(w for w, _ in pairs)
        rec.terms = tuple(terms)

    def _assign_effective(self, rec: _DomainRec, eff: float) -> None:
        # Each child's share is its weight over the weights of the siblings that count.
        rec.eff = eff
        total = rec.included_weight
        for child in rec.domain.domains:
            sub = self.domains[child.id]
            if sub.frac is not None:
                self._assign_effective(sub, eff * sub.weight / total)
        for control in rec.domain.controls:
            crec = self.controls[control.id]
            if crec.applicable and crec.frac is not None:
                crec.eff = eff * crec.weight / total

    def run(self, answers: Mapping[str, Answer] | Iterable[Answer]) -> Result:
        self._load_answers(answers)
        tops = [self.domains[d.id] for d in sorted(self.catalog.domains, key=lambda d: d.id)]
        pairs: list[tuple[float, float]] = []
        overall_terms: list[Term] = []
        for rec in tops:
            self._score_domain(rec)
            overall_terms.append(_child_term(rec.domain.id, "domain", rec.weight, rec.frac, True))
            if rec.frac is not None:
                pairs.append((rec.weight, rec.frac))
        top_weight = math.fsum(w for w, _ in pairs)
        for rec in tops:
            if rec.frac is not None:
                self._assign_effective(rec, rec.weight / top_weight)
        overall = _pct(_wmean(pairs))

        applicable = [self.controls[cid] for cid in sorted(self.controls)]
        applicable = [rec for rec in applicable if rec.applicable]
        scored = sum(rec.scored for rec in applicable)
        answered = sum(rec.answered for rec in applicable)
        tier, before_gate, gated, critical_below = self._tier(overall, applicable)
        crosswalk, groups = self._crosswalk()
        return Result(
            overall=overall,
            tier=tier,
            tier_before_gate=before_gate,
            gated=gated,
            gated_by=critical_below if gated else (),
            critical_below_threshold=critical_below,
            completeness=100.0 * answered / scored if scored else None,
            answered=answered,
            applicable_questions=scored,
            domains={did: self._node(self.domains[did]) for did in sorted(self.domains)},
            controls={rec.control.id: self._control(rec) for rec in applicable},
            risks=self._risks(),
            crosswalk=crosswalk,
            crosswalk_groups=groups,
            gaps=self._gaps(applicable),
            explanation=tuple(overall_terms),
            personas=tuple(sorted(self.selected)),
            methodology_version=self.scope.methodology,
            # Only terms the methodology read are part of the result.
            **{k: tuple(sorted(getattr(self.scope, k))) for k in self._read_term_fields()},
        )

    # --- result parts ---------------------------------------------------------------------

    def _read_term_fields(self) -> tuple[str, ...]:
        return _TERM_FIELDS if self.scope.reads_system_terms else ()

    @staticmethod
    def _node(rec: _DomainRec) -> NodeScore:
        d = rec.domain
        return NodeScore(
            d.id, d.name, _pct(rec.frac), rec.weight, rec.parent, rec.depth, rec.eff, rec.terms
        )

    @staticmethod
    def _control(rec: _ControlRec) -> ControlScore:
        c = rec.control
        return ControlScore(
            id=c.id,
            name=c.name,
            score=_pct(rec.frac),
            weight=rec.weight,
            critical=bool(c.critical),
            domain=rec.domain,
            effective_weight=rec.eff,
            answered=rec.answered,
            scored_questions=rec.scored,
            explanation=rec.terms,
        )

    def _tier(
        self, overall: float | None, applicable: list[_ControlRec]
    ) -> tuple[str | None, str | None, bool, tuple[str, ...]]:
        tiers, gate, threshold = check_tiers(self.catalog)
        reached = None
        if overall is not None:
            for t in tiers:
                if overall >= float(t.min_score) - BOUNDARY_TOLERANCE:
                    reached = t
        critical_below = tuple(
            rec.control.id
            for rec in applicable
            if rec.control.critical
            and rec.frac is not None
            and 100.0 * rec.frac < threshold - BOUNDARY_TOLERANCE
        )
        tier = reached
        gated = False
        if (
            critical_below
            and reached is not None
            and gate is not None
            and float(reached.min_score) > float(gate.min_score)
        ):
            tier, gated = gate, True
        name = None if tier is None else tier.name
        return name, None if reached is None else reached.name, gated, critical_below

    def _mean_of_controls(self, control_ids: Iterable[str]) -> float | None:
        # No sorting needed: fsum makes the mean independent of the set's iteration order.
        pairs = []
        for cid in control_ids:
            rec = self.controls[cid]
            if rec.applicable and rec.frac is not None:
                pairs.append((rec.weight, rec.frac))
        return _pct(_wmean(pairs))

    def _risks(self) -> dict[str, RiskScore]:
        meta: dict[str, Risk] = {}
        for risk in self.catalog.risks:
            if risk.id in meta:
                raise ScoringInputError(f"duplicate risk id {risk.id!r}")
            meta[risk.id] = risk
        mitigated_by: dict[str, set[str]] = {rid: set() for rid in meta}
        for cid, rec in self.controls.items():
            for rid in rec.control.risks:
                mitigated_by.setdefault(rid, set()).add(cid)
        out: dict[str, RiskScore] = {}
        for rid in sorted(mitigated_by):
            coverage = self._mean_of_controls(mitigated_by[rid])
            terms = tuple(
                _child_term(cid, "control", rec.weight, rec.frac, rec.applicable, rec.out_reason)
                for cid in sorted(mitigated_by[rid])
                for rec in (self.controls[cid],)
            )
            risk = meta.get(rid, Risk(rid))
            exposure = None if coverage is None else 100.0 - coverage
            out[rid] = RiskScore(rid, risk.name, risk.category, coverage, exposure, terms)
        return out

    def _crosswalk(self) -> tuple[dict[str, dict[str, float | None]], ...]:
        refs: dict[str, dict[str, set[str]]] = {}
        groups: dict[str, dict[str, set[str]]] = {}
        keys: dict[str, tuple[str, str]] = {}  # the same raw references recur across controls
        for cid, rec in self.controls.items():
            for framework, references in rec.control.mappings:
                for raw in references:
                    key = keys.get(raw)
                    if key is None:
                        key = keys[raw] = (normalise_reference(raw), reference_group(raw))
                    refs.setdefault(framework, {}).setdefault(key[0], set()).add(cid)
                    groups.setdefault(framework, {}).setdefault(key[1], set()).add(cid)

        def scored(table: dict[str, dict[str, set[str]]]) -> dict[str, dict[str, float | None]]:
            return {
                fw: {key: self._mean_of_controls(ids) for key, ids in sorted(table[fw].items())}
                for fw in sorted(table)
            }

        return scored(refs), scored(groups)

    @staticmethod
    def _gaps(applicable: list[_ControlRec]) -> tuple[Gap, ...]:
        gaps = []
        for rec in applicable:
            if rec.frac is None or rec.eff is None:
                continue
            current = 100.0 * rec.frac
            points = rec.eff * (100.0 - current)
            if points > 0:
                c = rec.control
                gaps.append(Gap(c.id, points, current, rec.eff, c.guidance, c.name))
        gaps.sort(key=lambda g: (-g.points, g.control))
        return tuple(gaps)


def _child_term(
    ident: str,
    kind: str,
    weight: float,
    frac: float | None,
    applicable: bool,
    out_reason: str = NOT_FOR_PERSONAS,
) -> Term:
    if not applicable:
        return Term(ident, kind, weight, None, False, out_reason)
    if frac is None:
        return Term(ident, kind, weight, None, False, "N/A")
    return Term(ident, kind, weight, 100.0 * frac, True, "included")
