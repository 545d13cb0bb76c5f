"""A stored framework version read back as a normalised native document (`store.py`
writes one): what exports, the catalog diff and new draft versions start from."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from scorecard.catalog import autonomy, vocabulary
from scorecard.catalog.document import FORMAT
from scorecard.catalog.mappings import SCHEME_TEXT_FIELDS
from scorecard.models import (
    CatalogOscal,
    Control,
    ControlMapping,
    ControlPersona,
    ControlRisk,
    Domain,
    Framework,
    MappingScheme,
    Option,
    Persona,
    PersonaQuestion,
    Question,
    Risk,
    ScaleOption,
    Term,
    Tier,
    WithdrawnControl,
)

RISK_FIELDS = (
    "ref",
    "name",
    "description",
    "category",
    "long_description",
    "examples",
    "references",
    "mappings",
    *vocabulary.RISK_TERM_FIELDS.values(),
)


def framework_to_document(framework: Framework) -> dict[str, Any]:
    """The framework as a normalised native document, in one query per kind of row."""

    def rows(model, *fields: str):
        return list(
            model.objects.filter(framework=framework).order_by("position", "pk").values(*fields)
        )

    doc: dict[str, Any] = {
        "format": FORMAT,
        "framework": {
            "slug": framework.slug,
            "name": framework.name,
            "version": framework.version,
            "description": framework.description,
            "source": framework.source,
            "license": framework.license,
        },
        "scale": rows(ScaleOption, "label", "value", "description"),
        "tiers": rows(Tier, "name", "min_score"),
        "critical_threshold": float(framework.critical_threshold),
    }
    if framework.gate_tier:
        doc["gate_tier"] = framework.gate_tier
    doc["mapping_schemes"] = [
        {"id": scheme.pop("ref"), **scheme}
        for scheme in rows(
            MappingScheme, "ref", *SCHEME_TEXT_FIELDS, "prior_versions", "applies_to", "titles"
        )
    ]
    doc["vocabulary"] = _vocabulary(
        rows(Term, "kind", "ref", "name", "description", "parent__ref", "group")
    )
    persona_questions = _grouped(rows(PersonaQuestion, "persona_id", "text"), "persona_id")
    doc["personas"] = [
        {
            "id": p["ref"],
            "name": p["name"],
            "description": p["description"],
            "questions": [q["text"] for q in persona_questions[p["id"]]],
            "responsibilities": p["responsibilities"],
            "mappings": p["mappings"],
        }
        for p in rows(Persona, "id", "ref", "name", "description", "responsibilities", "mappings")
    ]
    doc["risks"] = [{"id": r.pop("ref"), **r} for r in rows(Risk, *RISK_FIELDS)]
    doc["domains"] = _DomainReader(rows).tree()
    oscal = rows(CatalogOscal, "data")
    if oscal and oscal[0]["data"]:
        doc["oscal"] = oscal[0]["data"]
    return doc


def _vocabulary(terms: list[dict]) -> dict[str, list[dict]]:
    lists: dict[str, list[dict]] = {key: [] for key in vocabulary.VOCABULARY_KEYS.values()}
    for term in terms:
        kind = term["kind"]
        entry = {"id": term["ref"], "name": term["name"], "description": term["description"]}
        if kind in vocabulary.PARENT_KEYS:
            entry[vocabulary.PARENT_KEYS[kind]] = term["parent__ref"]
        if kind in vocabulary.GROUPED_KINDS:
            entry["group"] = term["group"]
        lists[vocabulary.VOCABULARY_KEYS[kind]].append(entry)
    return lists


def _grouped(items: list[dict], key: str) -> defaultdict[Any, list[dict]]:
    groups: defaultdict[Any, list[dict]] = defaultdict(list)
    for item in items:
        groups[item[key]].append(item)
    return groups


def _code(row: dict) -> dict:
    # A row stored without a code (one made in code, not imported) gets none in the
    # document, so reading it back generates one instead of failing validation.
    return {"code": row["code"]} if row["code"] else {}


class _DomainReader:
    def __init__(self, rows):
        self.domains = rows(
            Domain, "id", "parent_id", "ref", "code", "name", "description", "weight", "oscal"
        )
        self.withdrawn = _grouped(
            rows(
                WithdrawnControl,
                "domain_id",
                "ref",
                "name",
                "enhances",
                "successors",
                "position",
                "oscal",
            ),
            "domain_id",
        )
        self.controls = _grouped(
            rows(
                Control,
                "id",
                "domain_id",
                "ref",
                "code",
                "name",
                "description",
                "guidance",
                "weight",
                "critical",
                *vocabulary.CONTROL_TERM_FIELDS.values(),
                "evidence_autonomy",
                "enhances",
                "oscal",
            ),
            "domain_id",
        )
        self.personas = _grouped(rows(ControlPersona, "control_id", "persona__ref"), "control_id")
        self.risks = _grouped(rows(ControlRisk, "control_id", "risk__ref"), "control_id")
        self.mappings = _grouped(
            rows(ControlMapping, "control_id", "scheme", "reference"), "control_id"
        )
        self.questions = _grouped(
            rows(
                Question,
                "id",
                "control_id",
                "ref",
                "code",
                "text",
                "help",
                "type",
                "weight",
                "allow_na",
                "evidence",
            ),
            "control_id",
        )
        self.options = _grouped(
            rows(Option, "question_id", "label", "value", "description"), "question_id"
        )
        self.children = _grouped(self.domains, "parent_id")

    def tree(self, parent_id: int | None = None) -> list[dict]:
        return [self.domain(d) for d in self.children[parent_id]]

    def domain(self, d: dict) -> dict:
        domain = {
            "id": d["ref"],
            **_code(d),
            "name": d["name"],
            "description": d["description"],
            "weight": float(d["weight"]),
            "domains": self.tree(d["id"]),
            "controls": [self.control(c) for c in self.controls[d["id"]]],
        }
        if d["oscal"]:
            domain["oscal"] = d["oscal"]
        withdrawn = [
            {
                "id": w["ref"],
                "name": w["name"],
                "enhances": w["enhances"],
                "successors": w["successors"],
                "position": w["position"],
                **({"oscal": w["oscal"]} if w["oscal"] else {}),
            }
            for w in self.withdrawn[d["id"]]
        ]
        if withdrawn:
            domain["withdrawn"] = withdrawn
        return domain

    def control(self, c: dict) -> dict:
        mappings: dict[str, list[str]] = {}
        for m in self.mappings[c["id"]]:
            mappings.setdefault(m["scheme"], []).append(m["reference"])
        return {
            "id": c["ref"],
            **_code(c),
            "name": c["name"],
            "description": c["description"],
            "guidance": c["guidance"],
            "weight": float(c["weight"]),
            "critical": c["critical"],
            "personas": [p["persona__ref"] for p in self.personas[c["id"]]],
            "risks": [r["risk__ref"] for r in self.risks[c["id"]]],
            "mappings": mappings,
            **{field: c[field] for field in vocabulary.CONTROL_TERM_FIELDS.values()},
            "evidence_autonomy": autonomy.threshold_text(c["evidence_autonomy"]),
            "questions": [self.question(q) for q in self.questions[c["id"]]],
            **({"enhances": c["enhances"]} if c["enhances"] else {}),
            **({"oscal": c["oscal"]} if c["oscal"] else {}),
        }

    def question(self, q: dict) -> dict:
        question = {
            "id": q["ref"],
            **_code(q),
            "text": q["text"],
            "help": q["help"],
            "type": q["type"],
            "weight": float(q["weight"]),
            "allow_na": q["allow_na"],
            "evidence": q["evidence"],
        }
        if q["type"] == "choice":
            question["options"] = [
                {"label": o["label"], "value": float(o["value"]), "description": o["description"]}
                for o in self.options[q["id"]]
            ]
        return question
