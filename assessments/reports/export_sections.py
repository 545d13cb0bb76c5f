"""The summary sections of an export: overall, domains, controls, risks, crosswalk, roadmap
and the path to the next tier.

Each section is a list of entries (source id, display code, title) with typed measures, built
from one scoring Result and its catalog without a query. The CSV writer melts them into one
long table (one row per measure); the XLSX writer lays each section out as a sheet. Values
keep their type (score, percent, weight, count, flag, text) so each format renders them its
own way; every score and percent is printed with format_score's two decimals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assessments.reports.context import HIGH_EXPOSURE
from assessments.reports.roadmap import TierPathView, tier_path
from scorecard import scoring
from scorecard.loader import DisplayCodes

SCORE = "score"  # 0-100, two decimals, "N/A" for None
PERCENT = "percent"  # 0-100 meaning a share, two decimals; a percentage cell in XLSX
WEIGHT = "weight"  # a catalog weight, as entered
COUNT = "count"
FLAG = "flag"  # yes / no
TEXT = "text"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold at all.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value):
    """Text a spreadsheet would evaluate is prefixed with an apostrophe; the rest is kept."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def clean_text(value):
    """Text an XLSX cell can hold (no control characters), neutralised."""
    if isinstance(value, str):
        return neutralise(_ILLEGAL_XML.sub("", value))
    return value


@dataclass(frozen=True)
class Entry:
    id: str
    code: str
    title: str
    values: tuple


@dataclass(frozen=True)
class Section:
    key: str  # the CSV "Section" value
    sheet: str  # the XLSX sheet name
    noun: str  # "Domain" gives the columns "Domain ID", "Domain code", "Domain"
    has_codes: bool
    measures: tuple[tuple[str, str], ...]  # (name, kind)
    entries: tuple[Entry, ...]


def summary_sections(
    assessment, catalog: scoring.Catalog, result: scoring.Result, codes: DisplayCodes
) -> list[Section]:
    path = tier_path(catalog, result, codes)
    return [
        overall_section(assessment, catalog, result, path),
        domain_section(catalog, result, codes),
        control_section(catalog, result, codes),
        risk_section(result),
        crosswalk_section(result),
        roadmap_section(catalog, result, codes),
        path_section(path),
    ]


def overall_section(
    assessment, catalog: scoring.Catalog, result: scoring.Result, path: TierPathView
) -> Section:
    names = {c.id: c.name or c.id for _, c in scoring.walk_controls(catalog)}
    framework = assessment.framework
    fields = (
        ("AI system", TEXT, assessment.title),
        ("Organisation", TEXT, assessment.organisation.name),
        ("Framework", TEXT, f"{framework.name} {framework.version}"),
        ("Status", TEXT, assessment.get_status_display()),
        ("Revision", COUNT, assessment.revision),
        ("Overall score", SCORE, result.overall),
        ("Tier", TEXT, result.tier or "N/A"),
        ("Tier before the gate", TEXT, result.tier_before_gate or "N/A"),
        ("Gate tier", TEXT, catalog.gate_tier or ""),
        ("Critical threshold", SCORE, float(catalog.critical_threshold)),
        ("Capped by the gate", FLAG, result.gated),
        ("Capped by", TEXT, ", ".join(result.gated_by)),
        (
            "Critical controls below the threshold",
            TEXT,
            "; ".join(f"{names.get(c, c)} ({c})" for c in result.critical_below_threshold),
        ),
        ("Next tier", TEXT, path.target or "none"),
        ("Path to the next tier", TEXT, path.status),
        ("Path note", TEXT, path.reason),
        ("Completeness (%)", PERCENT, result.completeness),
        ("Answered questions", COUNT, result.answered),
        ("Applicable questions", COUNT, result.applicable_questions),
        ("Methodology version", TEXT, result.methodology_version),
    )
    entries = tuple(Entry("", "", label, (kind, value)) for label, kind, value in fields)
    # One measure per entry: the overall section is a list of labelled values.
    return Section("overall", "Summary", "Field", False, (("Value", "mixed"),), entries)


def domain_section(catalog: scoring.Catalog, result: scoring.Result, codes) -> Section:
    entries = []
    for path, domain in scoring.walk_domains(catalog.domains):
        node = result.domains.get(domain.id)
        eff = node.effective_weight if node else None
        entries.append(
            Entry(
                domain.id,
                codes.domain(domain.id),
                domain.name or domain.id,
                (
                    len(path),
                    node.score if node else None,
                    domain.weight,
                    None if eff is None else 100.0 * eff,
                ),
            )
        )
    measures = (
        ("Level", COUNT),
        ("Score", SCORE),
        ("Weight", WEIGHT),
        ("Share of overall (%)", PERCENT),
    )
    return Section("domain", "Domains", "Domain", True, measures, tuple(entries))


