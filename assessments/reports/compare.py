"""Comparing two assessments: overall and per-domain deltas, and the default "previous" one."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When
from django.utils.safestring import mark_safe

from assessments.models import AssessmentStatus
from assessments.reports import charts
from scorecard import scoring
from scorecard.scoring import figures


@dataclass(frozen=True)
class DeltaRow:
    id: str
    name: str
    depth: int
    before: float | None
    after: float | None
    delta: str
    code: str = ""
    # The id of the change's derivation on the comparison's "why" page.
    figure: str = ""


def comparison(assessment, result, other, other_result, catalog, codes=None) -> dict:
    """Deltas per domain and overall between `other` (earlier) and `assessment` (current).

    `codes` (the loader's DisplayCodes of the current catalog) labels the rows; a domain
    only the earlier catalog had shows its id alone."""
    rows = []
    seen = set()
    for path, domain in scoring.walk_domains(catalog.domains):
        before = other_result.domains.get(domain.id)
        after = result.domains.get(domain.id)
        seen.add(domain.id)
        b = before.score if before else None
        a = after.score if after else None
        code = codes.domain(domain.id) if codes else ""
        delta = scoring.format_delta(b, a)
        rows.append(
            DeltaRow(domain.id, domain.name, len(path), b, a, delta, code, delta_figure(domain.id))
        )
    for did, node in sorted(other_result.domains.items()):
        if did not in seen:
            rows.append(
                DeltaRow(did, node.name, node.depth, node.score, None, "N/A", "", delta_figure(did))
            )
    top = [r for r in rows if r.depth == 1 and r.id in result.domains]
    legend = (
        f"{other.title} rev. {other.revision}",
        f"{assessment.title} rev. {assessment.revision}",
    )
    return {
        "other": other,
        "other_result": other_result,
        "overall_before": other_result.overall,
        "overall_after": result.overall,
        "overall_delta": scoring.format_delta(other_result.overall, result.overall),
        "tier_before": other_result.tier,
        "tier_after": result.tier,
        "rows": rows,
        "same_framework": other.framework_id == assessment.framework_id,
        "chart": mark_safe(  # noqa: S308 - charts.py escapes every text it draws
            charts.comparison_chart(
                [charts.Pair(r.name, r.before, r.after) for r in top],
                chart_id="chart-comparison",
                title="Domain scores compared",
                desc="; ".join(
                    f"{r.name}: {scoring.format_score(r.before)} to "
                    f"{scoring.format_score(r.after)} ({r.delta})"
                    for r in top
                ),
                legend=legend,
            )
        ),
    }


def delta_figure(domain_id: str) -> str:
    """The id of a domain's change on the comparison's "why" page."""
    return figures.anchor("domain", domain_id)


def delta_domain_ids(catalog, other_result) -> list[str]:
    """The domains a comparison lists, in its order: the current catalog's, then those only
    the earlier assessment has."""
    ids = [domain.id for _, domain in scoring.walk_domains(catalog.domains)]
    seen = set(ids)
    return ids + [did for did in sorted(other_result.domains) if did not in seen]


def previous_assessment(assessment, visible):
    """The assessment to compare with by default: the revision this one was reopened from,
    else the latest earlier assessment of the same organisation and AI system (finalised
    ones first). `visible` is the queryset of assessments the user may see."""
    if assessment.previous_id:
        found = (
            visible.filter(pk=assessment.previous_id).select_related("framework", "system").first()
        )
        if found is not None:
            return found
    finalised_first = Case(
        When(status=AssessmentStatus.FINALISED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        visible.filter(
            organisation_id=assessment.organisation_id,
            system_id=assessment.system_id,
            created_at__lt=assessment.created_at,
        )
        .exclude(pk=assessment.pk)
        .select_related("framework", "system")
        .order_by(finalised_first, "-created_at")
        .first()
    )
