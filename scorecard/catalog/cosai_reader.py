"""Controls, risks and personas of the Risk Map as native document parts.

The files have passed the Risk Map's schemas (`cosai_schema`) by the time they get here, so
shapes are as the schema says; what is checked here is what a schema cannot say: that every
id a control or risk names (a category, persona, risk, component, lifecycle stage, actor
access level or impact type) is defined in the files read, and that mappings pinned to a
framework version name one `frameworks.yaml` knows. Every problem names its file and path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scorecard.catalog import limits, mappings, vocabulary
from scorecard.catalog.document import iter_domains
from scorecard.catalog.problems import Problem, render_path

_CITATION = re.compile(r"\s*\(?\{\{ref:[^}]*\}\}\)?")
_CROSS_REFERENCE = re.compile(r"\{\{([A-Za-z][A-Za-z0-9]*)\}\}")

# The Risk Map's key for each term list of a control or risk, and the kind it names.
TERM_KEYS = {
    "components": vocabulary.COMPONENT,
    "lifecycleStage": vocabulary.LIFECYCLE_STAGE,
    "actorAccess": vocabulary.ACTOR_ACCESS,
    "impactType": vocabulary.IMPACT_TYPE,
}


class Reader:
    def __init__(self, directory: Path, data: dict[str, Any], readiness: dict | None):
        self.directory = directory
        self.data = data
        self.problems: list[Problem] = []
        self.titles: dict[str, str] = {}
        self.readiness = readiness
        self.readiness_controls = {
            control["id"]: control
            for _, domain in iter_domains(readiness or {})
            for control in domain["controls"]
        }
        self.terms: dict[str, set[str]] = {kind: set() for kind in vocabulary.KINDS}
        self.schemes: dict[str, dict] = {}

    def problem(self, name: str, path: tuple, message: str) -> None:
        source = str(self.directory / name)
        self.problems.append(Problem(render_path(path), message, source=source))

    def entries(self, name: str, key: str, *, title: str = "title") -> list[tuple[tuple, dict]]:
        root = self.data[name]
        items = root.get(key) if isinstance(root, dict) else None
        if not isinstance(items, list):
            self.problem(name, (key,), "required list is missing")
            return []
        valid = []
        for index, item in enumerate(items):
            path = (key, index)
            if not isinstance(item, dict):
                self.problem(name, path, "expected a mapping")
            elif not (_text(item.get("id")) and _text(item.get(title))):
                self.problem(name, path, f"needs an id and a {title}")
            elif limits.id_problem(item["id"]):
                self.problem(name, (*path, "id"), limits.id_problem(item["id"]))
            else:
                valid.append((path, item))
                self.titles.setdefault(item["id"], item[title])
        return valid

    def know_terms(self, vocabulary_lists: dict[str, list[dict]]) -> None:
        for kind, key in vocabulary.VOCABULARY_KEYS.items():
            self.terms[kind] = {term["id"] for term in vocabulary_lists[key]}
            self.titles.update((term["id"], term["name"]) for term in vocabulary_lists[key])

    # --- controls, risks, personas ----------------------------------------------------------

    def persona_refs(self, path, control, known: set[str], skipped: set[str]) -> list[str]:
        refs = control.get("personas") or []
        for index, ref in enumerate(refs):
            if ref not in known and ref not in skipped:
                self.problem(
                    "controls.yaml", (*path, "personas", index), f'unknown persona "{ref}"'
                )
        # Deprecated personas are not imported, so references to them are dropped.
        return [ref for ref in refs if ref in known]

    def control(self, path, control: dict, personas: list[str], risk_ids: list[str]) -> dict:
        risks = control.get("risks")
        if risks == "all":
            risks = list(risk_ids)
        else:
            for index, ref in enumerate(risks or ()):
                if ref not in risk_ids:
                    self.problem("controls.yaml", (*path, "risks", index), f'unknown risk "{ref}"')
            risks = [ref for ref in risks or () if ref in risk_ids]
        result = {
            "id": control["id"],
            "name": " ".join(control["title"].split()),
            "description": self.prose(control.get("description")),
            "personas": personas,
            "risks": risks,
            "mappings": self.mappings("controls.yaml", path, control),
            **self.term_lists("controls.yaml", path, control, vocabulary.CONTROL_TERM_FIELDS),
            "questions": [],
        }
        known = self.readiness_controls.get(control["id"])
        if known is not None:
            for field in ("guidance", "weight", "critical", "evidence_autonomy", "questions"):
                result[field] = known[field]
        return result

    def persona(self, persona: dict) -> dict:
        questions = persona.get("identificationQuestions") or []
        return {
            "id": persona["id"],
            "name": persona["title"],
            "description": self.prose(persona.get("description")),
            "questions": [tidy(q) for q in questions if isinstance(q, str) and q.strip()],
            "responsibilities": [
                tidy(item) for item in persona.get("responsibilities") or () if item.strip()
            ],
        }

    def risk(self, path, risk: dict) -> dict:
        return {
            "id": risk["id"],
            "name": risk["title"],
            "description": self.prose(risk.get("shortDescription")),
            "category": risk.get("category") or "",
            # The full texts keep their citations: the page links them to the references.
            "long_description": self.prose(risk.get("longDescription"), citations=True),
            "examples": self.prose(risk.get("examples"), citations=True),
            "references": [
                {key: reference[key] for key in ("type", "id", "title", "url")}
                for reference in risk.get("externalReferences") or ()
            ],
            "mappings": self.mappings("risks.yaml", path, risk),
            **self.term_lists("risks.yaml", path, risk, vocabulary.RISK_TERM_FIELDS),
        }

    def term_lists(self, name: str, path, item: dict, fields: dict[str, str]) -> dict:
        """The item's term lists, kept as written: ids, "all" or "none"."""
        lists: dict[str, Any] = {}
        for key, kind in TERM_KEYS.items():
            if kind not in fields:
                continue
            value = item.get(key)
            if isinstance(value, str):
                lists[fields[kind]] = value
                continue
            refs = list(value or ())
            for index, ref in enumerate(refs):
                if ref not in self.terms[kind]:
                    label = vocabulary.KIND_LABELS[kind]
                    self.problem(name, (*path, key, index), f'unknown {label} "{ref}"')
            lists[fields[kind]] = refs
        return lists

    def mappings(self, name: str, path, item: dict) -> dict[str, list[str]]:
        found = {
            str(scheme): [str(ref) for ref in refs]
            for scheme, refs in (item.get("mappings") or {}).items()
        }
        for scheme in found:
            if scheme not in self.schemes:
                where = (*path, "mappings", scheme)
                self.problem(name, where, f'"{scheme}" is not a framework of frameworks.yaml')

        def add(where: tuple, message: str) -> None:
            self.problem(name, where, message)

        mappings.check_pins(path, found, self.schemes, add, listed_in="frameworks.yaml")
        return found

    # --- prose ------------------------------------------------------------------------------

    def prose(self, value: Any, *, citations: bool = False) -> str:
        """Paragraph lists joined with blank lines; nested lists become `- ` items.

        Cross-references become the title they point at, as the Risk Map site shows them;
        citations (`{{ref:id}}`) are kept where the item's references travel with the text,
        and dropped from the short descriptions shown on their own.
        """
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        paragraphs = []
        for item in items:
            if isinstance(item, str):
                paragraphs.append(self.resolve(tidy(item, citations=citations)))
            elif isinstance(item, list):
                bullets = (
                    f"- {self.resolve(tidy(x, citations=citations))}"
                    for x in item
                    if isinstance(x, str)
                )
                paragraphs.append("\n".join(bullets))
        return "\n\n".join(p for p in paragraphs if p)

    def resolve(self, text: str) -> str:
        # `{{controlX}}` points at another item: show its title, as the Risk Map site does.
        return _CROSS_REFERENCE.sub(lambda m: self.titles.get(m.group(1), m.group(1)), text)


def tidy(text: str, *, citations: bool = False) -> str:
    if not citations:
        text = _CITATION.sub("", text)
    return " ".join(text.split())


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
