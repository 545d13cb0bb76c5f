"""Presentation helpers shared by every consumer of a score.

The UI, the PDF export and the JSON API all print scores through ``format_score`` so a score
can never be shown with two different roundings. Formula strings are only built on demand
(``Result.explain``) because scoring a large catalog must not pay for text nobody reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Term

NA = "N/A"


def format_score(value: float | None) -> str:
    """Render a score the one way every screen shows it: two decimals, or "N/A"."""
    if value is None:
        return NA
    # Rounding first keeps the text identical to the JSON export, which uses round(x, 2);
    # adding 0.0 turns a rounded -0.0 into 0.0 so nothing ever shows "-0.00".
    return f"{round(float(value), 2) + 0.0:.2f}"


def _num(value: float) -> str:
    return f"{value:.6g}"


def _sum_text(parts: Sequence[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return "(" + " + ".join(parts) + ")"


def control_formula(terms: Sequence[Term], score: float | None) -> str:
    head = (
        "score = 100 × Σ(wᵢ·vᵢ) / Σwᵢ over the scored questions not marked N/A "
        "(an unanswered question counts as 0)"
    )
    used = [t for t in terms if t.included]
    if score is None or not used:
        return f"{head} = {NA}: no scored question left"
    num = _sum_text([f"{_num(t.weight)}×{_num(t.value or 0.0)}" for t in used])
    den = _sum_text([_num(t.weight) for t in used])
    return f"{head} = 100 × {num} / {den} = {format_score(score)}"


def mean_formula(target: str, over: str, terms: Sequence[Term], score: float | None) -> str:
    head = f"{target} = Σ(wᵢ·sᵢ) / Σwᵢ over {over}"
    used = [t for t in terms if t.included]
    if score is None or not used:
        return f"{head} = {NA}: nothing to average"
    num = _sum_text([f"{_num(t.weight)}×{format_score(t.value)}" for t in used])
    den = _sum_text([_num(t.weight) for t in used])
    return f"{head} = {num} / {den} = {format_score(score)}"


def risk_formula(terms: Sequence[Term], coverage: float | None) -> str:
    text = mean_formula(
        "coverage", "the applicable controls mitigating the risk that are not N/A", terms, coverage
    )
    if coverage is None:
        return f"{text}; exposure = {NA}"
    return f"{text}; exposure = 100 − coverage = {format_score(100.0 - coverage)}"


def contributions_formula(terms: Sequence[Term], overall: float | None) -> str:
    head = (
        "overall = Σ(eᵢ·sᵢ) over the applicable controls that are not N/A, where eᵢ is the "
        "control's effective weight (the product of its weight shares from the root down)"
    )
    used = [t for t in terms if t.included]
    if overall is None or not used:
        return f"{head} = {NA}"
    parts = [f"{_num(t.weight)}×{format_score(t.value)}" for t in used]
    return f"{head} = {' + '.join(parts)} = {format_score(overall)}"
