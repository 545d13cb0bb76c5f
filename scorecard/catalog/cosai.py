"""The CoSAI Risk Map (its `yaml/` folder) as a native draft document.

Every file of the Risk Map's current schema is read (controls, risks, personas, components,
frameworks, actor access, impact types, lifecycle stages) and checked against the Risk
Map's own JSON Schemas first (`cosai_schema`). Control categories become domains, controls
controls, and risks and active personas (deprecated ones are skipped) come along with their
ids, so ids match the bundled scorecard. The components with their categories, the
lifecycle stages, actor access levels and impact types become the catalog's vocabulary,
and frameworks.yaml its mapping schemes; controls and risks keep which terms they concern.

The Risk Map asks no questions; questions, the scale, tiers, guidance, weights, critical
flags and the autonomy evidence rule are taken from the bundled readiness scorecard for
every control whose id it knows. Controls it does not know arrive without questions: the
import succeeds as a draft, and publishing it waits until someone writes them.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from scorecard.catalog import cosai_vocabulary
from scorecard.catalog.cosai_reader import Reader
from scorecard.catalog.cosai_schema import FILE_SCHEMAS, schema_problems
from scorecard.catalog.defaults import default_scale, default_tiers
from scorecard.catalog.document import FORMAT
from scorecard.catalog.native import read_data_file
from scorecard.catalog.problems import CatalogInvalid, Problem

SLUG = "cosai-rm"
FILES = tuple(FILE_SCHEMAS)
VOCABULARY_LISTS = (
    ("components.yaml", "categories"),
    ("components.yaml", "components"),
    ("lifecycle-stage.yaml", "lifecycleStages"),
    ("actor-access.yaml", "actorAccessLevels"),
    ("impact-type.yaml", "impactTypes"),
)


def cosai_to_document(
    directory: Path | str,
    *,
    version: str | None = None,
    readiness: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A draft document from the Risk Map files in `directory`.

    `readiness` is the normalised bundled scorecard whose questions are attached; without
    it every control arrives without questions, on the default scale and tiers. Raises
    CatalogInvalid naming the file and path of every problem found.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise CatalogInvalid([Problem("", "not a directory")], source=str(directory))
    data = _read_files(directory)
    reader = Reader(directory, data, readiness)
    commit = source_commit(directory)
    if version is None:
        version = f"rm-{commit[:7]}" if commit else f"import-{datetime.date.today():%Y-%m-%d}"
    doc = _document(reader, version, commit=commit)
    if reader.problems:
        raise CatalogInvalid(reader.problems)
    return doc


def _read_files(directory: Path) -> dict[str, Any]:
    """Every file parsed and held to its schema; all problems of all files at once."""
    problems: list[Problem] = []
    data = {}
    for name in FILES:
        path = directory / name
        try:
            data[name] = read_data_file(path)
        except CatalogInvalid as invalid:
            problems.extend(
                Problem(p.path, p.message, source=p.source or invalid.source)
                for p in invalid.problems
            )
            continue
        problems.extend(schema_problems(data[name], name, source=str(path)))
    if problems:
        raise CatalogInvalid(problems)
    return data


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


def _vocabulary(reader: Reader) -> dict[str, list[dict]]:
    data = reader.data
    categories, components = cosai_vocabulary.component_lists(data["components.yaml"], reader.prose)
    return {
        "component_categories": categories,
        "components": components,
        "lifecycle_stages": cosai_vocabulary.lifecycle_stages(data["lifecycle-stage.yaml"]),
        "actor_access": cosai_vocabulary.grouped_terms(
            data["actor-access.yaml"], "actorAccessLevels"
        ),
        "impact_types": cosai_vocabulary.grouped_terms(data["impact-type.yaml"], "impactTypes"),
    }


def _document(reader: Reader, version: str, *, commit: str | None) -> dict[str, Any]:
    # Titles first, so cross-references in any text resolve whatever file they point into.
    categories = reader.entries("controls.yaml", "categories")
    controls = reader.entries("controls.yaml", "controls")
    risks = reader.entries("risks.yaml", "risks")
    every_persona = reader.entries("personas.yaml", "personas")
    # The vocabulary files' ids are held to the id rule here, with their file and path.
    for name, key in VOCABULARY_LISTS:
        reader.entries(name, key)
    reader.entries("frameworks.yaml", "frameworks", title="name")
    schemes = cosai_vocabulary.mapping_schemes(reader.data["frameworks.yaml"])
    reader.schemes = {scheme["id"]: scheme for scheme in schemes}
    vocabulary = _vocabulary(reader)
    reader.know_terms(vocabulary)
    personas = [(path, p) for path, p in every_persona if not p.get("deprecated")]
    skipped = {p["id"] for _, p in every_persona if p.get("deprecated")}
    risk_ids = [r["id"] for _, r in risks]
    persona_ids = {p["id"] for _, p in personas}
    domains = {c["id"]: {"id": c["id"], "name": c["title"], "controls": []} for _, c in categories}
    for path, control in controls:
        domain = domains.get(control.get("category"))
        if domain is None:
            reader.problem("controls.yaml", (*path, "category"), "names no category")
            continue
        refs = reader.persona_refs(path, control, persona_ids, skipped)
        domain["controls"].append(reader.control(path, control, refs, risk_ids))
    base = reader.readiness or {}
    doc: dict[str, Any] = {
        "format": FORMAT,
        "framework": {
            "slug": SLUG,
            "name": "CoSAI Risk Map",
            "version": version,
            "description": "Controls, risks, personas and the vocabulary of AI system parts "
            "imported from the CoSAI Risk Map.",
            "source": "CoSAI Risk Map (cosai-oasis/secure-ai-tooling, risk-map/)"
            + (f", commit {commit}" if commit else ""),
            "license": "Apache-2.0",
        },
        "scale": base.get("scale") or default_scale(),
        "tiers": base.get("tiers") or default_tiers(),
        "critical_threshold": base.get("critical_threshold", 50.0),
        "mapping_schemes": schemes,
        "vocabulary": vocabulary,
        "personas": [
            {
                **reader.persona(p),
                "mappings": reader.mappings("personas.yaml", path, p),
            }
            for path, p in personas
        ],
        "risks": [reader.risk(path, r) for path, r in risks],
        "domains": list(domains.values()),
    }
    if base.get("gate_tier"):
        doc["gate_tier"] = base["gate_tier"]
    return doc
