"""Chart labels fit the chart: measured against the real font, wrapped between words,
never clipped by the chart's edge, never crossed by a tier line; no text below 12 units
(8.3 pt in the PDF, where a 720-unit chart fills the 176 mm column)."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from assessments.reports import charts
from assessments.reports.text_fit import shorten, text_width, wrap

SVG = "{http://www.w3.org/2000/svg}"
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
LONG_RISKS = [
    "Exhaustion of model serving capacity through crafted request floods",
    "Shared response cache contamination across tenants",
    "Prompt injection attacks",
    "Agent credentials crossing tenant lines",
    "Hardware side-channel leakage",
]
TIERS = [("Developing", 30.0), ("Defined", 55.0), ("Managed", 75.0), ("Optimised", 90.0)]


@functools.cache
def _font():
    # The measure is the font file itself (fontTools comes with WeasyPrint), not the width
    # table in text_fit.py, so a wrong table fails these tests.
    from fontTools.ttLib import TTFont

    for root in FONT_DIRS:
        found = sorted(Path(root).glob("**/DejaVuSans.ttf"))
        if found:
            font = TTFont(found[0])
            return font["head"].unitsPerEm, font.getBestCmap(), font["hmtx"]
    pytest.fail("DejaVu Sans is missing (Debian: fonts-dejavu-core); the PDF needs it too")


def measured(text: str, size: float) -> float:
    units, cmap, metrics = _font()
    return sum(metrics[cmap[ord(ch)]][0] for ch in text) * size / units


def _boxes(svg: str):
    """(left, right, top, bottom, text) of every line of text, from its x, anchor and size."""
    root = ET.fromstring(svg)  # noqa: S314 - our own chart markup
    width = float(root.get("width"))
    default = float(root.get("font-size"))
    out = []
    for text in root.iter(f"{SVG}text"):
        anchor = text.get("text-anchor", "start")
        size = float(text.get("font-size", default))
        x0 = text.get("x")
        lines = [(x0, text.text or "", 0.0)]
        lines += [
            (span.get("x") or x0, span.text or "", float(span.get("dy") or 0)) for span in text
        ]
        y = float(text.get("y"))
        for x, line, dy in lines:
            y += dy
            if not line:
                continue
            w = measured(line, size)
            left = {"start": float(x), "middle": float(x) - w / 2, "end": float(x) - w}[anchor]
            out.append((left, left + w, y - size, y, line, size))
    return width, out


def _label_lines(svg: str) -> list[list[str]]:
    root = ET.fromstring(svg)  # noqa: S314 - our own chart markup
    return [
        [span.text for span in text if span.text]
        for text in root.iter(f"{SVG}text")
        if text.get("text-anchor") == "end" and len(text)
    ]


def test_text_width_matches_the_font_file():
    # "Data" at 12: D 770 + a 613 + t 392 + a 613 thousandths, times 12.
    assert text_width("Data", 12) == pytest.approx(28.656)
    for text in ("Runaway cost abuse", "MCP transport hijacking", "0123456789 · ≥"):
        assert text_width(text, 12) >= measured(text, 12) - 0.01


def test_wrap_breaks_between_words_and_keeps_every_line_in_the_room():
    text = "Exhaustion of model serving capacity through crafted request floods"
    first, second = wrap(text, 200, 12)
    # The first line takes as many words as fit: one more would not.
    assert text.startswith(first) and measured(first, 12) <= 200
    next_word = text[len(first) :].split()[0]
    assert measured(f"{first} {next_word}", 12) > 200
    # The second line is the rest, cut with an ellipsis where 200 units end.
    rest = text[len(first) + 1 :]
    assert second.endswith("…") and rest.startswith(second[:-1]) and measured(second, 12) <= 200
    assert wrap("Prompt injection", 200, 12) == ["Prompt injection"]
    one = wrap("Prompt injection attacks", 100, 12, max_lines=1)
    assert len(one) == 1 and one[0].endswith("…") and measured(one[0], 12) <= 100


def test_shorten_keeps_what_fits_and_adds_an_ellipsis():
    assert shorten("Governance", 200, 12) == "Governance"
    short = shorten("Governance and oversight", 80, 12)
    assert short.endswith("…") and measured(short, 12) <= 80
    assert "Governance and oversight".startswith(short[:-1])


@pytest.mark.parametrize("labels", [LONG_RISKS, ["DAT Data", "GOV Governance"]])
def test_no_bar_chart_text_leaves_the_chart(labels):
    svg = charts.bar_chart(
        [
            charts.Bar(label, 40.0 + i, alert=i % 2 == 0, note="high exposure")
            for i, label in enumerate(labels)
        ],
        chart_id="c",
        title="t",
        desc="d",
        markers=TIERS,
    )
    width, boxes = _boxes(svg)
    assert boxes
    for left, right, _, _, line, size in boxes:
        assert left >= 0 and right <= width, line
        assert size >= 12, line


def test_long_labels_wrap_over_two_lines_between_words():
    svg = charts.bar_chart(
        [charts.Bar(label, 50.0) for label in LONG_RISKS], chart_id="c", title="t", desc="d"
    )
    lines = _label_lines(svg)
    # 40 % of 720 units is the most the label column takes: the longest label wraps there.
    assert ["Exhaustion of model serving capacity through", "crafted request floods"] in lines
    assert ["Prompt injection attacks"] in lines
    for label, shown in zip(LONG_RISKS, lines, strict=True):
        joined = " ".join(shown)
        # Every line ends at a word of the label, or the label is cut there with an ellipsis.
        assert joined == label or (joined.endswith("…") and label.startswith(joined[:-1]))


def test_short_labels_leave_the_width_to_the_bars():
    svg = charts.bar_chart(
        [charts.Bar("DAT Data", 50.0), charts.Bar("GOV Governance", 60.0)],
        chart_id="c",
        title="t",
        desc="d",
    )
    track = re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    x0, span = float(track.group(1)), float(track.group(2))
    # "GOV Governance" needs 103 units and "60.00" 34: the bars get the remaining 560 or so.
    assert x0 < 120 and span > 720 * 0.75


def test_tier_labels_never_overlap_and_no_tier_line_runs_through_a_label():
    close = [("Developing", 30.0), ("Defined", 35.0), ("Managed", 40.0), ("Optimised", 98.0)]
    svg = charts.bar_chart(
        [charts.Bar("DAT Data", 50.0)], chart_id="c", title="t", desc="d", markers=close
    )
    width, boxes = _boxes(svg)
    tiers = [b for b in boxes if "≥" in b[4]]
    assert len(tiers) == 4
    for i, a in enumerate(tiers):
        assert a[0] >= 0 and a[1] <= width
        for b in tiers[i + 1 :]:
            same_row = a[3] == b[3]
            assert not (same_row and a[0] < b[1] and b[0] < a[1]), (a[4], b[4])
    lines = re.findall(
        r'<line x1="([\d.]+)" y1="([\d.]+)" x2="[\d.]+" y2="[\d.]+" stroke="#1b1f24"', svg
    )
    assert len(lines) == 4
    for x, y1 in lines:
        for left, right, _, bottom, line, _ in tiers:
            if left <= float(x) <= right:
                assert float(y1) > bottom, f"the line at {x} crosses {line!r}"


def test_radar_labels_stay_inside_the_chart():
    svg = charts.radar_chart(
        [charts.Bar(label, 50.0) for label in LONG_RISKS], chart_id="r", title="t", desc="d"
    )
    width, boxes = _boxes(svg)
    for left, right, _, _, line, size in boxes:
        assert left >= 0 and right <= width, line
        assert size >= 12, line


def test_comparison_labels_and_changes_stay_inside_the_chart():
    svg = charts.comparison_chart(
        [charts.Pair(label, 40.0, 55.5) for label in LONG_RISKS], chart_id="k", title="t", desc="d"
    )
    width, boxes = _boxes(svg)
    assert any("40.00 → 55.50" in b[4] for b in boxes)
    for left, right, _, _, line, size in boxes:
        assert left >= 0 and right <= width, line
        assert size >= 12, line
