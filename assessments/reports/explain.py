""" "Why this score": the inputs, rules and arithmetic behind the numbers of a scorecard.

The derivations come from the engine (scorecard.scoring.derive); this adds what a reader
needs next to each id (display codes, names, question wording and answers) and the headings.
Every figure of a page gets an anchor (``fig-<id>``) the scorecard links to.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assessments.models import Answer
from assessments.reports.compare import delta_domain_ids, delta_figure
from assessments.reports.context import scheme_name
from assessments.selectors.catalog import SchemeLabels, risk_detail, scheme_labels
from scorecard import scoring
from scorecard.loader import DisplayCodes, load_catalog_and_codes
from scorecard.models import Question
from scorecard.scoring import figures
from scorecard.scoring.derive import WHOLE as WHOLE_KINDS
from scorecard.scoring.explain import NA

# The kinds a scorecard links to, one "why" page each.
KINDS = scoring.EXPLAIN_KINDS
WHOLE = "overall"  # the ref of the kinds about the whole assessment
KIND_LABELS = {
    "overall": "Overall score",
    "contributions": "Contributions to the overall score",
    "domain": "Domain",
    "control": "Control",
    "risk": "Risk coverage",
    "completeness": "Completeness",
    "risks": "Risks",
    "gaps": "Roadmap",
    "tier": "Tier",
    "path": "Path to the next tier",
    "crosswalk": "Crosswalk",
    "delta": "Comparison",
}
TITLES = {
    "overall": "Overall score",
    "contributions": "Overall score",
    "completeness": "Completeness",
    "risks": "Risks and their exposure",
    "gaps": "Gaps of the roadmap",
    "tier": "Tier",
    "crosswalk": "Crosswalk to other frameworks",
}
UNITS = {"share": "%", "completeness": "%"}
SCORES = ("overall", "contributions", "domain", "control", "risk")
NO_HEADLINE = ("risks", "path", "crosswalk", "delta")


class UnknownScore(LookupError):
    """No such kind of score, or no such domain, control or risk in this result."""


def anchor(figure_id: str) -> str:
    """The HTML id of a figure on its "why" page, and so the fragment links end with."""
    return f"fig-{figure_id}"


@dataclass(frozen=True)
class TermRow:
    id: str
    kind: str
    label: str
    detail: str
    weight: float
    value: float | None
    value_text: str
    weight_text: str
    included: bool
    reason: str
    link_kind: str | None
    code: str = ""


@dataclass(frozen=True)
class FigureRow:
    anchor: str
    title: str
    shown: str
    unit: str
    rule: str
    arithmetic: str
    rounding: str
    numeric: bool
    formula: str


def explain(assessment, result: scoring.Result, kind: str, ref: str) -> dict:
    """Context for templates/reports/explain.html; raises UnknownScore for a bad kind or ref."""
    if kind not in KINDS:
        raise UnknownScore(kind)
    whole = kind in WHOLE_KINDS
    if whole and ref != WHOLE:
        raise UnknownScore(f"{kind} {ref}")
    catalog, codes = load_catalog_and_codes(assessment.framework)
    try:
        derivation = scoring.derive(result, kind, None if whole else ref, catalog)
    except (KeyError, ValueError):
        raise UnknownScore(f"{kind} {ref}") from None

    names = {d.id: d.name for d in result.domains.values()}
    # Out-of-scope controls are not in the result, but the catalog names them.
    names.update({c.id: c.name for _, c in scoring.walk_controls(catalog)})
    names.update({c.id: c.name for c in result.controls.values()})
    names.update({r.id: r.name for r in result.risks.values()})
    questions: dict[str, str] = {}
    answers: dict[str, str] = {}
    if kind == "control":
        questions, answers = _question_rows(assessment, [t.id for t in derivation.terms])
    rows = [
        _term_row(term, derivation, result, names, questions, answers, codes)
        for term in derivation.terms
    ]
    title, parent = _headline(result, kind, None if whole else ref, codes)
    if kind == "crosswalk":
        derivation = _scheme_names(derivation, result, scheme_labels(assessment.framework))
    context = page_context(kind, ref, title, parent, derivation, rows)
    # A risk page also shows what the catalog says about the risk (one query).
    context["risk"] = risk_detail(assessment.framework_id, ref) if kind == "risk" else None
    return context


def _scheme_names(derivation, result: scoring.Result, known: dict[str, SchemeLabels]):
    """Label the crosswalk's figures with the schemes' names and the references' titles,
    as the scorecard does."""
    labels = {}
    for scheme in result.crosswalk:
        name = scheme_name(scheme, known)
        titled = known.get(scheme, SchemeLabels())
        for key in result.crosswalk[scheme]:
            title = titled.title(key)
            labels[figures.anchor("ref", scheme, key)] = f"{name}: {key}" + (
                f" ({title})" if title else ""
            )
        for key in result.crosswalk_groups.get(scheme, {}):
            labels[figures.anchor("group", scheme, key)] = f"{name}: group {key}"
    relabelled = tuple(replace(f, label=labels.get(f.id, f.label)) for f in derivation.figures)
    return replace(derivation, figures=relabelled)


def page_context(kind: str, ref: str, title: str, parent, derivation, rows) -> dict:
    figs = [_figure_row(kind, fig) for fig in derivation.figures]
    return {
        "kind": kind,
        "ref": ref,
        "kind_label": KIND_LABELS[kind],
        "title": title,
        # Pages of many figures of equal rank have no headline number.
        "headline": figs[0].shown if figs and kind not in NO_HEADLINE else "",
        # "Why Domain 1 scores 58.33", "Why Completeness is 92.59".
        "verb": "scores" if kind in SCORES else "is",
        "headline_unit": figs[0].unit if figs else "",
        "figures": figs,
        "formula": derivation.formula,
        "terms": rows,
        "parent": parent,
        "value_heading": derivation.value_heading,
        "weight_heading": derivation.weight_heading,
    }


def _figure_row(kind: str, fig: scoring.Figure) -> FigureRow:
    unit = UNITS.get(fig.id, "")
    return FigureRow(
        anchor=anchor(fig.id),
        title=fig.label,
        shown=fig.shown,
        unit=unit if fig.shown != NA else "",
        rule=fig.rule,
        arithmetic=fig.arithmetic,
        rounding=fig.rounding,
        numeric=fig.numeric,
        formula=fig.formula,
    )


def _question_rows(assessment, refs: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The wording of a control's questions and their answers as shown (two queries)."""
    questions = dict(
        Question.objects.filter(framework_id=assessment.framework_id, ref__in=refs).values_list(
            "ref", "text"
        )
    )
    answers = {
        row["question__ref"]: "N/A" if row["na"] else row["option_label"]
        for row in Answer.objects.filter(assessment=assessment, question__ref__in=refs).values(
            "question__ref", "option_label", "na"
        )
    }
    return questions, answers


