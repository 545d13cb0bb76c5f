"""Derivations of the roadmap's numbers (gap points, "overall after", the number of gaps),
of the path to the next tier and of the tier itself (its minimums and the critical gate)."""

from __future__ import annotations

from . import figures as f
from .derive_scores import Derivation
from .explain import format_score
from .model import Catalog, Result, Term, check_tiers
from .path import overall_after_each_gap, path_to_tier

POINTS_RULE = (
    "gap points = e × (100 − s), where e is the control's share of the overall score as a "
    "fraction of 1 and s its score: what the overall score gains when the control is at 100"
)


def _points_figure(e_share: float, score: float, points: float) -> f.Figure:
    def build(places: int) -> f.Expr:
        return f.times(
            f.fixed(e_share, places + f.SHARE_EXTRA),
            f.sub(f.exact(100), f.fixed(score, places)),
        )

    return f.computed(
        "points", "Gap points", POINTS_RULE, points, format_score(points), build, shares=True
    )


def _running_sum(ident: str, label: str, rule: str, start: float, points, value) -> f.Figure:
    def build(places: int) -> f.Expr:
        return f.add([f.fixed(start, places), *(f.fixed(p, places) for p in points)])

    return f.computed(ident, label, rule, value, format_score(value), build)


def control_gap_figures(result: Result, ident: str) -> tuple[f.Figure, ...]:
    """A control's gap points and, when it is on the roadmap, the overall score after it."""
    control = result.controls[ident]
    if control.score is None or control.effective_weight is None:
        return ()
    ranked = [g.control for g in result.gaps]
    if ident not in ranked:
        # At 100 already: e × (100 − 100) = 0.
        return (_points_figure(control.effective_weight, control.score, 0.0),)
    rank = ranked.index(ident)
    gap = result.gaps[rank]
    after = overall_after_each_gap(result)[rank]
    rule = (
        "overall after = the overall score + the gap points of this control and of every gap "
        f"ranked above it (it is number {rank + 1} of the roadmap; never above 100)"
    )
    return (
        _points_figure(gap.effective_weight, gap.score, gap.points),
        _running_sum(
            "after",
            "Overall score after closing this gap",
            rule,
            result.overall or 0.0,
            [g.points for g in result.gaps[: rank + 1]],
            after,
        ),
    )


def gaps(result: Result) -> Derivation:
    fig = f.counted(
        "count",
        "Gaps",
        "gaps = the scored controls in scope below 100, each adding gap points when fully in "
        "place (listed in roadmap order, largest first)",
        [g.control for g in result.gaps],
    )
    terms = tuple(
        Term(
            g.control,
            "control",
            g.effective_weight,
            g.score,
            True,
            f"number {rank}: +{format_score(g.points)} points",
        )
        for rank, g in enumerate(result.gaps, start=1)
    )
    return Derivation(
        "gaps", terms, (fig,), weight_heading="Share of overall (%)", weight_format="share"
    )


def tier(result: Result, catalog: Catalog) -> Derivation:
    tiers, gate, threshold = check_tiers(catalog)
    figs = [_tier_figure(result, tiers, gate, threshold)]
    figs.append(
        f.stated(
            "threshold",
            "Critical threshold",
            "critical threshold, set in the catalog: a critical control scoring below it caps "
            f"the tier at the gate tier ({gate.name if gate else 'none set'})",
            threshold,
            f.plain(threshold),
            f.CATALOG_ROUNDING,
        )
    )
    for i, t in enumerate(tiers, start=1):
        figs.append(
            f.stated(
                f"min-{i}",
                f"Minimum score of {t.name}",
                f"the overall score {t.name} starts at, set in the catalog",
                float(t.min_score),
                f.plain(float(t.min_score)),
                f.CATALOG_ROUNDING,
            )
        )
    below = set(result.critical_below_threshold)
    terms = tuple(
        Term(
            c.id,
            "control",
            c.weight,
            c.score,
            c.id in below,
            "below the threshold"
            if c.id in below
            else "N/A"
            if c.score is None
            else "at or above the threshold",
        )
        for c in result.controls.values()
        if c.critical
    )
    return Derivation("tier", terms, tuple(figs))


def _tier_figure(result: Result, tiers, gate, threshold: float) -> f.Figure:
    if result.overall is None:
        rule = "Nothing is scored yet, so no tier is reached."
    else:
        reached = [t for t in tiers if t.name == result.tier_before_gate]
        rule = f"The overall score {format_score(result.overall)} reaches " + (
            f"{reached[0].name}, the highest tier whose minimum ({f.plain(reached[0].min_score)}) "
            "it is at or above."
            if reached
            else "no tier: it is below every tier's minimum."
        )
        if result.gated:
            rule += (
                f" Critical controls below {f.plain(threshold)} "
                f"({', '.join(result.gated_by)}) cap it at the gate tier, {gate.name}."
            )
        elif result.critical_below_threshold:
            rule += (
                f" Critical controls are below {f.plain(threshold)}, but the tier reached is "
                "not above the gate tier, so nothing is capped."
            )
    return f.words("tier", "Tier", result.tier or "none", rule)


def path(result: Result, catalog: Catalog) -> Derivation:
    plan = path_to_tier(catalog, result)
    steps = plan.steps
    target = plan.target or "the next tier"
    figs = [
        f.counted(
            "steps",
            f"Steps to {target}",
            f"steps = the controls to improve to reach {target}: the critical controls below "
            "the threshold first, then the largest gaps, up to the first step after which the "
            "tier is reached",
            [s.control for s in steps],
        ),
        f.counted(
            "gate_steps",
            "Steps that clear the gate",
            "steps that clear the gate = the critical controls below the threshold among the "
            "steps (they come first)",
            [s.control for s in steps if s.clears_gate],
        ),
    ]
    for s in steps:
        figs.append(
            _running_sum(
                f"after-{s.rank}",
                f"Overall score after step {s.rank}",
                f"overall after step {s.rank} = the overall score + the gap points of "
                + (f"steps 1 to {s.rank}" if s.rank > 1 else "step 1")
                + " (never above 100)",
                result.overall or 0.0,
                [p.points for p in steps[: s.rank]],
                s.overall_after,
            )
        )
    terms = tuple(
        Term(
            s.control,
            "control",
            s.points,
            s.score,
            True,
            f"step {s.rank}{', clears the gate' if s.clears_gate else ''}; tier after: "
            f"{s.tier_after or 'none'}{' (capped)' if s.gated_after else ''}",
        )
        for s in steps
    )
    return Derivation(
        "path",
        terms,
        tuple(figs),
        weight_heading="Gap points",
        value_heading="Score now",
        weight_format="points",
    )
