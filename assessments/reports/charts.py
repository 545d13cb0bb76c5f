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


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
            f'fill="{MUTED}" font-size="11">{tick}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _markers(markers, x0: float, span: float, bottom: float) -> list[str]:
    """Dashed threshold lines (e.g. tiers), their labels staggered over two rows on top."""
    parts = []
    for j, (name, at) in enumerate(markers):
        x = x0 + span * _share(at)
        label_y = 14 if j % 2 == 0 else 28
        parts.append(
            f'<line x1="{_n(x)}" y1="{_n(label_y + 3)}" x2="{_n(x)}" y2="{_n(bottom)}" '
            f'stroke="{INK}" stroke-width="1" stroke-dasharray="3 3"/>'
            f'<text x="{_n(x + 3)}" y="{_n(label_y)}" fill="{MUTED}" font-size="10">'
            f"{_t(_clip(name, 18))} ≥ {_t(_n(at))}</text>"
        )
    return parts


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    desc: str,
    markers: Sequence[tuple[str, float]] = (),
    label_chars: int = 34,
) -> str:
    """Horizontal bars on a 0–100 axis, one row per Bar, with optional vertical markers
    (tier thresholds) labelled along the top."""
    if not bars:
        return _empty(chart_id, title, desc)
    width, label_w, value_w = 720.0, 220.0, 175.0
    x0 = label_w + 10
    span = width - x0 - value_w
    top = 40.0 if markers else 8.0
    row_h, bar_h = 26.0, 16.0
    plot_h = row_h * len(bars)
    height = top + plot_h + 26
    parts = _open(chart_id, title, desc, width, height)

    parts.append(_grid(x0, span, top, plot_h))
    for i, bar in enumerate(bars):
        y = top + i * row_h + (row_h - bar_h) / 2
        baseline = y + bar_h - 4
        colour = ALERT if bar.alert else BAR
        parts.append(
            f'<text x="{_n(label_w)}" y="{_n(baseline)}" text-anchor="end">'
            f"{_t(_clip(bar.label, label_chars))}</text>"
            f'<rect x="{_n(x0)}" y="{_n(y)}" width="{_n(span)}" height="{_n(bar_h)}" '
            f'fill="{TRACK}"/>'
        )
        if bar.value is not None:
            parts.append(
                f'<rect x="{_n(x0)}" y="{_n(y)}" width="{_n(span * _share(bar.value))}" '
                f'height="{_n(bar_h)}" fill="{colour}"/>'
            )
        value = format_score(bar.value)
        note = f" · {bar.note}" if bar.note else ""
        weight = ' font-weight="bold"' if bar.alert else ""
        parts.append(
            f'<text x="{_n(x0 + span + 8)}" y="{_n(baseline)}"{weight}>{_t(value)}{_t(note)}</text>'
        )

    parts.extend(_markers(markers, x0, span, top + plot_h))
    parts.append("</svg>")
    return "".join(parts)


def radar_chart(
    points: Sequence[Bar], *, chart_id: str, title: str, desc: str, label_chars: int = 26
) -> str | None:
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
        parts.append(
            f'<text x="{_n(x + 4)}" y="{_n(y + 12)}" fill="{MUTED}" font-size="10">{tick}</text>'
        )
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
        lx, ly = x + 10 * dx, y + 10 * dy + (4 if abs(dy) < 0.5 else 14 if dy > 0 else -14)
        parts.append(
            f'<text x="{_n(lx)}" y="{_n(ly)}" text-anchor="{anchor}">'
            f"{_t(_clip(point.label, label_chars))}"
            f'<tspan x="{_n(lx)}" dy="13" fill="{MUTED}" font-size="11">'
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
    label_chars: int = 34,
) -> str:
    """Two bars per label, the earlier value above the current one, with the change in text."""
    if not pairs:
        return _empty(chart_id, title, desc)
    width, label_w, value_w = 720.0, 240.0, 170.0
    x0 = label_w + 10
    span = width - x0 - value_w
    top, row_h, bar_h = 30.0, 34.0, 11.0
    plot_h = row_h * len(pairs)
    height = top + plot_h + 26
    parts = _open(chart_id, title, desc, width, height)
    for k, (name, colour) in enumerate(zip(legend, (PREVIOUS, BAR), strict=True)):
        lx = x0 + k * 150
        parts.append(
            f'<rect x="{_n(lx)}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{_n(lx + 17)}" y="16">{_t(_clip(name, 22))}</text>'
        )
    for tick in TICKS:
        x = x0 + span * tick / 100
        parts.append(
            f'<line x1="{_n(x)}" y1="{_n(top - 4)}" x2="{_n(x)}" y2="{_n(top + plot_h)}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
            f'<text x="{_n(x)}" y="{_n(top + plot_h + 16)}" text-anchor="middle" '
            f'fill="{MUTED}" font-size="11">{tick}</text>'
        )
    for i, pair in enumerate(pairs):
        y = top + i * row_h + (row_h - 2 * bar_h - 2) / 2
        parts.append(
            f'<text x="{_n(label_w)}" y="{_n(y + bar_h + 4)}" text-anchor="end">'
            f"{_t(_clip(pair.label, label_chars))}</text>"
        )
        for k, (value, colour) in enumerate(((pair.before, PREVIOUS), (pair.after, BAR))):
            by = y + k * (bar_h + 2)
            if value is not None:
                parts.append(
                    f'<rect x="{_n(x0)}" y="{_n(by)}" width="{_n(span * _share(value))}" '
                    f'height="{_n(bar_h)}" fill="{colour}"/>'
                )
        parts.append(
            f'<text x="{_n(x0 + span + 8)}" y="{_n(y + bar_h + 4)}">'
            f"{_t(format_score(pair.before))} → {_t(format_score(pair.after))}"
            f'<tspan fill="{MUTED}"> ({_t(format_delta(pair.before, pair.after))})</tspan>'
            "</text>"
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
