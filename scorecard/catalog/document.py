"""The native catalog document (`scorecard-catalog/1`): validation and normal form.

Validation runs in layers that report together: the JSON Schema in `schema/` checks
shape, types and the characters of ids (`schema_check`), and the semantic checks below
check what a schema cannot (unique ids, references that resolve, ascending tiers, the
number limits of `limits`). A document that passes is then scored once by the engine
(`engine_check`). The same checks guard every import and, with `for_publish=True`,
decide whether a draft may be published.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from scorecard.catalog import document_source, document_terms, limits
from scorecard.catalog.codes import fill_codes
from scorecard.catalog.engine_check import engine_problems
from scorecard.catalog.problems import CatalogInvalid, Problem, render_path
from scorecard.catalog.schema_check import FORMAT, kind_of, schema_problems

SCORED_TYPES = frozenset({"scale", "choice", "yes_no"})
DEFAULT_CRITICAL_THRESHOLD = 50.0

Path_ = tuple[str | int, ...]


def validate_document(doc: Any, *, for_publish: bool = True) -> list[Problem]:
    """Every problem in `doc`, schema and semantic alike; empty when it is valid.

    Drafts may hold controls that have no scored question yet (a CoSAI import starts
    that way); `for_publish=True` adds the rules a published version must meet.
    """
    return _validated(doc, for_publish=for_publish)[0]


def _validated(doc: Any, *, for_publish: bool) -> tuple[list[Problem], dict | None]:
    """The problems of `doc`, and its normal form when there are none."""
    if not isinstance(doc, dict):
        return [Problem("(root)", f"expected a mapping at the top level, got {kind_of(doc)}")], None
    fmt = doc.get("format")
    if fmt != FORMAT:
        found = "missing" if fmt is None else f"unknown format {json.dumps(fmt, default=str)}"
        return [Problem("format", f'{found}; expected "{FORMAT}"')], None
    problems = schema_problems(doc)
    problems.extend(text_problems(doc))
    problems.extend(_Semantics(doc, for_publish=for_publish).run())
    if problems:
        return problems, None
    # The engine reads only well-formed catalogs, so it checks what the rules above let
    # through; whatever it refuses would make every page of an assessment fail.
    normal = normalise_document(doc)
    problems = engine_problems(normal)
    return problems, None if problems else normal


def check_document(doc: Any, *, for_publish: bool = True, source: str = "") -> dict:
    """The normal form of `doc`, or CatalogInvalid listing every problem."""
    # The normal form the engine checked is the one returned: normalising a large catalog
    # twice cost as much as its semantic checks.
    problems, normal = _validated(doc, for_publish=for_publish)
    if problems:
        raise CatalogInvalid(problems, source=source)
    return normal


def _is_scored(kind: Any) -> bool:
    return isinstance(kind, str) and kind in SCORED_TYPES


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:  # an integer literal beyond any float
            return math.inf if value > 0 else -math.inf
    return None


def _dicts(parent: Any, key: str, path: Path_) -> Iterator[tuple[Path_, dict]]:
    """The mapping items of `parent[key]`; malformed ones are the schema's to report."""
    items = parent.get(key) if isinstance(parent, dict) else None
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield (*path, key, index), item