def control_section(catalog: scoring.Catalog, result: scoring.Result, codes) -> Section:
    below = set(result.critical_below_threshold)
    entries = []
    for path, control in scoring.walk_controls(catalog):
        domain = path[-1]
        scored = result.controls.get(control.id)
        eff = scored.effective_weight if scored else None
        entries.append(
            Entry(
                control.id,
                codes.control(control.id),
                control.name or control.id,
                (
                    domain.id,
                    codes.domain(domain.id),
                    scored is not None,
                    bool(control.critical),
                    control.id in below,
                    scored.score if scored else None,
                    control.weight,
                    None if eff is None else 100.0 * eff,
                    scored.answered if scored else 0,
                    scored.scored_questions if scored else 0,
                ),
            )
        )
    measures = (
        ("Domain ID", TEXT),
        ("Domain code", TEXT),
        ("In scope", FLAG),
        ("Critical", FLAG),
        ("Critical below threshold", FLAG),
        ("Score", SCORE),
        ("Weight", WEIGHT),
        ("Share of overall (%)", PERCENT),
        ("Answered", COUNT),
        ("Scored questions", COUNT),
    )
    return Section("control", "Controls", "Control", True, measures, tuple(entries))


def risk_section(result: scoring.Result) -> Section:
    entries = tuple(
        Entry(
            r.id,
            "",
            r.name or r.id,
            (
                r.category,
                r.coverage,
                r.exposure,
                # The page's rule: coverage below HIGH_EXPOSURE.
                r.coverage is not None and r.coverage < HIGH_EXPOSURE,
                ", ".join(t.id for t in r.explanation if t.included),
            ),
        )
        for r in result.risks.values()
    )
    measures = (
        ("Category", TEXT),
        ("Coverage", SCORE),
        ("Exposure", SCORE),
        ("High exposure", FLAG),
        ("Mitigating controls", TEXT),
    )
    return Section("risk", "Risks", "Risk", False, measures, entries)


def crosswalk_section(result: scoring.Result) -> Section:
    entries = []
    for scheme in sorted(result.crosswalk):
        for group, value in sorted(result.crosswalk_groups.get(scheme, {}).items()):
            entries.append(Entry(group, "", group, (scheme, "group", value)))
        for reference, value in sorted(result.crosswalk[scheme].items()):
            entries.append(Entry(reference, "", reference, (scheme, "reference", value)))
    measures = (("Scheme", TEXT), ("Level", TEXT), ("Score", SCORE))
    return Section("crosswalk", "Crosswalk", "Reference", False, measures, tuple(entries))


def roadmap_section(catalog: scoring.Catalog, result: scoring.Result, codes) -> Section:
    """Every gap ranked by points, with the overall after each step; the gate-aware steps
    to the next tier are path_section's."""
    domain_of = {c.id: path[-1] for path, c in scoring.walk_controls(catalog)}
    critical = {c.id for _, c in scoring.walk_controls(catalog) if c.critical}
    entries = []
    after = scoring.overall_after_each_gap(result)
    for rank, (gap, projected) in enumerate(zip(result.gaps, after, strict=True), start=1):
        domain = domain_of.get(gap.control)
        entries.append(
            Entry(
                gap.control,
                codes.control(gap.control),
                gap.name or gap.control,
                (
                    rank,
                    codes.domain(domain.id) if domain else "",
                    domain.name if domain else "",
                    gap.control in critical,
                    gap.score,
                    gap.points,
                    projected,
                    gap.guidance,
                ),
            )
        )
    measures = (
        ("Rank", COUNT),
        ("Domain code", TEXT),
        ("Domain", TEXT),
        ("Critical", FLAG),
        ("Score", SCORE),
        ("Gap points", SCORE),
        ("Overall after", SCORE),
        ("Next step", TEXT),
    )
    return Section("roadmap", "Roadmap", "Control", True, measures, tuple(entries))


def path_section(path: TierPathView) -> Section:
    """The smallest set of steps to the next tier (scoring.path_to_tier), gate steps first."""
    entries = tuple(
        Entry(
            step.control,
            step.code,
            step.name,
            (
                step.rank,
                step.clears_gate,
                step.score,
                step.points,
                step.overall_after,
                step.tier_after or "none",
            ),
        )
        for step in path.steps
    )
    measures = (
        ("Step", COUNT),
        ("Clears the gate", FLAG),
        ("Score now", SCORE),
        ("Gap points", SCORE),
        ("Overall after", SCORE),
        ("Tier after", TEXT),
    )
    return Section("path", "Path to next tier", "Control", True, measures, entries)


def cells(section: Section, entry: Entry) -> list[tuple[str, str, object]]:
    """(measure, kind, value) of one entry; the overall section carries its kind per entry."""
    if section.key == "overall":
        kind, value = entry.values
        return [(entry.title, kind, value)]
    return [
        (name, kind, value)
        for (name, kind), value in zip(section.measures, entry.values, strict=True)
    ]
