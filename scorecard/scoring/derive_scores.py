"""Derivations of the scores themselves: overall, contributions, domain, control, risk and
completeness, with the weights and shares that go into them.

A derivation is what one "why" page shows: the inputs (terms) and one or more figures, each
with its rule, its arithmetic at the precision the shown number needs (see figures.py) and
its rounding. This module needs nothing but the result, so Result.explain can use it;
derive.py adds the kinds that need the catalog or the roadmap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import figures as f
from .explain import format_score
from .terms import Term

if TYPE_CHECKING:
    from .model import Result

KINDS = ("overall", "contributions", "completeness", "domain", "control", "risk")
WHOLE = ("overall", "contributions", "completeness")  # about the whole assessment: no id


@dataclass(frozen=True)
class Derivation:
    """The inputs and figures of one "why" page.

    The terms table has two number columns; their headings and how to print them (one of
    "weight", "share", "points", "count", "score", "answer" or "" for no column) depend on
    the kind.
    """

    kind: str
    terms: tuple[Term, ...]
    figures: tuple[f.Figure, ...]
    weight_heading: str = "Weight"
    value_heading: str = "Score"
    weight_format: str = "weight"
    value_format: str = "score"

    @property
    def formula(self) -> str:
        return self.figures[0].formula if self.figures else ""

    def figure(self, ident: str) -> f.Figure:
        for fig in self.figures:
            if fig.id == ident:
                return fig
        raise KeyError(ident)


def derive(result: Result, kind: str, ident: str | None = None) -> Derivation:
    """The derivation of one of KINDS; see Result.explain for the errors raised."""
    builders = {
        "overall": _overall,
        "contributions": _contributions,
        "completeness": _completeness,
        "domain": _domain,
        "control": _control,
        "risk": _risk,
    }
    if kind not in builders:
        raise ValueError(f"unknown explanation kind {kind!r}; expected one of {KINDS}")
    if kind in WHOLE:
        return builders[kind](result)
    if ident is None:
        raise ValueError(f"explain({kind!r}) needs an id")
    return builders[kind](result, ident)


# --- shared figures -----------------------------------------------------------------------


def mean_figure(ident: str, label: str, target: str, over: str, terms, value) -> f.Figure:
    """A weighted mean of 0-100 scores with catalog weights: Σ(wᵢ·sᵢ) / Σwᵢ."""
    used = [t for t in terms if t.included]
    rule = f"{target} = Σ(wᵢ·sᵢ) / Σwᵢ over {over}"
    if value is None or not used:
        return f.computed(ident, label, rule, None, f.NA, _none, na_reason="nothing to average")

    def build(places: int) -> f.Expr:
        return f.weighted_mean((f.exact(t.weight), f.fixed(t.value, places)) for t in used)

    return f.computed(ident, label, rule, value, format_score(value), build)


def weight_figure(what: str, weight: float) -> f.Figure:
    return f.stated(
        "weight",
        "Weight",
        f"weight of this {what} among its siblings, as set in the catalog",
        weight,
        f.plain(weight),
        f.CATALOG_ROUNDING,
    )


def share_figure(result: Result, chain: list[tuple[float, list[float]]], eff) -> f.Figure:
    """Share of the overall score (%): 100 × the product, from the top level down, of each
    level's weight over the weights of the siblings that count there."""
    rule = (
        "share = 100 × Π wₖ / Σw, from the top-level domain down to this one: at each level "
        "the weight over the sum of the weights of the siblings that count (applicable, not N/A)"
    )
    if eff is None or not chain:
        return f.from_exact(
            "share",
            "Share of the overall score",
            rule,
            None,
            f.NA,
            None,
            na_reason="it is N/A or out of scope, so it carries no share",
        )
    e = f.exact(100)
    for weight, siblings in chain:
        e = f.over(f.times(e, f.exact(weight)), f.add(f.exact(w) for w in siblings))
    value = 100.0 * eff
    return f.from_exact("share", "Share of the overall score", rule, value, format_score(value), e)


def share_chain(result: Result, kind: str, ident: str) -> list[tuple[float, list[float]]]:
    """(weight, weights of the siblings that count) per level, top level first; empty when
    the node carries no share."""
    levels: list[tuple[float, list[float]]] = []
    while True:
        if kind == "control":
            node = result.controls[ident]
            parent_terms = result.domains[node.domain].explanation
            parent: str | None = node.domain
        else:
            dom = result.domains[ident]
            parent = dom.parent
            parent_terms = result.domains[parent].explanation if parent else result.explanation
            node = dom
        mine = [t for t in parent_terms if t.id == ident and t.kind == kind]
        if not mine or not mine[0].included:
            return []
        levels.append((node.weight, [t.weight for t in parent_terms if t.included]))
        if parent is None:
            return levels[::-1]
        kind, ident = "domain", parent


def _none(_places: int) -> f.Expr:
    return f.Expr("", f.Fraction(0))


# --- kinds ----------------------------------------------------------------------------------


def _overall(result: Result) -> Derivation:
    fig = mean_figure(
        "score",
        "Overall score",
        "overall",
        "the top-level domains that are not N/A",
        result.explanation,
        result.overall,
    )
    return Derivation("overall", result.explanation, (fig,))


