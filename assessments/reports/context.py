"""The one context the scorecard page and the PDF are both rendered from.

Everything a reader sees is derived here from one scoring Result (the live score of a draft,
the snapshot of a finalised assessment) and the catalog it was scored against, in catalog
order. Templates only lay it out; numbers pass through format_score in the templates, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from assessments.methodology import methodology_context
from assessments.reports import charts
from assessments.reports.appendix import load_appendix
from assessments.reports.compare import comparison
from assessments.reports.crosswalk_listing import CrosswalkEntry, CrosswalkGroup, listing
from assessments.reports.evidence_claims import claims_context
from assessments.reports.roadmap import tier_path
from assessments.scoring import current_result, latest_snapshot
from assessments.selectors.catalog import SchemeLabels, scheme_labels
from scorecard import scoring
from scorecard.catalog.readable import readable_id
from scorecard.loader import DisplayCodes, load_catalog_and_codes

# A risk whose mitigating controls average below this is flagged as highly exposed.
HIGH_EXPOSURE = scoring.HIGH_EXPOSURE
PAGE_GAPS = 10
# Charts stay readable on one page; every risk is still in the tables.
CHART_RISKS = 20
# The PDF roadmap spells out the next step for the first gaps, as the page does, and ranks
# more in a table; the long tail (each worth less than every gap listed) is in the exports
# and on the page. Twenty more of either would add pages, not decisions, to a board report.
PDF_DETAILED_GAPS = 10
PDF_LISTED_GAPS = 30
METHODOLOGY_TEMPLATE = "assessments/_methodology_body.html"
SCHEME_NAMES = {
    "nist-ai-rmf": "NIST AI RMF",
    "mitre-atlas": "MITRE ATLAS",
    "owasp-top10-llm": "OWASP Top 10 for LLM Applications",
    "iso-42001": "ISO/IEC 42001",
    "eu-ai-act": "EU AI Act",
}


@dataclass(frozen=True)
class ControlRow:
    id: str
    name: str
    in_scope: bool
    score: float | None
    critical: bool
    below_threshold: bool
    weight: float
    effective_weight: float | None
    answered: int
    scored_questions: int
    guidance: str
    code: str = ""


@dataclass(frozen=True)
class DomainRow:
    id: str
    name: str
    depth: int
    score: float | None
    weight: float
    effective_weight: float | None
    controls: tuple[ControlRow, ...]
    code: str = ""

    @property
    def controls_in_scope(self) -> int:
        """The domain's own controls that apply to the selected personas."""
        return sum(1 for c in self.controls if c.in_scope)


@dataclass(frozen=True)
class RiskRow:
    id: str
    name: str
    category: str  # the source id, as exports carry it
    coverage: float | None
    exposure: float | None
    high: bool

    @property
    def category_name(self) -> str:
        return readable_id(self.category)


@dataclass(frozen=True)
class GapRow:
    rank: int
    control: str
    name: str
    domain: str
    critical: bool
    score: float
    points: float
    projected: float
    guidance: str
    code: str = ""


@dataclass(frozen=True)
class CrosswalkTable:
    scheme: str
    name: str
    grouped: bool
    groups: tuple[tuple[str, float | None], ...]
    references: tuple[tuple[str, float | None], ...]
    chart: str | None
    # The page's list: each group with its references (one group per reference when the
    # scheme has no groups), each entry linking to its derivation.
    listing: tuple[CrosswalkGroup, ...] = ()
    # Every reference in order, with its title when the catalog gives one (the PDF's table).
    rows: tuple[CrosswalkEntry, ...] = ()


def build_report_context(
    assessment,
    *,
    result: scoring.Result | None = None,
    compare_with=None,
    for_pdf: bool = False,
    evidence=None,
    with_claims: bool = True,
) -> dict:
    """Context for templates/reports/scorecard.html and templates/reports/pdf/report.html.

    compare_with is another assessment the caller has already access-checked; for_pdf adds
    the appendix (every question, evidence, comments, sign-offs) and every gap. evidence
    is the assessment's answers_with_evidence when the caller has read it already; a page
    that does not show the unevidenced claims passes with_claims=False to skip reading them.
    """
    if result is None:
        result = current_result(assessment)
    catalog, codes = load_catalog_and_codes(assessment.framework)
    context = _summary(assessment, catalog, result, codes)
    context["codes"] = codes
    context["tier_path"] = tier_path(catalog, result, codes)
    # Only a crosswalk shows scheme names and titles; a published version's are cached.
    labels = scheme_labels(assessment.framework) if result.crosswalk else {}
    context.update(_findings(context["domains"], result, for_pdf, labels))
    if with_claims:
        context.update(claims_context(assessment, catalog, codes, result.scope, evidence))
    markers = [(t.name, float(t.min_score)) for t in context["tiers"] if float(t.min_score) > 0]
    context["charts"] = _charts(context["top_domains"], context["risks"], markers, for_pdf)
    if compare_with is not None:
        context["comparison"] = comparison(
            assessment, result, compare_with, current_result(compare_with), catalog, codes
        )
    scored_top = [d for d in context["top_domains"] if d.score is not None]
    if scored_top:
        context["strongest"] = max(scored_top, key=lambda d: d.score)
        context["weakest"] = min(scored_top, key=lambda d: d.score)
    if for_pdf:
        context["appendix"] = load_appendix(assessment, catalog, result, codes)
        if context["methodology_template"]:
            context["methodology"] = methodology_context()
    return context


