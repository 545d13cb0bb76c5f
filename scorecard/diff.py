"""What changed between two versions of a catalog.

Works on native documents (the dicts `scorecard.catalog.stored_document.framework_to_document`
returns, the same shape as the bundled YAML) so it needs no database and can compare a
stored version with a file. Items are matched by their `id`; order within a list is not
reported, because reordering one control would otherwise mark every following one changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

Document = Mapping[str, Any]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Item:
    ref: str
    label: str
    # Where the item sits, e.g. the domain of a control; shown so added/removed items
    # can be found without opening the other version.
    context: str = ""


@dataclass(frozen=True)
class ChangedItem:
    ref: str
    label: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class SectionDiff:
    kind: str
    title: str
    added: tuple[Item, ...] = ()
    removed: tuple[Item, ...] = ()
    changed: tuple[ChangedItem, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class CatalogDiff:
    old_label: str
    new_label: str
    settings: tuple[FieldChange, ...]
    sections: tuple[SectionDiff, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.settings and all(section.is_empty for section in self.sections)

    def section(self, kind: str) -> SectionDiff:
        for section in self.sections:
            if section.kind == kind:
                return section
        raise KeyError(kind)


def show(value: Any) -> str:
    """One readable line for a field value, stable across documents."""
    if value is None:
        return "—"
    if value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "; ".join(show(part) for part in value) if value else "(none)"
    return str(value)


def _number(value: Any) -> Any:
    # YAML gives 1 for `weight: 1` while the database gives 1.0; both mean the same.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _mappings(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return sorted(f"{scheme}: {ref}" for scheme, refs in value.items() for ref in refs or ())
    if isinstance(value, list):
        # Tolerate a list of {scheme, reference} rows as well as the native mapping.
        rows = (f"{row.get('scheme', '')}: {row.get('reference', '')}" for row in value)
        return sorted(rows)
    return []


def _options(value: Any) -> list[str]:
    return [f"{row.get('label', '')} = {show(_number(row.get('value')))}" for row in value or ()]


def _descriptions(value: Any) -> list[str]:
    return [f"{row.get('label', '')}: {row.get('description', '')}" for row in value or ()]


def _tiers(value: Any) -> list[str]:
    return [f"{row.get('name', '')} ≥ {show(_number(row.get('min_score')))}" for row in value or ()]


# Each compared field comes with the function that normalises it before comparing.
Normaliser = Callable[[Any], Any]


def _sorted_list(value: Any) -> list[str]:
    return sorted(str(part) for part in value or ())


def _list(value: Any) -> list[str]:
    return [str(part) for part in value or ()]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _terms(value: Any) -> list[str] | str:
    # "all" and "none" are compared as they are written; lists in any order.
    return value if isinstance(value, str) else _sorted_list(value)


def _references(value: Any) -> list[str]:
    return sorted(
        f"{row.get('id', '')}: {row.get('title', '')} <{row.get('url', '')}>"
        for row in value or ()
        if isinstance(row, Mapping)
    )


SETTINGS_FIELDS: tuple[tuple[str, Normaliser], ...] = (
    ("name", _text),
    ("description", _text),
    ("source", _text),
    ("license", _text),
    ("critical_threshold", _number),
    ("gate_tier", _text),
    ("scale", _options),
    ("scale option descriptions", _descriptions),
    ("tiers", _tiers),
)
DOMAIN_FIELDS = (
    ("code", _text),
    ("name", _text),
    ("description", _text),
    ("weight", _number),
    ("parent", _text),
)
CONTROL_FIELDS = (
    ("code", _text),
    ("name", _text),
    ("description", _text),
    ("guidance", _text),
    ("weight", _number),
    ("critical", bool),
    ("domain", _text),
    ("personas", _sorted_list),
    ("risks", _sorted_list),
    ("mappings", _mappings),
    ("components", _terms),
    ("lifecycle_stages", _terms),
    ("actor_access", _terms),
    ("impact_types", _terms),
    ("evidence_autonomy", _text),
)
QUESTION_FIELDS = (
    ("code", _text),
    ("text", _text),
    ("help", _text),
    ("type", _text),
    ("weight", _number),
    ("allow_na", bool),
    ("evidence", _text),
    ("control", _text),
    ("options", _options),
    ("option descriptions", _descriptions),
)
PERSONA_FIELDS = (
    ("name", _text),
    ("description", _text),
    ("questions", _list),
    ("responsibilities", _list),
    ("mappings", _mappings),
)
RISK_FIELDS = (
    ("name", _text),
    ("description", _text),
    ("category", _text),
    ("long_description", _text),
    ("examples", _text),
    ("references", _references),
    ("mappings", _mappings),
    ("lifecycle_stages", _terms),
    ("actor_access", _terms),
    ("impact_types", _terms),
)


def _settings(document: Document) -> dict[str, Any]:
    meta = dict(document.get("framework") or {})
    for key in ("critical_threshold", "gate_tier"):
        # Older documents keep these under `framework`; newer ones at the top level.
        if key in document:
            meta[key] = document[key]
    meta["scale"] = document.get("scale") or []
    meta["scale option descriptions"] = document.get("scale") or []
    meta["tiers"] = document.get("tiers") or []
    return meta


def _walk_domains(
    domains: Iterable[Mapping[str, Any]], parent: str = ""
) -> Iterator[dict[str, Any]]:
    for domain in domains or ():
        yield {**domain, "parent": parent}
        yield from _walk_domains(domain.get("domains") or (), parent=str(domain.get("id", "")))


def _flatten(document: Document) -> dict[str, dict[str, dict[str, Any]]]:
    """Index every kind of item by id, recording each item's parent as a field."""
    domains: dict[str, dict[str, Any]] = {}
    controls: dict[str, dict[str, Any]] = {}
    questions: dict[str, dict[str, Any]] = {}
    for domain in _walk_domains(document.get("domains") or ()):
        domain_id = str(domain.get("id", ""))
        domains[domain_id] = domain
        for control in domain.get("controls") or ():
            control_id = str(control.get("id", ""))
            controls[control_id] = {**control, "domain": domain_id}
            for question in control.get("questions") or ():
                questions[str(question.get("id", ""))] = {**question, "control": control_id}
    return {
        "domain": domains,
        "control": controls,
        "question": questions,
        "persona": {str(row.get("id", "")): dict(row) for row in document.get("personas") or ()},
        "risk": {str(row.get("id", "")): dict(row) for row in document.get("risks") or ()},
    }


