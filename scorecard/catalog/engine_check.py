"""Ask the scoring engine itself whether it can score a catalog document.

The engine has input rules of its own (weights, tiers, the gate tier, unique ids ...).
Rather than restate them here, a document is turned into the engine's catalog and scored
once with no answers: whatever the engine refuses is reported as a problem, at the path
of the item its message names. The engine stops at its first refusal, so this adds at
most one problem, and it runs only on documents that passed the document rules.
"""

from __future__ import annotations

import re

from scorecard import scoring
from scorecard.catalog import autonomy, vocabulary
from scorecard.catalog.problems import Problem, render_path

Path_ = tuple[str | int, ...]

# The engine names the item it refuses as `<kind> '<id>'` or `duplicate <kind> id '<id>'`.
_NAMED = re.compile(r"\b(domain|control|question|tier|risk)(?: id| name)? '([^']*)'")
_FIELDS = ("gate_tier", "critical_threshold")


def engine_problems(doc: dict) -> list[Problem]:
    """[] when the engine scores the normalised `doc`, else the one problem it raised."""
    paths: dict[tuple[str, str], Path_] = {}
    catalog = _catalog(doc, paths)
    try:
        scoring.score(catalog, ())
    except scoring.ScoringInputError as refused:
        message = str(refused)
        return [Problem(render_path(_path_of(message, paths)), f"the scoring engine: {message}")]
    return []


def _path_of(message: str, paths: dict[tuple[str, str], Path_]) -> Path_:
    named = _NAMED.search(message)
    if named:
        kind, ident = named.groups()
        found = paths.get((kind, ident))
        if found is not None:
            return found
        if kind == "tier":
            return ("tiers",)
    for field in _FIELDS:
        if message.startswith(field):
            return (field,)
    if "tier" in message:
        return ("tiers",)
    return ()


def _catalog(doc: dict, paths: dict[tuple[str, str], Path_]) -> scoring.Catalog:
    for index, tier in enumerate(doc["tiers"]):
        paths[("tier", tier["name"])] = ("tiers", index)
    for index, risk in enumerate(doc["risks"]):
        paths[("risk", risk["id"])] = ("risks", index)
    return scoring.Catalog(
        domains=tuple(
            _domain(domain, ("domains", index), paths)
            for index, domain in enumerate(doc["domains"])
        ),
        tiers=tuple(scoring.Tier(tier["name"], tier["min_score"]) for tier in doc["tiers"]),
        critical_threshold=doc["critical_threshold"],
        gate_tier=doc.get("gate_tier") or None,
        risks=tuple(
            scoring.Risk(
                risk["id"],
                name=risk["name"],
                category=risk["category"],
                mappings=tuple(
                    (scheme, tuple(refs)) for scheme, refs in sorted(risk["mappings"].items())
                ),
            )
            for risk in doc["risks"]
        ),
    )


def _domain(domain: dict, path: Path_, paths: dict) -> scoring.Domain:
    paths[("domain", domain["id"])] = path
    return scoring.Domain(
        domain["id"],
        name=domain["name"],
        weight=domain["weight"],
        domains=tuple(
            _domain(child, (*path, "domains", index), paths)
            for index, child in enumerate(domain["domains"])
        ),
        controls=tuple(
            _control(control, (*path, "controls", index), paths)
            for index, control in enumerate(domain["controls"])
        ),
    )


def _control(control: dict, path: Path_, paths: dict) -> scoring.Control:
    paths[("control", control["id"])] = path
    questions = []
    for index, question in enumerate(control["questions"]):
        paths[("question", question["id"])] = (*path, "questions", index)
        questions.append(
            scoring.Question(
                question["id"], question["type"], question["weight"], question["allow_na"]
            )
        )
    # Built the way scorecard.loader builds it from stored rows, so the engine sees the same.
    return scoring.Control(
        control["id"],
        name=control["name"],
        weight=control["weight"],
        critical=control["critical"],
        personas=tuple(sorted(set(control["personas"]))),
        risks=tuple(sorted(set(control["risks"]))),
        mappings=tuple(
            (scheme, tuple(refs)) for scheme, refs in sorted(control["mappings"].items())
        ),
        guidance=control["guidance"],
        questions=tuple(questions),
        **{field: _term_refs(control[field]) for field in vocabulary.CONTROL_TERM_FIELDS.values()},
        evidence_autonomy=autonomy.parse_threshold(control["evidence_autonomy"]),
    )


def _term_refs(value: list[str] | str) -> scoring.TermRefs:
    return value if isinstance(value, str) else tuple(value)
