"""The path to the next tier, laid out for the page, the PDF and the exports.

The steps and their order come from scorecard.scoring.path_to_tier; this only adds what a
reader needs next to each control id (its display code, name and domain) and the sentence
the executive summary uses.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from scorecard import scoring
from scorecard.loader import DisplayCodes


@dataclass(frozen=True, slots=True)
class PathRow(scoring.PathStep):
    """A step of the engine's path, with the control's display code for headings."""

    code: str = ""


@dataclass(frozen=True)
class Blocker:
    control: str
    code: str
    name: str
    score: float | None


@dataclass(frozen=True)
class TierPathView:
    status: str
    current: str | None
    target: str | None
    target_min: float | None
    steps: tuple[PathRow, ...]
    blockers: tuple[Blocker, ...]
    gate_tier: str | None
    reason: str

    @property
    def gate_steps(self) -> int:
        return sum(1 for s in self.steps if s.clears_gate)

    @property
    def last(self) -> PathRow | None:
        return self.steps[-1] if self.steps else None


def tier_path(
    catalog: scoring.Catalog, result: scoring.Result, codes: DisplayCodes
) -> TierPathView:
    path = scoring.path_to_tier(catalog, result)
    names = {c.id: c.name for _, c in scoring.walk_controls(catalog)}
    rows = tuple(
        PathRow(**dataclasses.asdict(s), code=codes.control(s.control)) for s in path.steps
    )
    blockers = tuple(
        Blocker(cid, codes.control(cid), names.get(cid, cid), _score(result, cid))
        for cid in path.blockers
    )
    return TierPathView(
        status=path.status,
        current=path.current,
        target=path.target,
        target_min=path.target_min,
        steps=rows,
        blockers=blockers,
        gate_tier=catalog.gate_tier,
        reason=path.reason,
    )


def _score(result: scoring.Result, control_id: str) -> float | None:
    scored = result.controls.get(control_id)
    return scored.score if scored else None


def export_json(view: TierPathView) -> dict:
    return {
        "status": view.status,
        "current_tier": view.current,
        "target_tier": view.target,
        "target_min_score": view.target_min,
        "blocked_by": [b.control for b in view.blockers],
        "steps": [
            {
                "step": s.rank,
                "control": s.control,
                "code": s.code,
                "clears_gate": s.clears_gate,
                "gap_points": round(s.points, 2),
                "overall_after": round(s.overall_after, 2),
                "tier_after": s.tier_after,
            }
            for s in view.steps
        ],
        "reason": view.reason,
    }
