"""The organisation's portfolio: one row per AI system, with the figures of its assessments.

Each row's figures come from one assessment, named on the row (`source`): the system's
latest finalised assessment when it has one, since that is what was reviewed and signed
off, else its latest assessment (a draft, scored live). The trend is the overall score of
every finalised assessment of the system in the order they were finalised.

The whole portfolio costs a constant number of queries, whatever the number of systems:
the systems, their assessments, the sources' results (assessments.scoring.results_for:
one query for the snapshots, one for the drafts' answers) and the finalised assessments'
overall scores (one query reading only that number from each newest snapshot).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assessments.models import AISystem, Assessment, ScoreSnapshot, User
from assessments.scoring import results_for
from scorecard import scoring
from scorecard.catalog.vocabulary import LIFECYCLE_STAGE
from scorecard.loader import load_catalog, load_vocabulary
from scorecard.models import Framework

NOT_STATED = "none"  # the autonomy filter's value for systems without a stated level


@dataclass(frozen=True)
class Filters:
    owner_id: Any = None
    lifecycle_stage: str = ""
    # "" any, NOT_STATED, or a level "0".."5".
    autonomy: str = ""


@dataclass(frozen=True)
class PortfolioRow:
    system: AISystem
    latest: Assessment | None  # the newest assessment by creation
    source: Assessment | None  # the assessment the figures come from
    result: scoring.Result | None
    last_finalised: datetime | None
    trend: tuple[float, ...]  # overall of each finalised assessment, oldest first
    exposure: dict[str, float | None] = field(default_factory=dict)

    @property
    def overall(self) -> float | None:
        return self.result.overall if self.result else None

    @property
    def tier(self) -> str | None:
        return self.result.tier if self.result else None

    @property
    def gated(self) -> bool:
        return bool(self.result and self.result.gated)

    @property
    def gated_by(self) -> tuple[str, ...]:
        return self.result.gated_by if self.result else ()

    @property
    def completeness(self) -> float | None:
        return self.result.completeness if self.result else None

    @property
    def source_is_latest(self) -> bool:
        return self.source is not None and self.latest is not None and self.source == self.latest

    @property
    def delta(self) -> float | None:
        """The change of the overall score between the last two finalised assessments."""
        if len(self.trend) < 2:
            return None
        return self.trend[-1] - self.trend[-2]


@dataclass(frozen=True)
class Portfolio:
    rows: list[PortfolioRow]
    # Every risk category of the sources' catalogs, in catalog order: the heat map columns.
    categories: tuple[str, ...]


_ASSESSMENT_FIELDS = (
    "id",
    "organisation_id",
    "system_id",
    "framework",
    "methodology",
    "title",
    "revision",
    "status",
    "personas",
    "created_at",
    "finalised_at",
)


def portfolio(organisation, filters: Filters = Filters()) -> Portfolio:
    """The organisation's systems that match `filters`, by name."""
    systems = _systems(organisation, filters)
    by_system: dict[Any, list[Assessment]] = defaultdict(list)
    assessments = (
        Assessment.objects.filter(system__in=[s.pk for s in systems])
        .select_related("framework")
        # What the rows, the scope and the live scores read: not the scoping answers.
        .only(*_ASSESSMENT_FIELDS)
        .order_by("created_at", "pk")
    )
    by_pk = {system.pk: system for system in systems}
    for assessment in assessments:
        # The system already read: a draft's live score is scoped by its terms.
        assessment.system = by_pk[assessment.system_id]
        by_system[assessment.system_id].append(assessment)
    picks = {s.pk: _pick(by_system[s.pk]) for s in systems}
    sources = [source for _latest, source in picks.values() if source is not None]
    results = results_for(sources)
    trends = _trends([a for s in systems for a in by_system[s.pk] if a.is_finalised])
    rows, categories = [], {}
    for system in systems:
        latest, source = picks[system.pk]
        result = results.get(source.pk) if source else None
        exposure = {}
        if result is not None:
            exposure = scoring.category_exposure(load_catalog(source.framework), result)
            categories.update(dict.fromkeys(exposure))
        finalised = [a for a in by_system[system.pk] if a.is_finalised]
        rows.append(
            PortfolioRow(
                system=system,
                latest=latest,
                source=source,
                result=result,
                last_finalised=max(
                    (a.finalised_at for a in finalised if a.finalised_at), default=None
                ),
                trend=tuple(trends[a.pk] for a in _by_finalisation(finalised) if a.pk in trends),
                exposure=exposure,
            )
        )
    return Portfolio(rows=rows, categories=tuple(categories))


def _systems(organisation, filters: Filters) -> list[AISystem]:
    systems = AISystem.objects.for_organisation(organisation).select_related("owner")
    if filters.owner_id is not None:
        systems = systems.filter(owner_id=filters.owner_id)
    if filters.autonomy == NOT_STATED:
        systems = systems.filter(autonomy_level__isnull=True)
    elif filters.autonomy:
        systems = systems.filter(autonomy_level=int(filters.autonomy))
    rows = list(systems.order_by("name", "pk"))
    if filters.lifecycle_stage:
        # A list of term ids in a JSON column: SQLite has no "contains" lookup for it.
        rows = [s for s in rows if filters.lifecycle_stage in (s.lifecycle_stages or ())]
    return rows


def _by_finalisation(finalised: list[Assessment]) -> list[Assessment]:
    return sorted(finalised, key=lambda a: (a.finalised_at or a.created_at, a.created_at))


def _pick(assessments: list[Assessment]) -> tuple[Assessment | None, Assessment | None]:
    """(the newest assessment, the one the figures come from) of one system."""
    if not assessments:
        return None, None
    latest = assessments[-1]  # ordered by created_at
    finalised = _by_finalisation([a for a in assessments if a.is_finalised])
    return latest, (finalised[-1] if finalised else latest)


def _trends(finalised: list[Assessment]) -> dict[Any, float]:
    """The overall score of each finalised assessment's newest snapshot (one query).

    Only that number is read from the stored result: the trend needs nothing else, and
    parsing every old result in full would cost more than the rest of the page."""
    if not finalised:
        return {}
    overall: dict[Any, float] = {}
    snapshots = (
        ScoreSnapshot.objects.filter(assessment_id__in=[a.pk for a in finalised])
        .order_by("assessment_id", "-created_at", "-pk")
        .values_list("assessment_id", "result__overall")
    )
    seen = set()
    for assessment_id, value in snapshots:
        if assessment_id in seen:
            continue
        seen.add(assessment_id)
        if isinstance(value, int | float):
            overall[assessment_id] = float(value)
    return overall


def lifecycle_choices(organisation) -> list[tuple[str, str]]:
    """The lifecycle stages of the catalogs the organisation's assessments use (one query,
    plus each catalog's vocabulary when not cached), for the filter."""
    frameworks = Framework.objects.filter(
        pk__in=Assessment.objects.filter(organisation=organisation).values("framework_id")
    ).order_by("name", "version")
    stages: dict[str, str] = {}
    for framework in frameworks:
        for term in load_vocabulary(framework):
            if term.kind == LIFECYCLE_STAGE:
                stages.setdefault(term.id, term.name or term.id)
    return list(stages.items())


def members(organisation):
    """The organisation's members, the owners a system may have (the filter's choices)."""
    return User.objects.filter(memberships__organisation=organisation).order_by("email")
