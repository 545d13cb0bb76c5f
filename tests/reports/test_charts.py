"""The SVG charts: accessible, escaped, and drawn in colours that meet contrast rules."""

import xml.etree.ElementTree as ET

import pytest

from assessments.reports import charts
from assessments.reports.charts import Bar, Pair

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well formed


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str = "#ffffff") -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_bar_chart_is_an_image_with_its_own_title_and_description():
    svg = charts.bar_chart(
        [Bar("Governance", 62.5), Bar("Security", None)],
        chart_id="c1",
        title="Scores",
        desc="Governance 62.50, Security N/A",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").get("id") == "c1-title"
    assert root.find(f"{SVG}title").text == "Scores"
    assert root.find(f"{SVG}desc").get("id") == "c1-desc"


def test_bar_chart_prints_values_through_format_score_and_draws_no_bar_for_na():
    svg = charts.bar_chart([Bar("A", 63.2749), Bar("B", None)], chart_id="c", title="t", desc="d")
    texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert "63.27" in texts
    assert "N/A" in texts
    filled = [r for r in parse(svg).iter(f"{SVG}rect") if r.get("fill") == charts.BAR]
    assert len(filled) == 1


def test_chart_text_is_escaped():
    nasty = '<script>alert(1)</script><img src="http://evil.example/x.png">'
    for svg in (
        charts.bar_chart([Bar(nasty, 10)], chart_id='x"y', title=nasty, desc=nasty),
        charts.radar_chart([Bar(nasty, 10)] * 3, chart_id="r", title=nasty, desc=nasty),
        charts.comparison_chart([Pair(nasty, 1, 2)], chart_id="p", title=nasty, desc=nasty),
    ):
        assert "<script" not in svg
        assert "<img" not in svg
        root = parse(svg)
        assert not list(root.iter("script"))
        assert root.find(f"{SVG}title").text == nasty


def test_exposed_risks_are_marked_in_words_not_only_colour():
    svg = charts.bar_chart(
        [Bar("Prompt injection", 20, alert=True, note="high exposure")],
        chart_id="r",
        title="t",
        desc="d",
    )
    assert "high exposure" in svg
    assert f'fill="{charts.ALERT}"' in svg


def test_radar_needs_three_axes():
    assert charts.radar_chart([Bar("a", 1), Bar("b", 2)], chart_id="r", title="t", desc="d") is None
    svg = charts.radar_chart(
        [Bar("a", 100), Bar("b", 50), Bar("c", None)], chart_id="r", title="t", desc="d"
    )
    root = parse(svg)
    shape = [p for p in root.iter(f"{SVG}polygon") if p.get("fill") == charts.BAR]
    assert len(shape) == 1
    assert len(shape[0].get("points").split()) == 3
    # One dot per scored axis; the N/A axis sits at the centre without a dot.
    assert len(list(root.iter(f"{SVG}circle"))) == 2


def test_empty_chart_says_so():
    svg = charts.bar_chart([], chart_id="e", title="t", desc="d")
    assert "Nothing to chart" in svg
    parse(svg)


def test_values_outside_the_scale_are_clamped():
    svg = charts.bar_chart([Bar("a", 250.0), Bar("b", -5.0)], chart_id="c", title="t", desc="d")
    bars = [r for r in parse(svg).iter(f"{SVG}rect") if r.get("fill") == charts.BAR]
    track = [r for r in parse(svg).iter(f"{SVG}rect") if r.get("fill") == charts.TRACK][0]
    assert float(bars[0].get("width")) == pytest.approx(float(track.get("width")))
    assert float(bars[1].get("width")) == 0


@pytest.mark.parametrize("name", ["ink", "muted", "bar", "alert", "previous"])
def test_text_and_bar_colours_meet_aa_text_contrast_on_white(name):
    assert contrast(charts.PALETTE[name]) >= 4.5


def test_grid_lines_meet_non_text_contrast_on_white():
    assert contrast(charts.GRID) >= 3.0


def test_bars_stand_out_from_their_track():
    assert contrast(charts.BAR, charts.TRACK) >= 3.0
    assert contrast(charts.ALERT, charts.TRACK) >= 3.0


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (40.0, 63.27, "+23.27"),
        (63.27, 40.0, "-23.27"),
        (50.004, 49.996, "±0.00"),
        (None, 10.0, "N/A"),
        (10.0, None, "N/A"),
        # Rounded first, so the delta matches the two numbers printed beside it.
        (10.004, 20.006, "+10.01"),
    ],
)
def test_format_delta(before, after, expected):
    assert charts.format_delta(before, after) == expected


def test_comparison_chart_shows_both_values_and_the_change():
    svg = charts.comparison_chart(
        [Pair("Data", 40.0, 63.27)], chart_id="cmp", title="t", desc="d", legend=("rev 1", "rev 2")
    )
    text = "".join(parse(svg).itertext())
    assert "40.00 → 63.27" in text
    assert "+23.27" in text
    assert "rev 1" in text and "rev 2" in text