def _contributions(result: Result) -> Derivation:
    terms = tuple(
        Term(c.id, "control", c.effective_weight or 0.0, c.score, True, "contributes")
        if c.effective_weight is not None
        else Term(c.id, "control", 0.0, None, False, "N/A")
        for c in result.controls.values()
    )
    used = [t for t in terms if t.included]
    rule = (
        "overall = Σ(eᵢ·sᵢ) over the applicable controls that are not N/A, where eᵢ is the "
        "control's effective weight (the product of its weight shares from the root down)"
    )

    def build(places: int) -> f.Expr:
        return f.add(
            f.times(
                f.fixed(t.weight, places + f.SHARE_EXTRA), f.fixed(t.value, places), spaced=False
            )
            for t in used
        )

    value = result.overall if used else None
    fig = f.computed(
        "score",
        "Overall score",
        rule,
        value,
        format_score(value),
        build,
        shares=True,
        na_reason="no control is scored",
    )
    return Derivation(
        "contributions", terms, (fig,), weight_heading="Effective weight", weight_format="share"
    )


def _domain(result: Result, ident: str) -> Derivation:
    node = result.domains[ident]
    score = mean_figure(
        "score",
        "Domain score",
        "score",
        "the applicable children that are not N/A",
        node.explanation,
        node.score,
    )
    in_scope = f.counted(
        "in_scope",
        "Controls in scope",
        "controls in scope = the domain's own controls (not its subdomains') that apply to "
        "the selected personas",
        [c.id for c in result.controls.values() if c.domain == ident],
    )
    share = share_figure(result, share_chain(result, "domain", ident), node.effective_weight)
    figs = (score, weight_figure("domain", node.weight), share, in_scope)
    return Derivation("domain", node.explanation, figs)


def _control(result: Result, ident: str) -> Derivation:
    """Everything but the gap figures, which derive.py adds (they need the roadmap)."""
    control = result.controls[ident]
    terms = control.explanation
    used = [t for t in terms if t.included]
    rule = (
        "score = 100 × Σ(wᵢ·vᵢ) / Σwᵢ over the scored questions not marked N/A "
        "(an unanswered question counts as 0)"
    )
    e = None
    if used:
        e = f.weighted_mean(
            ((f.exact(t.weight), f.exact(t.value or 0.0)) for t in used), scale=f.exact(100)
        )
    score = f.from_exact(
        "score",
        "Control score",
        rule,
        control.score,
        format_score(control.score),
        e,
        na_reason="no scored question left",
    )
    scored = [t for t in terms if not t.reason.startswith("not scored")]
    answered = f.counted(
        "answered",
        "Answered questions",
        "answered = the scored questions with an answer or marked N/A",
        [t.id for t in scored if t.reason != UNANSWERED],
    )
    questions = f.counted(
        "questions",
        "Scored questions",
        "scored questions = the control's questions of a scored type (text and number "
        "questions collect context and are not scored)",
        [t.id for t in scored],
    )
    share = share_figure(result, share_chain(result, "control", ident), control.effective_weight)
    figs = (score, answered, questions, weight_figure("control", control.weight), share)
    return Derivation(
        "control",
        terms,
        figs,
        value_heading="Answer value (0–1)",
        value_format="answer",
    )


def _risk(result: Result, ident: str) -> Derivation:
    risk = result.risks[ident]
    coverage = mean_figure(
        "coverage",
        "Coverage",
        "coverage",
        "the applicable controls mitigating the risk that are not N/A",
        risk.explanation,
        risk.coverage,
    )

    def build(places: int) -> f.Expr:
        return f.sub(f.exact(100), f.fixed(risk.coverage, places))

    exposure = f.computed(
        "exposure",
        "Exposure",
        "exposure = 100 − coverage",
        risk.exposure,
        format_score(risk.exposure),
        build,
        na_reason="no mitigating control is scored",
    )
    return Derivation("risk", risk.explanation, (coverage, exposure))


def _completeness(result: Result) -> Derivation:
    controls = list(result.controls.values())
    answered = f.add(f.exact(c.answered) for c in controls)
    scored = f.add(f.exact(c.scored_questions) for c in controls)
    e = None
    if result.completeness is not None:
        e = f.over(
            f.times(f.exact(100), f.exact(result.answered)), f.exact(result.applicable_questions)
        )
    figs = (
        f.from_exact(
            "completeness",
            "Completeness",
            "completeness = 100 × answered / scored questions, over the controls in scope "
            "(N/A counts as answered)",
            result.completeness,
            format_score(result.completeness),
            e,
            na_reason="no scored question is in scope",
        ),
        f.Figure(
            "answered",
            "Answered questions",
            str(result.answered),
            "answered = Σ, over the controls in scope, of the scored questions answered or N/A",
            answered.text,
            SUM_OF_COUNTS,
            float(result.answered),
        ),
        f.Figure(
            "questions",
            "Scored questions",
            str(result.applicable_questions),
            "scored questions = Σ, over the controls in scope, of their scored questions",
            scored.text,
            SUM_OF_COUNTS,
            float(result.applicable_questions),
        ),
    )
    terms = tuple(
        Term(c.id, "control", float(c.scored_questions), float(c.answered), True, "in scope")
        for c in controls
    )
    return Derivation(
        "completeness",
        terms,
        figs,
        weight_heading="Scored questions",
        value_heading="Answered",
        weight_format="count",
        value_format="count",
    )


SUM_OF_COUNTS = "A sum of counts: nothing to round."
# The engine's reason for an unanswered scored question (engine.py); it counts as 0.
UNANSWERED = "unanswered (counts as 0)"
