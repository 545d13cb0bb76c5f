"""The other catalogs an assessment is compared with on its crosswalk page.

An assessment's own catalog (the source) is compared with the latest published version of
every other framework slug whose mappings share at least one scheme with it (as
scorecard.scoring.crosswalk_catalogs compares schemes: `owasp-llm` is `owasp-top10-llm`).
Drafts are left out: an editor may still be changing one, so its coverage would not hold
still, and nobody can start an assessment on a draft either. Retired versions are left out
too, and so are catalogs that list no risks, since there is nothing of theirs to cover.

Cost: one query for the candidate versions, plus load_catalog's for each candidate not in
its cache yet (published versions are cached per process, so a warm page costs the one
query whatever the catalogs' sizes). A candidate that shares no scheme is still loaded
once, since its schemes are only known from its catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from assessments.models import Assessment
from scorecard import scoring
from scorecard.loader import DisplayCodes, load_catalog, load_catalog_and_codes
from scorecard.models import Framework
from scorecard.scoring.crosswalk_catalogs import (
    CatalogCoverage,
    catalog_schemes,
    crosswalk_catalogs,
)


@dataclass(frozen=True)
class OtherCatalog:
    framework: Framework
    coverage: CatalogCoverage


@dataclass(frozen=True)
class CatalogCrosswalk:
    """What the crosswalk page shows: the source's display codes and each other catalog."""

    source_codes: DisplayCodes
    catalogs: tuple[OtherCatalog, ...]


def latest_published_others(framework: Framework) -> list[Framework]:
    """The newest published version of every slug but `framework`'s own (one query)."""
    rows = (
        Framework.objects.published()
        .exclude(slug=framework.slug)
        .order_by("slug", F("published_at").desc(nulls_last=True), "-pk")
    )
    latest: dict[str, Framework] = {}
    for row in rows:
        latest.setdefault(row.slug, row)
    return list(latest.values())


def catalog_crosswalk(*, assessment: Assessment, result: scoring.Result) -> CatalogCrosswalk:
    """The coverage `result` (the assessment's score) gives each other catalog's risks."""
    source, source_codes = load_catalog_and_codes(assessment.framework)
    own = catalog_schemes(source)
    catalogs = []
    for framework in latest_published_others(assessment.framework):
        target = load_catalog(framework)
        if not target.risks or not own & catalog_schemes(target):
            continue
        coverage = crosswalk_catalogs(target=target, source=source, result=result)
        catalogs.append(OtherCatalog(framework, coverage))
    catalogs.sort(key=lambda c: (c.framework.name.casefold(), c.framework.slug))
    return CatalogCrosswalk(source_codes, tuple(catalogs))
