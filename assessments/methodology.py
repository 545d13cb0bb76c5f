"""The methodology's worked example, scored by the engine itself.

The example's numbers are never typed into a template: they are computed by the same
``scoring.score`` every assessment uses, at render time, so the text cannot drift from the
code. ``methodology_context()`` feeds ``assessments/_methodology_body.html`` on the public
methodology page and in the PDF scorecard's appendix; it lives outside the views so that
the report code does not depend on a view module.
"""

from __future__ import annotations

import math
from typing import Any

from assessments.methodology_scope import scope_example
from scorecard import scoring
from scorecard.catalog import autonomy
from scorecard.scoring import format_score
from scorecard.scoring.crosswalk_catalogs import SCHEME_ALIASES, reference_key

EXAMPLE_SCALE = {
    0.0: "Not started",
    0.25: "Ad hoc",
    0.5: "Partial",
    0.75: "Established",
    1.0: "Optimised",
}
EXAMPLE_PERSONAS = ("personaDeployer",)
# What the example's persona ids are called in its text: the report prints names, not ids.
EXAMPLE_PERSONA_NAMES = {"personaDeployer": "deployer", "personaBuilder": "model builder"}


def _q(ref: str, weight: float = 1.0, allow_na: bool = False) -> scoring.Question:
    return scoring.Question(ref, "scale", weight, allow_na)


EXAMPLE_CATALOG = scoring.Catalog(
    domains=(
        scoring.Domain(
            "GOV",
            name="Governance",
            weight=2.0,
            controls=(
                scoring.Control(
                    "GOV-1",
                    name="AI use policy",
                    weight=2.0,
                    critical=True,
                    risks=("riskUnsafeUse",),
                    mappings=(("nist-ai-rmf", ("GOVERN-1.1",)),),
                    questions=(_q("GOV-1.1", weight=2.0), _q("GOV-1.2")),
                ),
                scoring.Control(
                    "GOV-2",
                    name="Inventory of AI systems",
                    risks=("riskShadowAI",),
                    mappings=(("nist-ai-rmf", ("GOVERN-1.6",)),),
                    questions=(_q("GOV-2.1"), _q("GOV-2.2", allow_na=True)),
                ),
            ),
        ),
        scoring.Domain(
            "SEC",
            name="Security",
            weight=1.0,
            controls=(
                scoring.Control(
                    "SEC-1",
                    name="Access control for models",
                    risks=("riskModelTheft",),
                    mappings=(("nist-ai-rmf", ("MANAGE-2.4",)),),
                    questions=(_q("SEC-1.1"), _q("SEC-1.2")),
                ),
                scoring.Control(
                    "SEC-2",
                    name="Training data provenance",
                    personas=("personaBuilder",),
                    risks=("riskModelTheft",),
                    questions=(_q("SEC-2.1"),),
                ),
                scoring.Control(
                    "SEC-3",
                    name="Prompt input filtering",
                    risks=("riskModelTheft",),
                    mappings=(("nist-ai-rmf", ("MANAGE-4.1",)),),
                    questions=(_q("SEC-3.1"), _q("SEC-3.2")),
                ),
            ),
        ),
    ),
    tiers=(
        scoring.Tier("Initial", 0.0),
        scoring.Tier("Developing", 30.0),
        scoring.Tier("Defined", 50.0),
        scoring.Tier("Managed", 75.0),
    ),
    critical_threshold=50.0,
    gate_tier="Developing",
    risks=(
        scoring.Risk("riskUnsafeUse", "Unsafe or unapproved use"),
        scoring.Risk("riskShadowAI", "Unknown AI systems in use"),
        scoring.Risk("riskModelTheft", "Model theft or misuse"),
    ),
)

# GOV-2.2 is N/A, SEC-3.2 is left unanswered, SEC-2 only applies to model builders.
EXAMPLE_ANSWERS = (
    scoring.Answer("GOV-1.1", 0.5),
    scoring.Answer("GOV-1.2", 0.0),
    scoring.Answer("GOV-2.1", 1.0),
    scoring.Answer("GOV-2.2", na=True),
    scoring.Answer("SEC-1.1", 1.0),
    scoring.Answer("SEC-1.2", 0.75),
    scoring.Answer("SEC-2.1", 0.0),
    scoring.Answer("SEC-3.1", 0.75),
)


def example_result() -> scoring.Result:
    return scoring.score(EXAMPLE_CATALOG, EXAMPLE_ANSWERS, EXAMPLE_PERSONAS)


def _share(weight: float | None) -> str:
    """An effective weight as the percentage of the overall score it carries."""
    return format_score(None if weight is None else 100.0 * weight)


def _answer_text(answers: dict[str, scoring.Answer], ref: str) -> str:
    answer = answers.get(ref)
    if answer is None or (answer.value is None and not answer.na):
        return "unanswered"
    if answer.na:
        return "N/A"
    return f"{EXAMPLE_SCALE[answer.value]} ({answer.value:g})"


