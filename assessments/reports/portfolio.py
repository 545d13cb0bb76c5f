"""What the portfolio page, its exports and its PDF show: the selector's rows as cells.

The heat map's colours are bands of exposure, each with a word, so that a cell always says
its value and its band in text and never by colour alone. The sparkline is a small inline
SVG of the finalised scores with the numbers in its accessible name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from assessments.selectors.portfolio import Portfolio, PortfolioRow
from scorecard.scoring import UNCATEGORISED, format_delta, format_score

# (lowest exposure, css class, word), highest first; "no data" when there is no exposure.
BANDS = (
    (75.0, "heat-severe", "severe"),
    (50.0, "heat-high", "high"),
    (25.0, "heat-moderate", "moderate"),
    (0.0, "heat-low", "low"),
)
NO_DATA = ("heat-none", "no data")
UNCATEGORISED_LABEL = "Uncategorised"
_RISK_MAP_CATEGORY = re.compile(r"risks((?:[A-Z][a-z0-9]*)+)")
# The table columns of the exports, in order (the page shows the same figures).
COLUMNS = (
    "AI system",
    "Owner",
    "Autonomy",
    "Latest assessment",
    "Latest status",
    "Figures from",
    "Overall score",
    "Tier",
    "Gated",
    "Gated by",
    "Completeness (%)",
    "Last finalised",
    "Finalised scores (oldest first)",
    "Change since previous",
)
SCORE_COLUMNS = frozenset({"Overall score", "Completeness (%)", "Change since previous"})


def band(value: float | None) -> tuple[str, str]:
    if value is None:
        return NO_DATA
    for lowest, css, word in BANDS:
        if value >= lowest:
            return css, word
    return BANDS[-1][1:]


def category_label(category: str) -> str:
    """A risk category as a heading. Catalogs give categories as ids only; one in the Risk
    Map's style ("risksRuntimeDataSecurity") reads as words ("Runtime data security")."""
    if category == UNCATEGORISED:
        return UNCATEGORISED_LABEL
    match = _RISK_MAP_CATEGORY.fullmatch(category)
    if match is None:
        return category
    words = re.findall(r"[A-Z][a-z0-9]*", match.group(1))
    return " ".join([words[0], *(word.lower() for word in words[1:])])


@dataclass(frozen=True)
class HeatCell:
    category: str
    value: float | None
    css: str
    word: str

    @property
    def text(self) -> str:
        return "no data" if self.value is None else f"{format_score(self.value)} ({self.word})"


@dataclass(frozen=True)
class RowView:
    row: PortfolioRow
    cells: tuple[HeatCell, ...]

    @property
    def delta_text(self) -> str:
        delta = self.row.delta
        if delta is None:
            return "–"
        return format_delta(self.row.trend[-2], self.row.trend[-1])

    @property
    def trend_text(self) -> str:
        return ", ".join(format_score(v) for v in self.row.trend) or "none finalised"

    @property
    def sparkline(self) -> SafeString:
        return sparkline(self.row.trend, self.row.system.name)


def view(portfolio: Portfolio) -> dict:
    """The template context of the page and the PDF."""
    rows = [
        RowView(
            row,
            tuple(
                HeatCell(c, row.exposure.get(c), *band(row.exposure.get(c)))
                for c in portfolio.categories
            ),
        )
        for row in portfolio.rows
    ]
    return {
        "rows": rows,
        "categories": [(c, category_label(c)) for c in portfolio.categories],
        "bands": [(css, word, lowest) for lowest, css, word in BANDS] + [(*NO_DATA, None)],
    }


def sparkline(trend: tuple[float, ...], name: str, width: int = 96, height: int = 24) -> SafeString:
    """An SVG polyline of the scores (0-100 bottom to top), labelled with the numbers."""
    if not trend:
        return mark_safe('<span class="text-secondary">none finalised</span>')  # noqa: S308
    label = escape(
        f"Finalised scores of {name}, oldest first: " + ", ".join(map(format_score, trend))
    )
    step = width / max(len(trend) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{height - (v / 100) * height:.1f}" for i, v in enumerate(trend)
    )
    return mark_safe(  # noqa: S308 - every text in it is escaped or a number
        f'<svg class="sparkline" role="img" aria-label="{label}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><title>{label}</title>'
        f'<polyline fill="none" stroke="currentColor" stroke-width="2" points="{points}"/></svg>'
    )


def table_rows(portfolio: Portfolio):
    """Each system as values for COLUMNS: scores stay floats (None for none)."""
    for row in portfolio.rows:
        latest, source = row.latest, row.source
        yield [
            row.system.name,
            str(row.system.owner) if row.system.owner else "",
            f"L{row.system.autonomy_level}"
            if row.system.autonomy_level is not None
            else "not stated",
            f"{latest.title} rev. {latest.revision}" if latest else "",
            latest.get_status_display() if latest else "",
            _source_text(row) if source else "",
            row.overall,
            row.tier or "",
            "yes" if row.gated else "no",
            " ".join(row.gated_by),
            row.completeness,
            row.last_finalised.date().isoformat() if row.last_finalised else "",
            " ".join(format_score(v) for v in row.trend),
            row.delta,
        ]


def _source_text(row: PortfolioRow) -> str:
    source = row.source
    kind = "latest finalised" if source.is_finalised else "latest, a draft scored live"
    return f"{source.title} rev. {source.revision} ({kind})"


def heat_rows(portfolio: Portfolio):
    """(system name, [exposure per category]) for the heat map's data sheet."""
    for row in portfolio.rows:
        yield row.system.name, [row.exposure.get(c) for c in portfolio.categories]