def _summary(
    assessment, catalog: scoring.Catalog, result: scoring.Result, codes: DisplayCodes
) -> dict:
    """Who and what was assessed, the score, the tiers and the domain tree."""
    framework = assessment.framework
    controls = [control for _, control in scoring.walk_controls(catalog)]
    guidance = {c.id: c.guidance for c in controls}
    names = {c.id: c.name for c in controls}
    domains = _domain_rows(catalog, result, guidance, codes)
    snapshot = latest_snapshot(assessment) if assessment.is_finalised else None
    return {
        "assessment": assessment,
        "organisation": assessment.organisation,
        "framework": framework,
        "result": result,
        "snapshot": snapshot,
        "generated_at": timezone.now(),
        "is_live": snapshot is None,
        "tiers": sorted(catalog.tiers, key=lambda t: float(t.min_score)),
        "critical_threshold": framework.critical_threshold,
        "gated_by": [(cid, names.get(cid, cid)) for cid in result.gated_by],
        "critical_below": [(cid, names.get(cid, cid)) for cid in result.critical_below_threshold],
        "domains": domains,
        "top_domains": [d for d in domains if d.depth == 1],
        "methodology_template": _methodology_template(),
        "methodology_version": result.methodology_version,
    }


def _findings(
    domains: list[DomainRow],
    result: scoring.Result,
    for_pdf: bool,
    labels: dict[str, SchemeLabels] | None = None,
) -> dict:
    """Risks, the gap roadmap (more of it in the PDF) and the crosswalk."""
    risks = _risk_rows(result)
    gaps = _gap_rows(result, domains)
    return {
        "risks": risks,
        "exposed_risks": [r for r in risks if r.high],
        "gaps": gaps[:PDF_DETAILED_GAPS] if for_pdf else gaps[:PAGE_GAPS],
        "more_gaps": gaps[PDF_DETAILED_GAPS:PDF_LISTED_GAPS] if for_pdf else gaps[PAGE_GAPS:],
        "unlisted_gaps": len(gaps[PDF_LISTED_GAPS:]) if for_pdf else 0,
        "risk_categories": sorted(
            {(r.category_name, r.category) for r in risks if r.category}, key=lambda c: c[0]
        ),
        "chart_risks": min(len(risks), CHART_RISKS),
        "gap_count": len(gaps),
        "gap_points": sum(g.points for g in gaps),
        "crosswalk": _crosswalk(result, labels or {}),
        "for_pdf": for_pdf,
        "high_exposure": HIGH_EXPOSURE,
    }


def _control_row(
    control: scoring.Control, result: scoring.Result, guidance: str, code: str = ""
) -> ControlRow:
    scored = result.controls.get(control.id)
    return ControlRow(
        id=control.id,
        name=control.name,
        in_scope=scored is not None,
        score=scored.score if scored else None,
        critical=control.critical,
        below_threshold=bool(
            scored and control.critical and control.id in result.critical_below_threshold
        ),
        weight=control.weight,
        effective_weight=scored.effective_weight if scored else None,
        answered=scored.answered if scored else 0,
        scored_questions=scored.scored_questions if scored else 0,
        guidance=guidance,
        code=code,
    )


def _domain_rows(catalog, result, guidance, codes: DisplayCodes) -> list[DomainRow]:
    rows: list[DomainRow] = []
    for path, domain in scoring.walk_domains(catalog.domains):
        node = result.domains.get(domain.id)
        rows.append(
            DomainRow(
                id=domain.id,
                name=domain.name or (node.name if node else domain.id),
                depth=len(path),
                score=node.score if node else None,
                weight=domain.weight,
                effective_weight=node.effective_weight if node else None,
                controls=tuple(
                    _control_row(c, result, guidance.get(c.id, ""), codes.control(c.id))
                    for c in domain.controls
                ),
                code=codes.domain(domain.id),
            )
        )
    return rows


def _risk_rows(result: scoring.Result) -> list[RiskRow]:
    rows = [
        RiskRow(
            id=r.id,
            name=r.name or r.id,
            category=r.category,
            coverage=r.coverage,
            exposure=r.exposure,
            high=r.coverage is not None and r.coverage < HIGH_EXPOSURE,
        )
        for r in result.risks.values()
    ]
    # Most exposed first; risks no in-scope control mitigates go last.
    rows.sort(key=lambda r: (r.coverage is None, r.coverage or 0.0, r.name))
    return rows


