"""The path to a tier: which controls to improve, in which order, to reach a tier.

A step closes one control's gap: the control is taken to 100. Its gap points are exactly what
the overall score gains (the control's share of the overall times the points it is missing),
so the overall score after a step is the score before it plus the step's points.

The rule, published in the methodology:
1. The gate first. When the target tier lies above the gate tier, every critical control below
   the critical threshold caps the tier, so these controls come first, in roadmap order
   (largest gap points first, ties by control id). Without them no score reaches the target.
2. Then the remaining gaps in roadmap order, largest gap points first.
3. Stop at the first step after which the tier (with the gate applied) is the target or
   higher. Taking the largest gaps first makes the number of steps the smallest possible.

The tier after each step is the tier its overall score reaches, capped at the gate tier while
a critical control not yet improved stays below the threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .engine import BOUNDARY_TOLERANCE
from .model import Catalog, Result, ScoringInputError, Tier, check_tiers

REACHABLE = "reachable"
ALREADY = "already"  # the tier is reached already: no step needed
TOP = "top"  # already at the highest tier: there is no next tier
UNREACHABLE = "unreachable"
NO_TIERS = "no_tiers"


@dataclass(frozen=True, slots=True)
class PathStep:
    rank: int
    control: str
    name: str
    score: float
    points: float
    # A critical control below the threshold: improving it is part of clearing the gate.
    clears_gate: bool
    overall_after: float
    tier_after: str | None
    gated_after: bool


@dataclass(frozen=True)
class TierPath:
    status: str
    current: str | None
    target: str | None
    target_min: float | None
    steps: tuple[PathStep, ...]
    # Critical controls below the threshold that stop the tier rising above the gate tier.
    blockers: tuple[str, ...]
    reason: str

    @property
    def gate_steps(self) -> int:
        return sum(1 for s in self.steps if s.clears_gate)

    @property
    def last(self) -> PathStep | None:
        return self.steps[-1] if self.steps else None


def tier_blockers(catalog: Catalog, result: Result) -> tuple[str, ...]:
    """Critical controls below the threshold that stop the tier rising above the gate tier.

    In roadmap order. Empty without a gate tier, or when no tier lies above the gate tier.
    """
    tiers, gate, _threshold = check_tiers(catalog)
    if gate is None or gate == tiers[-1]:
        return ()
    below = set(result.critical_below_threshold)
    return tuple(g.control for g in result.gaps if g.control in below)


def path_to_tier(catalog: Catalog, result: Result, target: str | None = None) -> TierPath:
    """What it takes to reach tier ``target`` (default: the tier above the current one)."""
    # The threshold itself is not needed: the result lists the controls below it.
    tiers, gate, _threshold = check_tiers(catalog)
    blockers = tier_blockers(catalog, result)
    current = result.tier
    if not tiers:
        # Without tiers no tier is ever reached, so there is no current tier either.
        return TierPath(NO_TIERS, None, None, None, (), blockers, "The framework has no tiers.")
    goal = _target(tiers, current, target)
    if goal is None:
        reason = f"{current} is the highest tier; there is no tier above it."
        return TierPath(TOP, current, None, None, (), blockers, reason)
    goal_min = float(goal.min_score)
    if current is not None and float(_by_name(tiers, current).min_score) >= goal_min:
        reason = f"The tier is {current} already, at or above {goal.name}."
        return TierPath(ALREADY, current, goal.name, goal_min, (), blockers, reason)
    if result.overall is None:
        # No overall score reaches no tier, so there is no current tier either.
        reason = "Nothing is scored yet, so no step can be computed."
        return TierPath(UNREACHABLE, None, goal.name, goal_min, (), blockers, reason)
    steps = _walk(tiers, gate, result, result.overall, goal)
    if not steps or _rank(tiers, steps[-1].tier_after) < _rank(tiers, goal.name):
        # The gap points add up to 100 minus the overall score: with every gap closed, 100.
        reason = (
            f"{goal.name} needs an overall score of {goal_min:g}, more than the 100 that "
            "every control at 100 gives."
        )
        return TierPath(UNREACHABLE, current, goal.name, goal_min, (), blockers, reason)
    return TierPath(REACHABLE, current, goal.name, goal_min, steps, blockers, "")


def _target(tiers: list[Tier], current: str | None, target: str | None) -> Tier | None:
    if target is not None:
        return _by_name(tiers, target)
    if current is None:
        return tiers[0]
    above = tiers[_rank(tiers, current) + 1 :]
    return above[0] if above else None


def _by_name(tiers: list[Tier], name: str) -> Tier:
    for t in tiers:
        if t.name == name:
            return t
    raise ScoringInputError(f"unknown tier {name!r}")


def _rank(tiers: list[Tier], name: str | None) -> int:
    # -1 for "no tier reached", below every tier.
    return -1 if name is None else tiers.index(_by_name(tiers, name))


def _walk(tiers: list[Tier], gate: Tier | None, result: Result, start: float, goal: Tier) -> tuple:
    below = set(result.critical_below_threshold)
    gate_matters = gate is not None and float(goal.min_score) > float(gate.min_score)
    first = [g for g in result.gaps if gate_matters and g.control in below]
    rest = [g for g in result.gaps if g not in first]
    goal_rank = _rank(tiers, goal.name)
    gains: list[float] = [start]
    steps: list[PathStep] = []
    for rank, gap in enumerate(first + rest, start=1):
        gains.append(gap.points)
        below.discard(gap.control)
        # fsum of the rounded points can land a hair above 100; no score is ever above 100.
        overall = min(100.0, math.fsum(gains))
        tier, gated = _capped(tiers, gate, overall, bool(below))
        steps.append(
            PathStep(
                rank=rank,
                control=gap.control,
                name=gap.name or gap.control,
                score=gap.score,
                points=gap.points,
                clears_gate=rank <= len(first),
                overall_after=overall,
                tier_after=tier,
                gated_after=gated,
            )
        )
        if _rank(tiers, tier) >= goal_rank:
            break
    return tuple(steps)


def overall_after_each_gap(result: Result) -> list[float]:
    """The overall score after closing every gap of the roadmap (`result.gaps`, largest first)
    up to and including each one: a running sum of gap points from the overall score, never
    above 100. The gap list on the page and in the exports prints it beside each gap."""
    projected = result.overall or 0.0
    after = []
    for gap in result.gaps:
        projected = min(100.0, projected + gap.points)
        after.append(projected)
    return after


def _capped(
    tiers: list[Tier], gate: Tier | None, overall: float, critical_below: bool
) -> tuple[str | None, bool]:
    """The tier an overall score reaches, capped at the gate while a critical control is low."""
    reached = None
    for t in tiers:
        if overall >= float(t.min_score) - BOUNDARY_TOLERANCE:
            reached = t
    if reached is None:
        return None, False
    if critical_below and gate is not None and float(reached.min_score) > float(gate.min_score):
        return gate.name, True
    return reached.name, False