def _term_code(term: scoring.Term, codes: DisplayCodes) -> str:
    lookup = {"question": codes.question, "domain": codes.domain, "control": codes.control}
    return lookup[term.kind](term.id) if term.kind in lookup else ""


def number_text(value: float | None, fmt: str) -> str:
    """A number of the inputs table, printed the way the page that shows it prints it."""
    if fmt == "":
        return ""
    if value is None:
        return NA
    if fmt == "share":
        return f"{scoring.format_score(100.0 * value)} %"
    if fmt == "points":
        return f"+{scoring.format_score(value)}"
    if fmt == "count":
        return str(int(value))
    if fmt in ("weight", "answer"):
        return figures.plain(value)
    return scoring.format_score(value)


def _linkable(term: scoring.Term, derivation, result: scoring.Result) -> str | None:
    """The kind of "why" page the term's score links to (only a score column links)."""
    tables = {"domain": result.domains, "control": result.controls, "risk": result.risks}
    if derivation.value_format != "score" or term.value is None:
        return None
    if term.kind in tables and term.id in tables[term.kind]:
        return term.kind
    return None


def _term_row(term, derivation, result, names, questions, answers, codes) -> TermRow:
    if term.kind == "question":
        label = questions.get(term.id, term.id)
        detail = answers.get(term.id, "") or "not answered"
    else:
        label = names.get(term.id, term.id)
        detail = ""
    return TermRow(
        id=term.id,
        kind=term.kind,
        label=label,
        detail=detail,
        weight=term.weight,
        value=term.value,
        value_text=number_text(term.value, derivation.value_format),
        weight_text=number_text(term.weight, derivation.weight_format),
        included=term.included,
        reason=term.reason,
        link_kind=_linkable(term, derivation, result),
        code=_term_code(term, codes),
    )


def _titled(code: str, name: str, ref: str) -> str:
    # "DAT-3 Name (controlXyz)": the code leads, the source id stays visible.
    return f"{code} {name} ({ref})" if code else f"{name} ({ref})"


def _headline(result: scoring.Result, kind: str, ref: str | None, codes: DisplayCodes):
    """A heading for the page and the (kind, ref) one level up, if any."""
    if kind in TITLES:
        parent = ("overall", WHOLE) if kind == "contributions" else None
        return TITLES[kind], parent
    if kind == "path":
        return "The path to the next tier", ("tier", WHOLE)
    if kind == "domain":
        node = result.domains[ref]
        up = ("domain", node.parent) if node.parent else ("overall", WHOLE)
        return _titled(codes.domain(ref), node.name or node.id, node.id), up
    if kind == "control":
        control = result.controls[ref]
        title = _titled(codes.control(ref), control.name or control.id, control.id)
        return title, ("domain", control.domain)
    risk = result.risks[ref]
    return f"{risk.name or risk.id} ({risk.id})", ("risks", WHOLE)


def explain_delta(assessment, other, result, other_result, catalog, codes) -> dict:
    """Context of the "why" page of a comparison's changes (templates/reports/explain.html)."""
    ids = delta_domain_ids(catalog, other_result)
    derivation = scoring.derive_delta(other_result, result, ids)
    names = {d.id: d.name for _, d in scoring.walk_domains(catalog.domains)}
    names.update({d: n.name for d, n in other_result.domains.items() if d not in names})
    labels = {delta_figure(did): _label(codes.domain(did), names.get(did, did), did) for did in ids}
    relabelled = tuple(replace(f, label=labels.get(f.id, f.label)) for f in derivation.figures)
    title = (
        f"{assessment.title}, revision {assessment.revision}, against {other.title}, "
        f"revision {other.revision}"
    )
    return page_context(
        "delta", str(other.pk), title, None, replace(derivation, figures=relabelled), []
    )


def _label(code: str, name: str, did: str) -> str:
    head = f"{code} {name}" if code else name
    return f"Change of {head} ({did})"
