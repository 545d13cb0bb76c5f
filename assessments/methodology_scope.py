"""The methodology page's second worked example: scope read from the AI system (1.1).

As with the first example (assessments/methodology.py), nothing here is typed into the
page: the decisions, their reasons and both overall scores come from the engine when the
page is shown. The same answers are scored under 1.0 and 1.1, so the page shows what the
change of methodology does to one assessment.
"""

from __future__ import annotations

from typing import Any

from scorecard import scoring
from scorecard.scoring import format_score

TERM_NAMES = {
    "componentModelServing": "Model serving",
    "componentOutputHandling": "Output handling",
    "componentTrainingData": "Training data",
    "data-preparation": "Data preparation",
    "deployment": "Deployment",
    "operations": "Operations",
    "retirement": "Retirement",
    "external": "External users",
    "privileged": "Privileged insiders",
}

SYSTEM = scoring.Scope(
    components=frozenset({"componentModelServing", "componentOutputHandling"}),
    lifecycle_stages=frozenset({"deployment", "operations"}),
    actor_access=frozenset({"external"}),
    methodology="1.1",
)


def _control(ident: str, name: str, **terms: Any) -> scoring.Control:
    return scoring.Control(
        ident, name=name, questions=(scoring.Question(f"{ident}.1", "scale"),), **terms
    )


CATALOG = scoring.Catalog(
    domains=(
        scoring.Domain(
            "OPS",
            name="Operations",
            controls=(
                _control(
                    "SCP-1",
                    "Filter model output",
                    components=("componentModelServing", "componentOutputHandling"),
                ),
                _control(
                    "SCP-2",
                    "Record where training data came from",
                    components=("componentTrainingData",),
                    lifecycle_stages=("data-preparation",),
                ),
                _control(
                    "SCP-3", "Respond to incidents", components="none", lifecycle_stages="all"
                ),
                _control("SCP-4", "Review privileged access", actor_access=("privileged",)),
                _control(
                    "SCP-5",
                    "Retire models safely",
                    components=("componentModelServing",),
                    lifecycle_stages=("retirement",),
                ),
            ),
        ),
    ),
)

ANSWERS = (
    scoring.Answer("SCP-1.1", 1.0),
    scoring.Answer("SCP-2.1", 0.0),
    scoring.Answer("SCP-3.1", 0.5),
    scoring.Answer("SCP-4.1", 0.0),
    scoring.Answer("SCP-5.1", 0.0),
)


def _terms(refs: scoring.TermRefs) -> str:
    if isinstance(refs, str):
        return refs
    return ", ".join(TERM_NAMES[ref] for ref in refs) or "not stated"


def scope_example() -> dict[str, Any]:
    """The system, each control with its terms, decision and reason, and both scores."""
    old = scoring.score(CATALOG, ANSWERS, scoring.Scope(methodology="1.0"))
    new = scoring.score(CATALOG, ANSWERS, SYSTEM)
    answers = {a.question: a.value for a in ANSWERS}
    controls = []
    for _, control in scoring.walk_controls(CATALOG):
        decision = scoring.applicability(control, SYSTEM)
        controls.append(
            {
                "id": control.id,
                "name": control.name,
                "components": _terms(control.components),
                "lifecycle_stages": _terms(control.lifecycle_stages),
                "actor_access": _terms(control.actor_access),
                "answer": f"{answers[control.questions[0].id]:g}",
                "applies": decision.applies,
                "reason": decision.describe(TERM_NAMES),
            }
        )
    return {
        "system": {
            kind: ", ".join(sorted(TERM_NAMES[ref] for ref in getattr(SYSTEM, kind)))
            for kind, _, _ in scoring.SCOPE_TERM_KINDS
        },
        "controls": controls,
        "overall_1_0": format_score(old.overall),
        "formula_1_0": old.explain("overall").formula,
        "overall_1_1": format_score(new.overall),
        "formula_1_1": new.explain("domain", "OPS").formula,
        "in_1_1": len(new.controls),
        "total": len(controls),
    }
