"""Presentation helpers shared by every consumer of a score.

The UI, the PDF export and the JSON API all print scores through ``format_score`` so a score
can never be shown with two different roundings. Formula strings are only built on demand
(``Result.explain``, derive.py) because scoring a large catalog must not pay for text nobody
reads.
"""

from __future__ import annotations

NA = "N/A"


def format_score(value: float | None) -> str:
    """Render a score the one way every screen shows it: two decimals, or "N/A"."""
    if value is None:
        return NA
    # Rounding first keeps the text identical to the JSON export, which uses round(x, 2);
    # adding 0.0 turns a rounded -0.0 into 0.0 so nothing ever shows "-0.00".
    return f"{round(float(value), 2) + 0.0:.2f}"


def format_delta(before: float | None, after: float | None) -> str:
    """The change between two scores, signed: "+3.21", "-1.00", "±0.00", or "N/A" if either
    side is N/A. Both sides are rounded first, so the change is the difference of the two
    numbers shown."""
    if before is None or after is None:
        return NA
    text = format_score(round(float(after), 2) - round(float(before), 2))
    if text == "0.00":
        return "±0.00"
    return text if text.startswith("-") else f"+{text}"
