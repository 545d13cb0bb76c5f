"""The CoSAI Risk Map (its `yaml/` folder) as a native draft document.

Control categories become domains, controls controls, and risks and active personas
(deprecated ones are skipped) come along with their ids, so ids match the bundled
scorecard. The Risk Map asks no questions; questions, the scale, tiers, guidance, weights
and critical flags are taken from the bundled readiness scorecard for every control whose
id it knows. Controls it does not know arrive without questions: the import succeeds as
a draft, and publishing it waits until someone writes them.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from scorecard.catalog import limits
from scorecard.catalog.defaults import default_scale, default_tiers
from scorecard.catalog.document import FORMAT, iter_domains
from scorecard.catalog.native import read_data_file
from scorecard.catalog.problems import CatalogInvalid, Problem, render_path

SLUG = "cosai-rm"
FILES = ("controls.yaml", "risks.yaml", "personas.yaml")
_CITATION = re.compile(r"\s*\(?\{\{ref:[^}]*\}\}\)?")
_CROSS_REFERENCE = re.compile(r"\{\{([A-Za-z][A-Za-z0-9]*)\}\}")


def cosai_to_document(
    directory: Path | str,
    *,
    version: str | None = None,
    readiness: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A draft document from the Risk Map files in `directory`.

    `readiness` is the normalised bundled scorecard whose questions are attached; without
    it every control arrives without questions, on the default scale and tiers.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise CatalogInvalid([Problem("", "not a directory")], source=str(directory))
    problems: list[Problem] = []
    data = {}
    for name in FILES:
        try:
            data[name] = read_data_file(directory / name)
        except CatalogInvalid as invalid:
            problems.extend(
                Problem(p.path, p.message, source=p.source or invalid.source)
                for p in invalid.problems
            )
    if problems:
        raise CatalogInvalid(problems)
    reader = _Reader(directory, data, readiness)
    commit = source_commit(directory)
    if version is None:
        version = f"rm-{commit[:7]}" if commit else f"import-{datetime.date.today():%Y-%m-%d}"
    doc = reader.document(version, commit=commit)
    if reader.problems:
        raise CatalogInvalid(reader.problems)
    return doc


def source_commit(directory: Path) -> str | None:
    """The commit named in a SOURCE_COMMIT file beside the yaml folder (or in it), if any."""
    for candidate in (directory.parent / "SOURCE_COMMIT", directory / "SOURCE_COMMIT"):
        try:
            words = candidate.read_text(encoding="utf-8").split()
        except (OSError, UnicodeDecodeError):
            continue
        if words and re.fullmatch(r"[0-9a-fA-F]{7,40}", words[0]):
            return words[0].lower()
    return None


class _Reader:
    def __init__(self, directory: Path, data: dict[str, Any], readiness: dict | None):
        self.directory = directory
        self.data = data
        self.problems: list[Problem] = []
        self.titles: dict[str, str] = {}
        self.readiness_controls = {
            control["id"]: control
            for _, domain in iter_domains(readiness or {})
            for control in domain["controls"]
        }
        self.readiness = readiness

    def problem(self, name: str, path: tuple, message: str) -> None:
        source = str(self.directory / name)
        self.problems.append(Problem(render_path(path), message, source=source))

    def entries(self, name: str, key: str) -> list[tuple[tuple, dict]]:
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
            elif not (_text(item.get("id")) and _text(item.get("title"))):
                self.problem(name, path, "needs an id and a title")
            elif limits.id_problem(item["id"]):
                self.problem(name, (*path, "id"), limits.id_problem(item["id"]))
            else:
                valid.append((path, item))
                self.titles[item["id"]] = item["title"]
        return valid

    def document(self, version: str, *, commit: str | None) -> dict[str, Any]:
        categories = self.entries("controls.yaml", "categories")
        controls = self.entries("controls.yaml", "controls")
        risks = self.entries("risks.yaml", "risks")
        every_persona = self.entries("personas.yaml", "personas")
        personas = [(path, p) for path, p in every_persona if not p.get("deprecated")]
        skipped = {p["id"] for _, p in every_persona if p.get("deprecated")}
        risk_ids = [r["id"] for _, r in risks]
        persona_ids = {p["id"] for _, p in personas}
        domains = {
            c["id"]: {"id": c["id"], "name": c["title"], "controls": []} for _, c in categories
        }
        for path, control in controls:
            domain = domains.get(control.get("category"))
            if domain is None:
                self.problem("controls.yaml", (*path, "category"), "names no category")
                continue
            refs = self.persona_refs(path, control, persona_ids, skipped)
            domain["controls"].append(self.control(path, control, refs, risk_ids))
        base = self.readiness or {}
        doc: dict[str, Any] = {
            "format": FORMAT,
            "framework": {
                "slug": SLUG,
                "name": "CoSAI Risk Map",
                "version": version,
                "description": "Controls, risks and personas imported from the CoSAI Risk Map.",
                "source": "CoSAI Risk Map (cosai-oasis/secure-ai-tooling, risk-map/)"
                + (f", commit {commit}" if commit else ""),
                "license": "Apache-2.0",
            },
            "scale": base.get("scale") or default_scale(),
            "tiers": base.get("tiers") or default_tiers(),
            "critical_threshold": base.get("critical_threshold", 50.0),
            "personas": [self.persona(p) for _, p in personas],
            "risks": [self.risk(r) for _, r in risks],
            "domains": list(domains.values()),
        }
        if base.get("gate_tier"):
            doc["gate_tier"] = base["gate_tier"]
        return doc

    def persona_refs(self, path, control, known: set[str], skipped: set[str]) -> list[str]:
        refs = control.get("personas") or []
        if not isinstance(refs, list):
            self.problem("controls.yaml", (*path, "personas"), "expected a list of persona ids")
            return []
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
        elif not isinstance(risks, list):
            self.problem("controls.yaml", (*path, "risks"), 'expected a list of risk ids or "all"')
            risks = []
        mappings = control.get("mappings") or {}
        if not (
            isinstance(mappings, dict) and all(isinstance(refs, list) for refs in mappings.values())
        ):
            self.problem("controls.yaml", (*path, "mappings"), "expected lists keyed by framework")
            mappings = {}
        result = {
            "id": control["id"],
            "name": " ".join(control["title"].split()),
            "description": self.prose(control.get("description")),
            "personas": personas,
            "risks": risks,
            "mappings": {str(k): [str(ref) for ref in refs] for k, refs in mappings.items()},
            "questions": [],
        }
        known = self.readiness_controls.get(control["id"])
        if known is not None:
            for field in ("guidance", "weight", "critical", "questions"):
                result[field] = known[field]
        return result

    def persona(self, persona: dict) -> dict:
        questions = persona.get("identificationQuestions") or []
        return {
            "id": persona["id"],
            "name": persona["title"],
            "description": self.prose(persona.get("description")),
            "questions": [_tidy(q) for q in questions if isinstance(q, str) and q.strip()],
        }

    def risk(self, risk: dict) -> dict:
        category = risk.get("category")
        return {
            "id": risk["id"],
            "name": risk["title"],
            "description": self.prose(risk.get("shortDescription")),
            "category": category if isinstance(category, str) else "",
        }

    def prose(self, value: Any) -> str:
        """Paragraph lists joined with blank lines; nested lists become bullet points."""
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        paragraphs = []
        for item in items:
            if isinstance(item, str):
                paragraphs.append(self.resolve(_tidy(item)))
            elif isinstance(item, list):
                bullets = (f"- {self.resolve(_tidy(x))}" for x in item if isinstance(x, str))
                paragraphs.append("\n".join(bullets))
        return "\n\n".join(p for p in paragraphs if p)

    def resolve(self, text: str) -> str:
        # `{{controlX}}` points at another item: show its title, as the Risk Map site does.
        return _CROSS_REFERENCE.sub(lambda m: self.titles.get(m.group(1), m.group(1)), text)


def _tidy(text: str) -> str:
    return " ".join(_CITATION.sub("", text).split())


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
