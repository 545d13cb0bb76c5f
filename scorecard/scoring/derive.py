"""The derivation of every number a scorecard shows: which inputs, which rule, which arithmetic.

``derive(result, kind, id, catalog)`` answers for one "why" page. The figures of one page
belong together: a control's page explains its score, its answered questions, its weight,
its share of the overall score, its gap points and the overall score after closing it. The
scores are derived in derive_scores.py, the roadmap, the path and the tier in
derive_roadmap.py, the risk counts, the crosswalk and comparisons in derive_tables.py.
"""

from __future__ import annotations

from dataclasses import replace

from . import derive_roadmap, derive_scores, derive_tables
from .derive_scores import Derivation
from .model import Catalog, Result

# The kinds about the whole assessment take no id ("overall" in URLs).
WHOLE = ("overall", "contributions", "completeness", "risks", "gaps", "tier", "path", "crosswalk")
NEEDS_CATALOG = ("tier", "path", "crosswalk")


def derive(
    result: Result, kind: str, ident: str | None = None, catalog: Catalog | None = None
) -> Derivation:
    """The derivation behind one "why" page. Raises KeyError for an unknown id and
    ValueError for an unknown kind, a missing id, or a missing catalog."""
    if kind in derive_scores.KINDS:
        derivation = derive_scores.derive(result, kind, ident)
        if kind == "control":
            gap = derive_roadmap.control_gap_figures(result, ident)
            derivation = replace(derivation, figures=derivation.figures + gap)
        return derivation
    if kind in NEEDS_CATALOG:
        if catalog is None:
            raise ValueError(f"explain({kind!r}) needs the catalog")
        builders = {
            "tier": derive_roadmap.tier,
            "path": derive_roadmap.path,
            "crosswalk": derive_tables.crosswalk,
        }
        return builders[kind](result, catalog)
    if kind == "risks":
        return derive_tables.risks(result)
    if kind == "gaps":
        return derive_roadmap.gaps(result)
    raise ValueError(f"unknown explanation kind {kind!r}")
