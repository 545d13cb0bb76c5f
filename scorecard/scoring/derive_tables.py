"""Derivations of the risk counts, the crosswalk's reference and group scores, and the changes
between two assessments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from . import figures as f
from .derive_scores import Derivation, mean_figure
from .explain import format_delta
from .model import (
    HIGH_EXPOSURE,
    Catalog,
    Result,
    Term,
    normalise_reference,
    reference_group,
)
from .scope import walk_controls


def risks(result: Result) -> Derivation:
    rows = list(result.risks.values())
    exposed = [r.id for r in rows if r.coverage is not None and r.coverage < HIGH_EXPOSURE]
    limit = f.plain(HIGH_EXPOSURE)
    figs = (
        f.counted(
            "exposed",
            "Highly exposed risks",
            f"highly exposed risks = the risks whose coverage is below {limit}",
            exposed,
        ),
        f.counted("total", "Risks", "risks = every risk of the framework", [r.id for r in rows]),
        f.stated(
            "threshold",
            "High exposure below",
            "a risk is highly exposed when its coverage is below this value, a fixed rule of "
            "the methodology",
            HIGH_EXPOSURE,
            limit,
            f.RULE_ROUNDING,
        ),
    )
    terms = tuple(
        Term(
            r.id,
            "risk",
            0.0,
            r.coverage,
            r.id in exposed,
            "no mitigating control is scored"
            if r.coverage is None
            else f"coverage below {limit}"
            if r.id in exposed
            else f"coverage {limit} or more",
        )
        for r in rows
    )
    return Derivation(
        "risks", terms, figs, weight_heading="", value_heading="Coverage", weight_format=""
    )


def _mappings(catalog: Catalog) -> dict[str, tuple[dict[str, list[str]], dict[str, list[str]]]]:
    """scheme -> (reference -> control ids, group -> control ids), as the engine groups them."""
    out: dict[str, tuple[dict[str, list[str]], dict[str, list[str]]]] = {}
    for _, control in walk_controls(catalog):
        for scheme, references in control.mappings:
            refs, groups = out.setdefault(scheme, ({}, {}))
            for raw in references:
                for table, key in (
                    (refs, normalise_reference(raw)),
                    (groups, reference_group(raw)),
                ):
                    ids = table.setdefault(key, [])
                    if control.id not in ids:
                        ids.append(control.id)
    return out


def _control_terms(result: Result, ids: Iterable[str], weights: dict[str, float]) -> list[Term]:
    terms = []
    for cid in sorted(set(ids)):
        c = result.controls.get(cid)
        if c is None:
            terms.append(Term(cid, "control", weights[cid], None, False, "not applicable"))
        else:
            included = c.score is not None
            terms.append(
                Term(cid, "control", c.weight, c.score, included, "included" if included else "N/A")
            )
    return terms


def crosswalk(result: Result, catalog: Catalog) -> Derivation:
    """Each reference's score, and each group's where the scorecard lists groups: when some
    group joins several references (else the groups repeat the references)."""
    figs: list[f.Figure] = []
    mapped: dict[str, list[str]] = {}
    weights = {c.id: c.weight for _, c in walk_controls(catalog)}
    tables = _mappings(catalog)
    for scheme in sorted(result.crosswalk):
        refs, groups = tables.get(scheme, ({}, {}))
        values = result.crosswalk[scheme]
        group_values = result.crosswalk_groups.get(scheme, {})
        parts = [("ref", values, refs)]
        if len(group_values) < len(values):
            parts.append(("group", group_values, groups))
        for prefix, table, members in parts:
            for key, value in table.items():
                ids = members.get(key, [])
                for cid in ids:
                    mapped.setdefault(cid, [])
                    if prefix == "ref" and key not in mapped[cid]:
                        mapped[cid].append(key)
                figs.append(_crosswalk_figure(result, scheme, prefix, key, value, ids, weights))
    terms = tuple(
        replace(t, reason=f"{t.reason}; mapped to {', '.join(mapped[t.id])}")
        for t in _control_terms(result, mapped, weights)
    )
    return Derivation("crosswalk", terms, tuple(figs))


def _crosswalk_figure(result, scheme, prefix, key, value, ids, weights) -> f.Figure:
    what = "reference" if prefix == "ref" else "group"
    return mean_figure(
        f.anchor(prefix, scheme, key),
        f"{scheme} {what} {key}",
        "score",
        f"the applicable controls mapped to {key} that are not N/A (weights from the "
        f"catalog): {', '.join(sorted(ids)) or 'none'}",
        _control_terms(result, ids, weights),
        value,
    )


DELTA_RULE = "change = now − before, each score rounded to 2 decimals first, as the pages show it"
DELTA_ROUNDING = (
    "Both scores are rounded to 2 decimals first, as they are shown, so the change is their "
    "exact difference: nothing else to round."
)


def delta_figure(ident: str, label: str, before: float | None, after: float | None) -> f.Figure:
    shown = format_delta(before, after)
    if before is None or after is None:
        return f.Figure(ident, label, shown, DELTA_RULE, "", "one of the two scores is N/A")
    e = f.sub(f.fixed(after, 2), f.fixed(before, 2))
    return f.Figure(ident, label, shown, DELTA_RULE, e.text, DELTA_ROUNDING, after - before)


def delta(before: Result, after: Result, domain_ids: Iterable[str]) -> Derivation:
    """The change of the overall score and of each domain from ``before`` to ``after``;
    ``domain_ids`` in the order the comparison lists them (a domain only one side has is
    N/A)."""
    figs = [delta_figure("overall", "Change of the overall score", before.overall, after.overall)]
    for did in domain_ids:
        b, a = before.domains.get(did), after.domains.get(did)
        figs.append(
            delta_figure(
                f.anchor("domain", did),
                f"Change of domain {did}",
                b.score if b else None,
                a.score if a else None,
            )
        )
    return Derivation("delta", (), tuple(figs))
