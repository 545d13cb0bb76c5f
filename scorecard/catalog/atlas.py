"""MITRE ATLAS (its `ATLAS.yaml`) as a native draft document.

- mitigations become controls with their ATLAS ids (`AML.M0000`), grouped into one domain
  per mitigation category (`Policy`, `Technical - ML`, ...; a mitigation without one goes
  into "Other mitigations"); their ML lifecycle stages become the control's
  `lifecycle_stages`, and the stages the vocabulary's lifecycle stages;
- techniques and sub-techniques become risks, a sub-technique right after its parent;
  the category is the name of the first tactic, and every tactic is kept as a
  `mitre-atlas-tactic` mapping (`AML.TA0002@5.6.0`), the maturity as `mitre-atlas-maturity`;
- the techniques a mitigation addresses become the control's risks;
- every control and risk maps to itself under `mitre-atlas`, pinned to the file's ATLAS
  version (`AML.M0007@5.6.0`), and to the ATT&CK entry it is adapted from under
  `mitre-attack` (a risk also gets that entry as a reference, with its link).

ATLAS asks no questions: controls arrive without any, on the default scale and tiers, and
the draft is published once questions are written or generated (`question_template`).
Tactics are not items of their own, and case studies are not imported.
"""

from __future__ import annotations

import re
from typing import Any

from scorecard.catalog.atlas_reader import AtlasReader, Mitigation, Technique
from scorecard.catalog.defaults import default_scale, default_tiers
from scorecard.catalog.document import FORMAT
from scorecard.catalog.problems import CatalogInvalid

SLUG = "mitre-atlas"
ATLAS = "mitre-atlas"
TACTIC = "mitre-atlas-tactic"
MATURITY = "mitre-atlas-maturity"
ATTACK = "mitre-attack"
OTHER_DOMAIN = ("other", "Other mitigations")

# The stages ATLAS names, in the order a system goes through them, in our own words.
STAGES = {
    "Business and Data Understanding": "Deciding what the system is for and which data "
    "it needs, before any is collected.",
    "Data Preparation": "Collecting, cleaning, labelling and storing the data a model learns from.",
    "ML Model Engineering": "Choosing, building and training the model.",
    "ML Model Evaluation": "Testing the trained model against its goals before release.",
    "Deployment": "Putting the model into service for the people and systems that use it.",
    "Monitoring and Maintenance": "Watching the model in service, then updating or retiring it.",
}


def atlas_to_document(
    data: Any, *, slug: str | None = None, version: str | None = None
) -> dict[str, Any]:
    """A draft document from parsed ATLAS YAML; CatalogInvalid with every problem's path.

    The framework version is `version`, else the file's ATLAS version (`5.6.0`); mapping
    pins always name the file's ATLAS version.
    """
    reader = AtlasReader(data)
    reader.read()
    atlas_version = _atlas_version(reader, data, required=version is None)
    if reader.problems:
        raise CatalogInvalid(reader.problems)
    return _document(reader, slug or SLUG, version or atlas_version, atlas_version)


def _atlas_version(reader: AtlasReader, data: Any, *, required: bool) -> str:
    found = data.get("version") if isinstance(data, dict) else None
    if isinstance(found, str) and found.strip():
        return found.strip()
    if found is not None:
        reader.problem(("version",), "expected the ATLAS version as text, e.g. '5.6.0'")
    elif required and not reader.problems:
        reader.problem(("version",), "missing; give the version to import as")
    return ""


def slug_of(name: str, fallback: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:120] or fallback


def _pinned(ref: str, atlas_version: str) -> str:
    return f"{ref}@{atlas_version}" if atlas_version else ref


def _document(reader: AtlasReader, slug: str, version: str, atlas_version: str) -> dict:
    stage_ids = _stage_ids(reader.mitigations)
    domains: dict[str, dict] = {}
    for mitigation in reader.mitigations:
        if mitigation.category:
            key, name = slug_of(mitigation.category, "category"), mitigation.category
        else:
            key, name = OTHER_DOMAIN
        domain = domains.setdefault(key, {"id": key, "name": name, "controls": []})
        domain["controls"].append(_control(mitigation, stage_ids, atlas_version))
    label = f"MITRE ATLAS {atlas_version}".strip()
    return {
        "format": FORMAT,
        "framework": {
            "slug": slug,
            "name": "MITRE ATLAS",
            "version": version,
            "description": "The mitigations of MITRE ATLAS as controls and its techniques "
            "as the risks they address. ATLAS asks no questions: write or generate them "
            "before publishing.",
            "source": f"{label} (mitre-atlas/atlas-data, dist/ATLAS.yaml)",
            "license": "Apache-2.0",
        },
        "scale": default_scale(),
        "tiers": default_tiers(),
        "mapping_schemes": _schemes(atlas_version),
        "vocabulary": {
            "lifecycle_stages": [
                {"id": ref, "name": name, "description": STAGES.get(name, "")}
                for name, ref in stage_ids.items()
            ]
        },
        "risks": [_risk(t, reader.tactics, atlas_version) for t in _ordered(reader.techniques)],
        "domains": list(domains.values()),
    }