def _example_controls(result: scoring.Result) -> list[dict[str, Any]]:
    answers = {a.question: a for a in EXAMPLE_ANSWERS}
    controls = []
    for domain in EXAMPLE_CATALOG.domains:
        for control in domain.controls:
            scored = result.controls.get(control.id)
            gap = next((g for g in result.gaps if g.control == control.id), None)
            controls.append(
                {
                    "id": control.id,
                    "name": control.name,
                    "domain": domain.id,
                    "weight": f"{control.weight:g}",
                    "critical": control.critical,
                    "personas": ", ".join(EXAMPLE_PERSONA_NAMES[p] for p in control.personas)
                    or "all",
                    "applicable": scored is not None,
                    "questions": [
                        {
                            "id": q.id,
                            "weight": f"{q.weight:g}",
                            "answer": _answer_text(answers, q.id),
                        }
                        for q in control.questions
                    ],
                    "score": format_score(scored.score if scored else None),
                    "formula": result.explain("control", control.id).formula if scored else "",
                    "share": _share(scored.effective_weight if scored else None),
                    "gap": format_score(gap.points if gap else (0.0 if scored else None)),
                }
            )
    return controls


def _example_domains(result: scoring.Result) -> list[dict[str, Any]]:
    return [
        {
            "id": d.id,
            "name": d.name,
            "weight": f"{d.weight:g}",
            "score": format_score(result.domains[d.id].score),
            "share": _share(result.domains[d.id].effective_weight),
            "formula": result.explain("domain", d.id).formula,
        }
        for d in EXAMPLE_CATALOG.domains
    ]


def _example_risks(result: scoring.Result) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "name": r.name,
            "coverage": format_score(result.risks[r.id].coverage),
            "exposure": format_score(result.risks[r.id].exposure),
            "controls": ", ".join(
                t.id if t.included else f"{t.id} ({t.reason})"
                for t in result.risks[r.id].explanation
            ),
        }
        for r in EXAMPLE_CATALOG.risks
    ]


# The example of the autonomy evidence rule: one control that expects evidence from L3.
EXAMPLE_EVIDENCE_CONTROL = scoring.Control("AGT-1", "Human oversight", evidence_autonomy=3)


def _example_evidence() -> dict[str, Any]:
    """For each autonomy level, whether the example control expects evidence (the engine's
    own answer, so the table cannot drift from the rule)."""
    control = EXAMPLE_EVIDENCE_CONTROL
    return {
        "rule": scoring.rule_text(control.evidence_autonomy),
        "levels": [
            (level.code, level.name, scoring.evidence_expected(control, level.number))
            for level in autonomy.LEVELS
        ],
    }


def methodology_context() -> dict[str, Any]:
    """Everything _methodology_body.html needs: the rules' parameters and the worked example."""
    result = example_result()
    crosswalk = [
        {"scheme": scheme, "group": group, "score": format_score(value)}
        for scheme, groups in result.crosswalk_groups.items()
        for group, value in groups.items()
    ]
    return {
        "methodology_version": scoring.METHODOLOGY_VERSION,
        "scope_example": scope_example(),
        "example": {
            "personas": ", ".join(EXAMPLE_PERSONA_NAMES[p] for p in EXAMPLE_PERSONAS),
            "tiers": [(t.name, f"{t.min_score:g}") for t in EXAMPLE_CATALOG.tiers],
            "critical_threshold": f"{EXAMPLE_CATALOG.critical_threshold:g}",
            "gate_tier": EXAMPLE_CATALOG.gate_tier,
            "domains": _example_domains(result),
            "controls": _example_controls(result),
            "risks": _example_risks(result),
            "crosswalk": crosswalk,
            "overall": format_score(result.overall),
            "overall_formula": result.explain("overall").formula,
            "tier_before_gate": result.tier_before_gate,
            "tier": result.tier,
            "gated": result.gated,
            "gated_by": ", ".join(result.gated_by),
            "completeness": format_score(result.completeness),
            "answered": result.answered,
            "applicable_questions": result.applicable_questions,
            "gap_total": format_score(math.fsum(g.points for g in result.gaps)),
            "evidence": _example_evidence(),
        },
    }


# Written pairs the "How ids are matched" text shows, each with the key the engine's rule
# gives both sides (so the examples cannot drift from the rule).
CROSSWALK_EXAMPLES = (
    (("owasp-top10-llm", "LLM01:2025"), ("owasp-llm", "llm01-2025")),
    (("mitre-atlas", "AML.M0007@5.0.1"), ("mitre-atlas", "AML.M0007@5.6.0")),
    (("mitre-atlas", "AML.T0020@5.0.1"), ("mitre-atlas", "AML.T0020")),
)


def catalog_crosswalk_rule() -> dict[str, Any]:
    """What the "How ids are matched" text needs: the alias table and worked examples."""
    return {
        "aliases": sorted(SCHEME_ALIASES.items()),
        "examples": [
            {"a": f"{a[0]} {a[1]}", "b": f"{b[0]} {b[1]}", "key": " ".join(reference_key(*a))}
            for a, b in CROSSWALK_EXAMPLES
            if reference_key(*a) == reference_key(*b)
        ],
    }