def text_problems(node: Any, path: Path_ = ()) -> list[Problem]:
    """Texts holding a NUL character, which PostgreSQL cannot store in a text column.

    JSON can spell one (\\u0000); refusing it here keeps the import from failing halfway.
    """
    found: list[Problem] = []
    stack: list[tuple[Path_, Any]] = [(path, node)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            found.append(Problem(render_path(where), "must not contain a NUL character"))
        elif isinstance(value, dict):
            for key, child in value.items():
                if isinstance(key, str) and "\x00" in key:
                    found.append(Problem(render_path(where), "a key holds a NUL character"))
                stack.append(((*where, str(key)), child))
        elif isinstance(value, list):
            stack.extend(((*where, index), child) for index, child in enumerate(value))
    return sorted(found, key=lambda problem: problem.path)


def iter_domains(doc: dict, path: Path_ = ()) -> Iterator[tuple[Path_, dict]]:
    """Every domain of the tree, parents before children, with its path."""
    for domain_path, domain in _dicts(doc, "domains", path):
        yield domain_path, domain
        yield from iter_domains(domain, domain_path)


class _Semantics:
    def __init__(self, doc: dict, *, for_publish: bool):
        self.doc = doc
        self.for_publish = for_publish
        self.problems: list[Problem] = []

    def add(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(render_path(path), message))

    def run(self) -> list[Problem]:
        self.check_tiers()
        self.check_threshold()
        self.check_options(list(_dicts(self.doc, "scale", ())), ("scale",))
        persona_ids = self.unique_ids(_dicts(self.doc, "personas", ()), "persona")
        risk_ids = self.unique_ids(_dicts(self.doc, "risks", ()), "risk")
        domains = list(iter_domains(self.doc))
        self.unique_ids(iter(domains), "domain")
        controls = [pair for path, domain in domains for pair in _dicts(domain, "controls", path)]
        self.unique_ids(iter(controls), "control")
        questions = [
            pair for path, control in controls for pair in _dicts(control, "questions", path)
        ]
        self.unique_ids(iter(questions), "question")
        for kind, items in (("domain", domains), ("control", controls), ("question", questions)):
            self.unique_codes(items, kind)
        for path, item in domains + controls + questions:
            self.check_weight(path, item)
        for path, control in controls:
            self.check_references(path, control, "personas", persona_ids)
            self.check_references(path, control, "risks", risk_ids)
        for path, question in questions:
            self.check_question(path, question)
        control_ids = {c["id"] for _, c in controls if isinstance(c.get("id"), str)}
        document_source.check(domains, control_ids, self.add)
        document_terms.check(
            self.doc,
            personas=_dicts(self.doc, "personas", ()),
            risks=_dicts(self.doc, "risks", ()),
            controls=controls,
            add=self.add,
        )
        scale_questions = sum(question.get("type") == "scale" for _, question in questions)
        if scale_questions and len(list(_dicts(self.doc, "scale", ()))) < 2:
            self.add(
                ("scale",),
                f"{scale_questions} scale question(s) need a scale of at least 2 options",
            )
        if self.for_publish:
            self.check_publishable(domains, controls)
        return self.problems

    def unique_ids(self, items: Iterator[tuple[Path_, dict]], kind: str) -> set[str]:
        first_seen: dict[str, Path_] = {}
        for path, item in items:
            ref = item.get("id")
            if not isinstance(ref, str):
                continue
            if ref in first_seen:
                where = render_path(first_seen[ref])
                self.add((*path, "id"), f'duplicate {kind} id "{ref}" (first used at {where})')
            else:
                first_seen[ref] = path
        return set(first_seen)

    def unique_codes(self, items: list[tuple[Path_, dict]], kind: str) -> None:
        """Display codes a file gives must be unique per kind; missing ones are generated."""
        first_seen: dict[str, Path_] = {}
        for path, item in items:
            code = item.get("code")
            if not isinstance(code, str) or limits.code_problem(code):
                continue  # the schema reports its shape
            if code in first_seen:
                where = render_path(first_seen[code])
                self.add((*path, "code"), f'duplicate {kind} code "{code}" (first used at {where})')
            else:
                first_seen[code] = path

    def check_tiers(self) -> None:
        previous: float | None = None
        names: set[str] = set()
        for path, tier in _dicts(self.doc, "tiers", ()):
            name = tier.get("name")
            if isinstance(name, str):
                if name in names:
                    self.add((*path, "name"), f'duplicate tier name "{name}"')
                names.add(name)
            score = _number(tier.get("min_score"))
            if score is None:
                continue
            out_of_range = limits.score_problem(score)
            if out_of_range:
                self.add((*path, "min_score"), out_of_range)
                continue
            if path[-1] == 0 and score != 0:
                self.add((*path, "min_score"), "the first tier must start at 0")
            elif previous is not None and score <= previous:
                self.add(
                    (*path, "min_score"), f"must be greater than the previous tier's {previous:g}"
                )
            previous = score
        gate = self.doc.get("gate_tier")
        if isinstance(gate, str) and gate and gate not in names:
            self.add(("gate_tier",), f'names no tier: "{gate}"')

    def check_threshold(self) -> None:
        threshold = _number(self.doc.get("critical_threshold"))
        problem = None if threshold is None else limits.score_problem(threshold)
        if problem:
            self.add(("critical_threshold",), problem)

    def check_weight(self, path: Path_, item: dict) -> None:
        weight = _number(item.get("weight"))
        problem = None if weight is None else limits.weight_problem(weight)
        if problem:
            self.add((*path, "weight"), problem)

    def check_options(self, options: list[tuple[Path_, dict]], path: Path_) -> None:
        labels: set[str] = set()
        for option_path, option in options:
            label = option.get("label")
            if isinstance(label, str):
                if label in labels:
                    self.add(path, f'duplicate label "{label}"')
                labels.add(label)
            value = _number(option.get("value"))
            problem = None if value is None else limits.option_value_problem(value)
            if problem:
                self.add((*option_path, "value"), problem)

    def check_references(self, path: Path_, control: dict, key: str, known: set[str]) -> None:
        kind = key[:-1]
        seen: set[str] = set()
        refs = control.get(key)
        for index, ref in enumerate(refs if isinstance(refs, list) else ()):
            if not isinstance(ref, str):
                continue
            if ref not in known:
                self.add((*path, key, index), f'unknown {kind} "{ref}"')
            elif ref in seen:
                self.add((*path, key, index), f'{kind} "{ref}" is listed twice')
            seen.add(ref)

    def check_question(self, path: Path_, question: dict) -> None:
        kind = question.get("type")
        options = list(_dicts(question, "options", path))
        has_options = bool(question.get("options"))
        if kind == "choice":
            if len(options) < 2:
                self.add((*path, "options"), "a choice question needs at least 2 options")
            self.check_options(options, (*path, "options"))
        elif isinstance(kind, str) and has_options:
            self.add((*path, "options"), f"only choice questions have options, not {kind}")

    def check_publishable(self, domains: list, controls: list) -> None:
        for path, control in controls:
            questions = control.get("questions")
            if not any(
                isinstance(question, dict) and _is_scored(question.get("type"))
                for question in (questions if isinstance(questions, list) else ())
            ):
                self.add((*path, "questions"), "a control needs at least one scored question")
        for path, domain in domains:
            subtree = [domain, *(sub for _, sub in iter_domains(domain, path))]
            if not any(list(_dicts(sub, "controls", ())) for sub in subtree):
                self.add(path, "a domain needs at least one control, directly or in a sub-domain")
        if not controls:
            self.add(("domains",), "a framework needs at least one control")


def normalise_document(doc: dict) -> dict:
    """`doc` with defaults filled in, numbers as floats and keys in a fixed order.

    This is exactly what `framework_to_document` returns for a stored copy of `doc`.
    """
    meta = doc["framework"]
    normal: dict[str, Any] = {
        "format": FORMAT,
        "framework": {
            "slug": meta["slug"],
            "name": meta["name"],
            "version": meta["version"],
            "description": meta.get("description", ""),
            "source": meta.get("source", ""),
            "license": meta.get("license", ""),
        },
        "scale": [_option(option) for option in doc.get("scale") or ()],
        "tiers": [
            {"name": tier["name"], "min_score": float(tier["min_score"])} for tier in doc["tiers"]
        ],
        "critical_threshold": float(doc.get("critical_threshold", DEFAULT_CRITICAL_THRESHOLD)),
    }
    if doc.get("gate_tier"):
        normal["gate_tier"] = doc["gate_tier"]
    normal.update(document_terms.normal_top(doc))
    normal["personas"] = [
        {
            "id": persona["id"],
            "name": persona["name"],
            "description": persona.get("description", ""),
            "questions": list(persona.get("questions") or ()),
            **document_terms.normal_persona(persona),
        }
        for persona in doc.get("personas") or ()
    ]
    normal["risks"] = [
        {
            "id": risk["id"],
            "name": risk["name"],
            "description": risk.get("description", ""),
            "category": risk.get("category", ""),
            **document_terms.normal_risk(risk),
        }
        for risk in doc.get("risks") or ()
    ]
    # Codes the file gives are kept; the others are generated from names and catalog order.
    domains = [_domain(domain) for domain in doc.get("domains") or ()]
    normal["domains"] = fill_codes(domains, in_place=True)
    normal.update(document_source.normal_top(doc))
    return normal


def _option(option: dict) -> dict:
    return {
        "label": option["label"],
        "value": float(option["value"]),
        "description": option.get("description", ""),
    }


def _domain(domain: dict) -> dict:
    return {
        "id": domain["id"],
        "code": domain.get("code", ""),
        "name": domain["name"],
        "description": domain.get("description", ""),
        "weight": float(domain.get("weight", 1)),
        "domains": [_domain(child) for child in domain.get("domains") or ()],
        "controls": [_control(control) for control in domain.get("controls") or ()],
        **document_source.normal_domain(domain),
    }


def _control(control: dict) -> dict:
    return {
        "id": control["id"],
        "code": control.get("code", ""),
        "name": control["name"],
        "description": control.get("description", ""),
        "guidance": control.get("guidance", ""),
        "weight": float(control.get("weight", 1)),
        "critical": bool(control.get("critical", False)),
        "personas": list(control.get("personas") or ()),
        "risks": list(control.get("risks") or ()),
        # A scheme without references has nothing to store, so it does not survive a save.
        "mappings": {
            scheme: list(refs) for scheme, refs in (control.get("mappings") or {}).items() if refs
        },
        **document_terms.normal_control(control),
        "questions": [_question(question) for question in control.get("questions") or ()],
        **document_source.normal_control(control),
    }


def _question(question: dict) -> dict:
    normal = {
        "id": question["id"],
        "code": question.get("code", ""),
        "text": question["text"],
        "help": question.get("help", ""),
        "type": question["type"],
        "weight": float(question.get("weight", 1)),
        "allow_na": bool(question.get("allow_na", False)),
        "evidence": question.get("evidence", ""),
    }
    # Only choice questions carry options: scale ones share the framework scale and
    # yes/no is always Yes = 1, No = 0.
    if question["type"] == "choice":
        normal["options"] = [_option(option) for option in question.get("options") or ()]
    return normal
