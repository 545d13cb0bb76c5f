""" "Why this score": the terms and formula behind one number of a scorecard."""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import Answer
from assessments.selectors.catalog import risk_detail
from scorecard import scoring
from scorecard.loader import DisplayCodes, load_catalog_and_codes
from scorecard.models import Question

# The kinds a scorecard links to; "contributions" breaks the overall score down by control.
KINDS = ("overall", "contributions", "domain", "control", "risk")
KIND_LABELS = {
    "overall": "Overall score",
    "contributions": "Contributions to the overall score",
    "domain": "Domain",
    "control": "Control",
    "risk": "Risk coverage",
}


class UnknownScore(LookupError):
    """No such kind of score, or no such domain, control or risk in this result."""


@dataclass(frozen=True)
class TermRow:
    id: str
    kind: str
    label: str
    detail: str
    weight: float
    value: float | None
    value_text: str
    included: bool
    reason: str
    link_kind: str | None
    code: str = ""


def explain(assessment, result: scoring.Result, kind: str, ref: str) -> dict:
    """Context for templates/reports/explain.html; raises UnknownScore for a bad kind or ref."""
    if kind not in KINDS:
        raise UnknownScore(kind)
    target = None if kind in ("overall", "contributions") else ref
    try:
        explanation = result.explain(kind, target)
    except (KeyError, ValueError):
        raise UnknownScore(f"{kind} {ref}") from None

    names = {**{d.id: d.name for d in result.domains.values()}}
    names.update({c.id: c.name for c in result.controls.values()})
    codes = load_catalog_and_codes(assessment.framework)[1]
    questions: dict[str, str] = {}
    answers: dict[str, str] = {}
    if kind == "control":
        questions, answers = _question_rows(assessment, [t.id for t in explanation.terms])
    rows = [_term_row(term, names, questions, answers, codes) for term in explanation.terms]
    score, title, parent = _headline(result, kind, target, codes)
    return {
        "kind": kind,
        "ref": ref,
        "kind_label": KIND_LABELS[kind],
        "title": title,
        "score": score,
        "formula": explanation.formula,
        "terms": rows,
        "parent": parent,
        "value_heading": "Answer value (0–1)" if kind == "control" else "Score",
        "weight_heading": "Effective weight" if kind == "contributions" else "Weight",
        # A risk page also shows what the catalog says about the risk (one query).
        "risk": risk_detail(assessment.framework_id, ref) if kind == "risk" else None,
    }


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


def _term_row(term: scoring.Term, names, questions, answers, codes: DisplayCodes) -> TermRow:
    if term.kind == "question":
        label = questions.get(term.id, term.id)
        detail = answers.get(term.id, "") or "not answered"
        link = None
    else:
        label = names.get(term.id, term.id)
        detail = ""
        link = term.kind if term.kind in ("domain", "control") and term.included else None
    return TermRow(
        id=term.id,
        kind=term.kind,
        label=label,
        detail=detail,
        weight=term.weight,
        value=term.value,
        value_text=scoring.format_score(term.value),
        included=term.included,
        reason=term.reason,
        link_kind=link,
        code=_term_code(term, codes),
    )


def _titled(code: str, name: str, ref: str) -> str:
    # "DAT-3 Name (controlXyz)": the code leads, the source id stays visible.
    return f"{code} {name} ({ref})" if code else f"{name} ({ref})"


def _headline(result: scoring.Result, kind: str, ref: str | None, codes: DisplayCodes):
    """The score explained, a heading for it, and the (kind, ref) one level up, if any."""
    if kind in ("overall", "contributions"):
        parent = ("overall", "overall") if kind == "contributions" else None
        return result.overall, "Overall score", parent
    if kind == "domain":
        node = result.domains[ref]
        up = ("domain", node.parent) if node.parent else ("overall", "overall")
        return node.score, _titled(codes.domain(ref), node.name or node.id, node.id), up
    if kind == "control":
        control = result.controls[ref]
        return (
            control.score,
            _titled(codes.control(ref), control.name or control.id, control.id),
            (
                "domain",
                control.domain,
            ),
        )
    risk = result.risks[ref]
    return risk.coverage, f"{risk.name or risk.id} ({risk.id})", None
