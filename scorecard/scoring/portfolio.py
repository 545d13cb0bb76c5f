"""Exposure of one result per risk category: the rows of the portfolio's heat map.

A category's exposure is 100 minus the mean coverage of its risks that have a coverage.
Risks without a coverage (no applicable control answered) say nothing either way, so they
are left out of the mean rather than counted as 0; a category none of whose risks has a
coverage has no exposure (None), which the heat map shows as "no data", not as safe.
"""

from __future__ import annotations

from .model import Catalog, Result

UNCATEGORISED = ""


def risk_categories(catalog: Catalog) -> tuple[str, ...]:
    """The catalog's risk categories in the order their first risk appears."""
    return tuple(dict.fromkeys(risk.category or UNCATEGORISED for risk in catalog.risks))


def category_exposure(catalog: Catalog, result: Result) -> dict[str, float | None]:
    """{category: 100 - mean coverage of its covered risks, or None}, in catalog order.

    Coverage is read from the result's RiskScore of each catalog risk; a risk the result
    does not know (scored before the risk was added) counts as having no coverage."""
    coverages: dict[str, list[float]] = {c: [] for c in risk_categories(catalog)}
    for risk in catalog.risks:
        scored = result.risks.get(risk.id)
        if scored is not None and scored.coverage is not None:
            coverages[risk.category or UNCATEGORISED].append(scored.coverage)
    return {
        category: (100.0 - sum(values) / len(values)) if values else None
        for category, values in coverages.items()
    }
