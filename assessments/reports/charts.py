"""Server-made SVG charts, the same markup in the scorecard page and in the PDF.

Pure functions: values in, SVG text out, no Django and no I/O. Every piece of text is escaped
here because templates insert the result as safe markup. Each chart is an image to assistive
technology (role="img", <title>, <desc>, aria-labelledby); the page and the PDF put a data
table next to it carrying the same numbers. Colours are chosen for contrast on white: text at
least 4.5:1, bars and lines at least 3:1 (WCAG 1.4.3 and 1.4.11); states are never told by
colour alone (an exposed risk also says so in words).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from assessments.reports.text_fit import shorten, text_width, wrap
from scorecard.scoring import format_score

INK = "#1b1f24"  # text, 16:1 on white
MUTED = "#4a525b"  # axis labels and notes, 8:1
GRID = "#767f88"  # grid and axis lines, 4:1
TRACK = "#e9ecef"  # empty part of a bar; decorative, the bar itself carries the value
BAR = "#1f5fa8"  # scores, 6.3:1
ALERT = "#b02a37"  # high risk exposure, 6.5:1
PREVIOUS = "#5c636a"  # the earlier assessment in a comparison, 6.4:1
PALETTE = {
    "ink": INK,
    "muted": MUTED,
    "grid": GRID,
    "bar": BAR,
    "alert": ALERT,
    "previous": PREVIOUS,
}

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
TICKS = (0, 25, 50, 75, 100)
# Every chart text is drawn at this size. The PDF scales a 720-unit chart to its 176 mm
# column (665 px), so 12 units print at 8.3 pt, the report's smallest text.
TEXT = 12
LINE = 14  # the distance between two lines of one label
GAP = 8  # between a label and its bar, and a bar and its value
LABEL_LINES = 2


@dataclass(frozen=True)
class Bar:
    """One labelled value on a 0–100 scale; None is N/A and draws no bar."""

    label: str
    value: float | None
    alert: bool = False
    note: str = ""


@dataclass(frozen=True)
class Pair:
    """One label with an earlier and a current value, for comparisons."""

    label: str
    before: float | None
    after: float | None


def _t(text: object) -> str:
    return escape(str(text), quote=True)


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _share(value: float | None) -> float:
    if value is None or not math.isfinite(value):
        return 0.0
    return min(max(value, 0.0), 100.0) / 100.0


def _open(chart_id: str, title: str, desc: str, width: float, height: float) -> list[str]:
    cid = _t(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" font-family="{FONT}" font-size="12" '
        f'fill="{INK}">',
        f'<title id="{cid}-title">{_t(title)}</title>',
        f'<desc id="{cid}-desc">{_t(desc)}</desc>',
    ]


def _empty(chart_id: str, title: str, desc: str) -> str:
    parts = _open(chart_id, title, desc, 480, 40)
    parts.append(f'<text x="8" y="24" fill="{MUTED}">Nothing to chart yet.</text></svg>')
    return "".join(parts)


def _grid(x0: float, span: float, top: float, plot_h: float) -> str:
    """The vertical 0–100 grid lines of a bar chart, labelled below the plot."""
    parts = ['<g class="chart-grid">']
    for tick in TICKS:
        x = x0 + span * tick / 100
        parts.append(
            f'<line x1="{_n(x)}" y1="{_n(top - 4)}" x2="{_n(x)}" y2="{_n(top + plot_h)}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
            f'<text x="{_n(x)}" y="{_n(top + plot_h + 16)}" text-anchor="middle" '
            f'fill="{MUTED}">{tick}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _marker_rows(markers, x0: float, span: float, width: float) -> list[tuple[str, float, int]]:
    """Each threshold's label, its x and the row (0 = top) it is printed in: a label goes
    in the first row where it overlaps no other, so labels never collide however close two
    thresholds are. A label that would run past the right edge ends at its line instead."""
    placed: list[tuple[str, float, int]] = []
    taken: list[list[tuple[float, float]]] = []
    for name, at in markers:
        x = x0 + span * _share(at)
        text = f"{shorten(name, 140, TEXT)} ≥ {_n(at)}"
        w = text_width(text, TEXT)
        left = x + 3 if x + 3 + w <= width else x - 3 - w
        extent = (left - GAP / 2, left + w + GAP / 2)
        row = next(
            (
                r
                for r, spans in enumerate(taken)
                if all(extent[1] < a or extent[0] > b for a, b in spans)
            ),
            len(taken),
        )
        if row == len(taken):
            taken.append([])
        taken[row].append(extent)
        placed.append((text, left, row))
    return placed


def _markers(markers, placed, x0: float, span: float, top: float, bottom: float) -> list[str]:
    """Dashed threshold lines (e.g. tiers) over the plot, their labels in rows above it: a
    line starts below the last row of labels, so no line runs through a label."""
    parts = []
    for (_, at), (text, left, row) in zip(markers, placed, strict=True):
        x = x0 + span * _share(at)
        parts.append(
            f'<line x1="{_n(x)}" y1="{_n(top - 4)}" x2="{_n(x)}" y2="{_n(bottom)}" '
            f'stroke="{INK}" stroke-width="1" stroke-dasharray="3 3"/>'
            f'<text x="{_n(left)}" y="{_n(TEXT + row * LINE)}" fill="{MUTED}">{_t(text)}</text>'
        )
    return parts


def _label(lines: list[str], x: float, first_baseline: float, anchor: str = "end") -> str:
    """One label of one or more lines, as a <text> with a <tspan> per line."""
    spans = "".join(
        f'<tspan x="{_n(x)}" dy="{0 if i == 0 else LINE}">{_t(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{_n(x)}" y="{_n(first_baseline)}" text-anchor="{anchor}">{spans}</text>'


def _label_column(
    labels: Sequence[str], width: float, share: float
) -> tuple[float, list[list[str]]]:
    """How wide the label column is and each label's lines: as wide as the widest label,
    at most `share` of the chart; longer labels wrap over two lines, then shorten."""
    room = width * share
    widest = max((text_width(" ".join(str(t).split()), TEXT) for t in labels), default=0.0)
    label_w = min(max(widest, 40.0), room)
    return label_w, [wrap(t, label_w, TEXT, max_lines=LABEL_LINES) for t in labels]


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    desc: str,
    markers: Sequence[tuple[str, float]] = (),
    width: float = 720.0,
) -> str:
    """Horizontal bars on a 0–100 axis, one row per Bar, with optional vertical markers
    (tier thresholds) labelled above the plot. Labels and values are measured: the label
    column is as wide as its longest label needs (up to 40 % of the chart, wrapping past
    that), the value column as wide as its longest value, and the bars take the rest."""
    if not bars:
        return _empty(chart_id, title, desc)
    label_w, lines = _label_column([b.label for b in bars], width, 0.4)
    values = [format_score(b.value) + (f" · {b.note}" if b.note else "") for b in bars]
    value_w = max(text_width(v, TEXT, bold=b.alert) for v, b in zip(values, bars, strict=True))
    x0 = label_w + GAP
    span = width - x0 - GAP - value_w - 2
    placed = _marker_rows(markers, x0, span, width)
    top = (1 + max(row for _, _, row in placed)) * LINE + 10 if placed else 8.0
    row_h = 26.0 if all(len(ls) == 1 for ls in lines) else 26.0 + LINE
    bar_h = 16.0
    plot_h = row_h * len(bars)
    height = top + plot_h + 26
    parts = _open(chart_id, title, desc, width, height)

    parts.append(_grid(x0, span, top, plot_h))
    for i, (bar, label, value) in enumerate(zip(bars, lines, values, strict=True)):
        y = top + i * row_h + (row_h - bar_h) / 2
        baseline = y + bar_h - 4
        colour = ALERT if bar.alert else BAR
        first = baseline - (len(label) - 1) * LINE / 2
        parts.append(
            _label(label, label_w, first)
            + f'<rect x="{_n(x0)}" y="{_n(y)}" width="{_n(span)}" height="{_n(bar_h)}" '
            f'fill="{TRACK}"/>'
        )
        if bar.value is not None:
            parts.append(
                f'<rect x="{_n(x0)}" y="{_n(y)}" width="{_n(span * _share(bar.value))}" '
                f'height="{_n(bar_h)}" fill="{colour}"/>'
            )
        weight = ' font-weight="bold"' if bar.alert else ""
        parts.append(
            f'<text x="{_n(x0 + span + GAP)}" y="{_n(baseline)}"{weight}>{_t(value)}</text>'
        )

    parts.extend(_markers(markers, placed, x0, span, top, top + plot_h))
    parts.append("</svg>")
    return "".join(parts)


def radar_chart(points: Sequence[Bar], *, chart_id: str, title: str, desc: str) -> str | None:
    """A radar (spider) chart of 0–100 values; None when fewer than three axes make no shape."""
    if len(points) < 3:
        return None
    width, radius = 640.0, 140.0
    cx, cy = width / 2, radius + 44
    height = 2 * radius + 88
    n = len(points)
    parts = _open(chart_id, title, desc, width, height)

    def at(i: int, share: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return cx + radius * share * math.cos(angle), cy + radius * share * math.sin(angle)

    def ring(share: float) -> str:
        return " ".join(f"{_n(x)},{_n(y)}" for x, y in (at(i, share) for i in range(n)))

    parts.append('<g class="chart-grid">')
    for tick in TICKS[1:]:
        parts.append(
            f'<polygon points="{ring(tick / 100)}" fill="none" stroke="{GRID}" '
            f'stroke-width="{1 if tick == 100 else 0.6}"/>'
        )
        x, y = at(0, tick / 100)
        parts.append(f'<text x="{_n(x + 4)}" y="{_n(y + 12)}" fill="{MUTED}">{tick}</text>')
    for i in range(n):
        x, y = at(i, 1.0)
        parts.append(
            f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" stroke="{GRID}" '
            'stroke-width="0.6"/>'
        )
    parts.append("</g>")

    shape = " ".join(
        f"{_n(x)},{_n(y)}" for x, y in (at(i, _share(p.value)) for i, p in enumerate(points))
    )
    parts.append(
        f'<polygon points="{shape}" fill="{BAR}" fill-opacity="0.18" stroke="{BAR}" '
        'stroke-width="2" stroke-linejoin="round"/>'
    )
    for i, point in enumerate(points):
        if point.value is not None:
            x, y = at(i, _share(point.value))
            parts.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{BAR}"/>')

    for i, point in enumerate(points):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        x, y = at(i, 1.0)
        dx, dy = math.cos(angle), math.sin(angle)
        anchor = "start" if dx > 0.3 else "end" if dx < -0.3 else "middle"
        lx = x + 10 * dx
        # The room a label has up to the chart's edge on the side it grows towards.
        room = {"start": width - lx, "end": lx, "middle": 2 * min(lx, width - lx)}[anchor] - 4
        lines = wrap(point.label, room, TEXT, max_lines=LABEL_LINES)
        # Labels above the shape grow upwards, the others downwards; the value comes last.
        below = 14 if dy > 0.5 else 4 if abs(dy) < 0.5 else -4 - len(lines) * LINE
        ly = y + 10 * dy + below
        parts.append(
            _label(lines, lx, ly, anchor).removesuffix("</text>")
            + f'<tspan x="{_n(lx)}" dy="{LINE}" fill="{MUTED}">'
            f"{_t(format_score(point.value))}</tspan></text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def comparison_chart(
    pairs: Sequence[Pair],
    *,
    chart_id: str,
    title: str,
    desc: str,
    legend: tuple[str, str] = ("Previous", "Current"),
    width: float = 720.0,
) -> str:
    """Two bars per label, the earlier value above the current one, with the change in text.
    Labels and values are measured as in bar_chart."""
    if not pairs:
        return _empty(chart_id, title, desc)
    label_w, lines = _label_column([p.label for p in pairs], width, 0.4)
    values = [
        (
            f"{format_score(p.before)} → {format_score(p.after)}",
            f" ({format_delta(p.before, p.after)})",
        )
        for p in pairs
    ]
    value_w = max(text_width(a + b, TEXT) for a, b in values)
    x0 = label_w + GAP
    span = width - x0 - GAP - value_w - 2
    top, bar_h = 30.0, 11.0
    row_h = 34.0 if all(len(ls) == 1 for ls in lines) else 34.0 + LINE / 2
    plot_h = row_h * len(pairs)
    height = top + plot_h + 26
    parts = _open(chart_id, title, desc, width, height)
    lx = x0
    for name, colour in zip(legend, (PREVIOUS, BAR), strict=True):
        name = shorten(name, span / 2 - 24, TEXT)
        parts.append(
            f'<rect x="{_n(lx)}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{_n(lx + 17)}" y="16">{_t(name)}</text>'
        )
        lx += 17 + text_width(name, TEXT) + 24
    parts.append(_grid(x0, span, top, plot_h))
    for i, (pair, label, (change, delta)) in enumerate(zip(pairs, lines, values, strict=True)):
        y = top + i * row_h + (row_h - 2 * bar_h - 2) / 2
        middle = y + bar_h + 4
        parts.append(_label(label, label_w, middle - (len(label) - 1) * LINE / 2))
        for k, (value, colour) in enumerate(((pair.before, PREVIOUS), (pair.after, BAR))):
            by = y + k * (bar_h + 2)
            if value is not None:
                parts.append(
                    f'<rect x="{_n(x0)}" y="{_n(by)}" width="{_n(span * _share(value))}" '
                    f'height="{_n(bar_h)}" fill="{colour}"/>'
                )
        parts.append(
            f'<text x="{_n(x0 + span + GAP)}" y="{_n(middle)}">{_t(change)}'
            f'<tspan fill="{MUTED}">{_t(delta)}</tspan></text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def format_delta(before: float | None, after: float | None) -> str:
    """The change between two scores, signed, through the one score format; "N/A" if either
    side is N/A. Both sides are rounded first so the delta matches the numbers shown."""
    if before is None or after is None:
        return "N/A"
    change = round(float(after), 2) - round(float(before), 2)
    text = format_score(change)
    if text == "0.00":
        return "±0.00"
    return text if text.startswith("-") else f"+{text}"