def _stage_ids(mitigations: list[Mitigation]) -> dict[str, str]:
    """Stage name -> term id: ATLAS's known stages in their order, then any others."""
    used = {stage for m in mitigations for stage in m.stages}
    names = [name for name in STAGES if name in used]
    names += [name for m in mitigations for name in m.stages if name not in names]
    ids: dict[str, str] = {}
    for name in dict.fromkeys(names):
        ref = slug_of(name, "stage")
        while ref in ids.values():  # two names that differ only in punctuation
            ref += "-x"
        ids[name] = ref
    return ids


def _ordered(techniques: dict[str, Technique]) -> list[Technique]:
    """Techniques in file order, each sub-technique right after its parent."""
    children: dict[str, list[Technique]] = {}
    for technique in techniques.values():
        if technique.parent:
            children.setdefault(technique.parent, []).append(technique)
    ordered = []
    for technique in techniques.values():
        if not technique.parent:
            ordered.append(technique)
            ordered.extend(children.get(technique.id, ()))
    return ordered


def _control(mitigation: Mitigation, stage_ids: dict[str, str], atlas_version: str) -> dict:
    mappings = {ATLAS: [_pinned(mitigation.id, atlas_version)]}
    if mitigation.attack:
        mappings[ATTACK] = [mitigation.attack["id"]]
    return {
        "id": mitigation.id,
        "name": mitigation.name,
        "description": mitigation.description,
        "risks": list(mitigation.techniques),
        "mappings": mappings,
        "lifecycle_stages": [stage_ids[name] for name in mitigation.stages],
        "questions": [],
    }


def _risk(technique: Technique, tactics: dict[str, str], atlas_version: str) -> dict:
    mappings = {ATLAS: [_pinned(technique.id, atlas_version)]}
    if technique.tactics:
        mappings[TACTIC] = [_pinned(ref, atlas_version) for ref in technique.tactics]
    if technique.maturity:
        mappings[MATURITY] = [technique.maturity]
    references = [{"type": "reference", **ref} for ref in technique.references]
    if technique.attack:
        mappings[ATTACK] = [technique.attack["id"]]
        if technique.attack["url"]:
            ref = technique.attack["id"]
            references.insert(
                0,
                {
                    "type": ATTACK,
                    "id": ref,
                    "title": f"MITRE ATT&CK {ref}",
                    "url": technique.attack["url"],
                },
            )
    return {
        "id": technique.id,
        "name": technique.name,
        "description": technique.description,
        "category": tactics[technique.tactics[0]] if technique.tactics else "",
        "references": references,
        "mappings": mappings,
    }


def _schemes(atlas_version: str) -> list[dict]:
    def pin(scheme: str) -> dict:
        if not atlas_version:
            return {}
        return {"version": atlas_version, "version_id": f"{scheme}@{atlas_version}"}

    return [
        {
            "id": ATLAS,
            "name": "MITRE ATLAS",
            "full_name": "Adversarial Threat Landscape for Artificial-Intelligence Systems",
            "description": "Mitigations (AML.M…) and techniques (AML.T…) of MITRE ATLAS.",
            "base_uri": "https://atlas.mitre.org",
            "applies_to": ["controls", "risks"],
            **pin(ATLAS),
        },
        {
            "id": TACTIC,
            "name": "MITRE ATLAS tactic",
            "description": "The adversary's goals (AML.TA…) a technique serves.",
            "base_uri": "https://atlas.mitre.org",
            "technique_uri_pattern": "https://atlas.mitre.org/tactics/{id}",
            "applies_to": ["risks"],
            **pin(TACTIC),
        },
        {
            "id": MATURITY,
            "name": "ATLAS maturity",
            "description": "How far a technique has been seen in use: feasible (shown in "
            "research), demonstrated (shown against a realistic system) or realized (used "
            "in a real attack).",
            "applies_to": ["risks"],
            **pin(MATURITY),
        },
        {
            "id": ATTACK,
            "name": "MITRE ATT&CK",
            "description": "The ATT&CK technique or mitigation an ATLAS entry is adapted from.",
            "base_uri": "https://attack.mitre.org",
            "applies_to": ["controls", "risks"],
        },
    ]
