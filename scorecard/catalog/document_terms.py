"""The Risk Map parts of a native document: their rules and their normal form.

`scorecard.catalog.document` calls these for the vocabulary, the term lists of controls
and risks, the mapping schemes and the pins that name them, risk references and the
citations of them in prose, and the autonomy evidence rule. The schema checks the shapes;
the rules here check what spans places (an id that must resolve, an id used twice).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from scorecard.catalog import mappings, vocabulary
from scorecard.catalog.prose import CITATION

Path_ = tuple[str | int, ...]
AddProblem = Callable[[Path_, str], None]
Items = Iterable[tuple[Path_, dict]]

PROSE_FIELDS = ("description", "long_description", "examples")


def check(doc: dict, *, personas: Items, risks: Items, controls: Items, add: AddProblem) -> None:
    known = vocabulary.check_vocabulary(doc, add)
    schemes = _schemes(doc, add)
    for path, persona in personas:
        mappings.check_pins(path, persona.get("mappings"), schemes, add)
    for path, risk in risks:
        vocabulary.check_term_refs(path, risk, vocabulary.RISK_TERM_FIELDS, known, add)
        mappings.check_pins(path, risk.get("mappings"), schemes, add)
        _check_references(path, risk, add)
    for path, control in controls:
        vocabulary.check_term_refs(path, control, vocabulary.CONTROL_TERM_FIELDS, known, add)
        mappings.check_pins(path, control.get("mappings"), schemes, add)


def _schemes(doc: dict, add: AddProblem) -> dict[str, dict]:
    found: dict[str, dict] = {}
    items = doc.get("mapping_schemes")
    for index, scheme in enumerate(items if isinstance(items, list) else ()):
        ref = scheme.get("id") if isinstance(scheme, dict) else None
        if not isinstance(ref, str):
            continue
        if ref in found:
            add(("mapping_schemes", index, "id"), f'duplicate mapping scheme id "{ref}"')
        else:
            found[ref] = scheme
    return found


def _check_references(path: Path_, risk: dict, add: AddProblem) -> None:
    ids: set[str] = set()
    items = risk.get("references")
    for index, reference in enumerate(items if isinstance(items, list) else ()):
        ref = reference.get("id") if isinstance(reference, dict) else None
        if not isinstance(ref, str):
            continue
        if ref in ids:
            add((*path, "references", index, "id"), f'duplicate reference id "{ref}"')
        ids.add(ref)
    for field in PROSE_FIELDS:
        text = risk.get(field)
        if not isinstance(text, str):
            continue
        for cited in dict.fromkeys(CITATION.findall(text)):
            if cited not in ids:
                add((*path, field), f'cites "{{{{ref:{cited}}}}}", which no reference has as id')


# --- normal form ---------------------------------------------------------------------------


def normal_top(doc: dict) -> dict[str, Any]:
    return {
        "mapping_schemes": [mappings.normalise_scheme(s) for s in doc.get("mapping_schemes") or ()],
        "vocabulary": vocabulary.normalise_vocabulary(doc.get("vocabulary")),
    }


def normal_persona(persona: dict) -> dict[str, Any]:
    return {
        "responsibilities": list(persona.get("responsibilities") or ()),
        "mappings": mappings.normalise_mappings(persona.get("mappings")),
    }


def normal_risk(risk: dict) -> dict[str, Any]:
    normal: dict[str, Any] = {
        "long_description": risk.get("long_description", ""),
        "examples": risk.get("examples", ""),
        "references": [
            {key: reference[key] for key in ("type", "id", "title", "url")}
            for reference in risk.get("references") or ()
        ],
        "mappings": mappings.normalise_mappings(risk.get("mappings")),
    }
    for field in vocabulary.RISK_TERM_FIELDS.values():
        normal[field] = vocabulary.normal_refs(risk.get(field))
    return normal


def normal_control(control: dict) -> dict[str, Any]:
    normal: dict[str, Any] = {
        field: vocabulary.normal_refs(control.get(field))
        for field in vocabulary.CONTROL_TERM_FIELDS.values()
    }
    normal["evidence_autonomy"] = control.get("evidence_autonomy") or None
    return normal