def _gap_rows(result: scoring.Result, domains: list[DomainRow]) -> list[GapRow]:
    domain_of = {c.id: d.name for d in domains for c in d.controls}
    critical = {c.id for d in domains for c in d.controls if c.critical}
    code_of = {c.id: c.code for d in domains for c in d.controls}
    rows = []
    after = scoring.overall_after_each_gap(result)
    for rank, (gap, projected) in enumerate(zip(result.gaps, after, strict=True), start=1):
        rows.append(
            GapRow(
                rank=rank,
                control=gap.control,
                name=gap.name or gap.control,
                domain=domain_of.get(gap.control, ""),
                critical=gap.control in critical,
                score=gap.score,
                points=gap.points,
                projected=projected,
                guidance=gap.guidance,
                code=code_of.get(gap.control, ""),
            )
        )
    return rows


def scheme_name(scheme: str, labels: dict[str, SchemeLabels]) -> str:
    """The name shown for a scheme: ours for the well-known ones, else the catalog's."""
    known = labels.get(scheme)
    return SCHEME_NAMES.get(scheme) or (known.name if known else "") or scheme


def _crosswalk(result: scoring.Result, labels: dict[str, SchemeLabels]) -> list[CrosswalkTable]:
    tables = []
    for scheme in sorted(result.crosswalk):
        refs = tuple(sorted(result.crosswalk[scheme].items(), key=lambda kv: _natural(kv[0])))
        groups = tuple(
            sorted(result.crosswalk_groups.get(scheme, {}).items(), key=lambda kv: kv[0])
        )
        grouped = len(groups) < len(refs)
        name = scheme_name(scheme, labels)
        known = labels.get(scheme, SchemeLabels())
        titles = {key: known.title(key) for key, _ in refs if known.title(key)}
        chart = None
        if grouped:
            chart = mark_safe(  # noqa: S308 - charts.py escapes every text it draws
                charts.bar_chart(
                    [charts.Bar(group, value) for group, value in groups],
                    chart_id=f"chart-crosswalk-{_slug(scheme)}",
                    title=f"{name}: readiness by group",
                    desc=", ".join(f"{g} {scoring.format_score(v)}" for g, v in groups),
                )
            )
        listed = listing(scheme, grouped, groups, refs, titles)
        rows = tuple(
            CrosswalkEntry(
                key, value, scoring.figures.anchor("ref", scheme, key), titles.get(key, "")
            )
            for key, value in refs
        )
        tables.append(CrosswalkTable(scheme, name, grouped, groups, refs, chart, listed, rows))
    return tables


def _natural(text: str) -> tuple:
    # "MAP-2.10" after "MAP-2.9": compare digit runs as numbers.
    parts: list = []
    number = ""
    word = ""
    for ch in text:
        if ch.isdigit():
            if word:
                parts.append((1, word))
                word = ""
            number += ch
        else:
            if number:
                parts.append((0, int(number)))
                number = ""
            word += ch
    if number:
        parts.append((0, int(number)))
    if word:
        parts.append((1, word))
    return tuple(parts)


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower())


def _charts(top: list[DomainRow], risks: list[RiskRow], markers, for_pdf: bool) -> dict:
    fmt = scoring.format_score
    domain_bars = [charts.Bar(f"{d.code} {d.name}".strip(), d.score) for d in top]
    summary = ", ".join(f"{d.name} {fmt(d.score)}" for d in top)
    shown = risks[:CHART_RISKS]
    risk_bars = [
        charts.Bar(r.name, r.coverage, alert=r.high, note="high exposure" if r.high else "")
        for r in shown
    ]
    exposed = sum(1 for r in risks if r.high)
    which = (
        f"the {len(shown)} most exposed of {len(risks)} risks"
        if len(shown) < len(risks)
        else f"{len(risks)} risks, most exposed first"
    )
    radar = charts.radar_chart(
        domain_bars,
        chart_id="chart-radar",
        title="Readiness profile across domains",
        desc=f"Radar chart of domain scores out of 100: {summary}.",
    )
    return {
        "domains": mark_safe(  # noqa: S308 - charts.py escapes every text it draws
            charts.bar_chart(
                domain_bars,
                chart_id="chart-domains",
                title="Readiness score by domain",
                desc=f"Bar chart of domain scores out of 100, with tier thresholds: {summary}.",
                markers=markers,
                # The page sets this chart beside the radar, in half the width the PDF gives
                # it: a narrower drawing keeps its text as large as the rest of the page's.
                width=720.0 if for_pdf else 480.0,
            )
        ),
        "radar": mark_safe(radar) if radar else None,  # noqa: S308 - escaped in charts.py
        "risks": mark_safe(  # noqa: S308 - charts.py escapes every text it draws
            charts.bar_chart(
                risk_bars,
                chart_id="chart-risks",
                title="Risk coverage",
                desc=(
                    f"Coverage of {which} by their mitigating controls; {exposed} of "
                    f"{len(risks)} are below {HIGH_EXPOSURE:g} and marked high exposure."
                ),
            )
        ),
    }


def _methodology_template() -> str | None:
    try:
        get_template(METHODOLOGY_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return METHODOLOGY_TEMPLATE