def _field_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], fields: Iterable[tuple[str, Normaliser]]
) -> tuple[FieldChange, ...]:
    changes = []
    for name, normalise in fields:
        before, after = normalise(old.get(name)), normalise(new.get(name))
        if before != after:
            changes.append(FieldChange(name, show(before), show(after)))
    return tuple(changes)


def _label(row: Mapping[str, Any]) -> str:
    return str(row.get("name") or row.get("text") or row.get("id", ""))


def _context(kind: str, row: Mapping[str, Any]) -> str:
    parent = {"domain": "parent", "control": "domain", "question": "control"}.get(kind)
    return str(row.get(parent) or "") if parent else ""


SECTIONS: tuple[tuple[str, str, tuple[tuple[str, Normaliser], ...]], ...] = (
    ("domain", "Domains", DOMAIN_FIELDS),
    ("control", "Controls", CONTROL_FIELDS),
    ("question", "Questions", QUESTION_FIELDS),
    ("persona", "Personas", PERSONA_FIELDS),
    ("risk", "Risks", RISK_FIELDS),
)


def _section(
    kind: str,
    title: str,
    fields: tuple[tuple[str, Normaliser], ...],
    old: Mapping[str, Mapping[str, Any]],
    new: Mapping[str, Mapping[str, Any]],
) -> SectionDiff:
    added = tuple(
        Item(ref, _label(new[ref]), _context(kind, new[ref])) for ref in new if ref not in old
    )
    removed = tuple(
        Item(ref, _label(old[ref]), _context(kind, old[ref])) for ref in old if ref not in new
    )
    changed = []
    for ref in new:
        if ref in old:
            changes = _field_changes(old[ref], new[ref], fields)
            if changes:
                changed.append(ChangedItem(ref, _label(new[ref]), changes))
    return SectionDiff(kind, title, added, removed, tuple(changed))


def _version_label(document: Document) -> str:
    meta = document.get("framework") or {}
    return f"{meta.get('name', '')} {meta.get('version', '')}".strip()


def diff_documents(old: Document, new: Document) -> CatalogDiff:
    """Compare two native catalog documents; `old` is the baseline."""
    old_items, new_items = _flatten(old), _flatten(new)
    sections = tuple(
        _section(kind, title, fields, old_items[kind], new_items[kind])
        for kind, title, fields in SECTIONS
    )
    return CatalogDiff(
        old_label=_version_label(old),
        new_label=_version_label(new),
        settings=_field_changes(_settings(old), _settings(new), SETTINGS_FIELDS),
        sections=sections,
    )
