"""Pieces of the OSCAL reader (`oscal`): ids and codes of groups and controls, our own
namespaced content, and the OSCAL data kept verbatim beside the native fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scorecard.catalog import limits, oscal_common
from scorecard.catalog.oscal_codec import decode, ours
from scorecard.catalog.problems import render_path

Path_ = tuple[str | int, ...]
KEPT_KEYS = ("class", "params", "props", "links", "parts")
# Metadata the export writes from native fields; the rest is the source's and kept.
_WRITTEN_METADATA = ("title", "version", "last-modified", "oscal-version", "remarks")


class Nodes:
    """Checks ids of groups and controls once each and reads their namespaced content."""

    def __init__(self, problem: Callable[[Path_, str], None]):
        self.problem = problem
        self.control_ids: dict[str, Path_] = {}
        self.group_ids: dict[str, Path_] = {}
        self.codes: dict[str, set[str]] = {"domain": set(), "control": set()}

    def valid_id(self, ref: str, path: Path_) -> bool:
        # OSCAL tokens allow any Unicode letter; our ids end up in URLs, so they may not.
        problem = limits.id_problem(ref)
        if problem:
            self.problem(path, problem)
        return problem is None

    def group_id(self, group: dict, here: Path_, *, fresh: Callable[[], str]) -> str | None:
        ref = group.get("id") if _is_str(group.get("id")) else None
        if ref is not None and not self.valid_id(ref, (*here, "id")):
            return None
        if ref in self.group_ids:
            where = render_path(self.group_ids[ref])
            self.problem((*here, "id"), f'duplicate group id "{ref}" (first used at {where})')
            return None
        ref = ref or fresh()
        self.group_ids[ref] = here
        return ref

    def control_id(self, control: Any, here: Path_) -> str | None:
        if not isinstance(control, dict):
            self.problem(here, "expected an object")
            return None
        ref = control.get("id")
        if not _is_str(ref):
            self.problem((*here, "id"), "required text is missing")
            return None
        if not self.valid_id(ref, (*here, "id")):
            return None
        if ref in self.control_ids:
            where = render_path(self.control_ids[ref])
            self.problem((*here, "id"), f'duplicate control id "{ref}" (first used at {where})')
            return None
        self.control_ids[ref] = here
        return ref

    def ours(self, node: dict, path: Path_) -> dict[str, Any]:
        """What our own namespace says about `node` (empty for other catalogs).

        Exports before version 1.2 of this format wrote the weight and critical flag without
        a class, so both are read from text too; the weight is checked where it stands."""
        props = _list(node.get("props"))
        typed = [
            {k: v for k, v in prop.items() if k != "class"}
            if ours(prop) and prop.get("name") in ("weight", "critical")
            else prop
            for prop in props
        ]
        try:
            record = decode(typed, node.get("parts"))
        except ValueError as error:
            self.problem((*path, "props"), f"a Scorecard prop is not a number: {error}")
            return {}
        if "critical" in record:
            record["critical"] = record["critical"] == "true"
        if "weight" in record:
            index = next(i for i, p in enumerate(props) if ours(p) and p.get("name") == "weight")
            raw = record["weight"].strip()
            problem = limits.weight_problem(_float(raw))
            if problem:
                self.problem((*path, "props", index, "value"), f"weight {problem}")
                del record["weight"]
            else:
                record["weight"] = float(raw)
        return record

    def code_of(self, node: dict, kind: str, extra: dict) -> dict:
        """The display code: ours when we wrote one, else OSCAL's `label` when usable.

        Labels are optional display text in OSCAL, so one that is not a valid code, or one a
        second group or control repeats, is not an error here: a code is generated instead.
        """
        label = extra.get("code")
        if not isinstance(label, str):
            found = oscal_common.first_label(node.get("props"))
            label = str(found.get("value", "")).strip() if found else ""
        if limits.code_problem(label) or label in self.codes[kind]:
            return {}
        self.codes[kind].add(label)
        return {"code": label}

    def kept(self, node: dict, *, code: str, generated: list[dict]) -> dict[str, Any]:
        """The node's OSCAL data that the export could not make again from native fields."""
        kept: dict[str, Any] = {}
        for key in KEPT_KEYS:
            value = node.get(key)
            if key in ("props", "parts") and isinstance(value, list):
                value = [item for item in value if not ours(item)]
                if key == "props" and oscal_common.label_only(value, code):
                    value = []
                if key == "parts" and value == generated:
                    value = []
            if value:
                kept[key] = value
        if "props" not in kept and oscal_common.first_label(node.get("props")) is None:
            # No label in the source: the export must not invent one from the code.
            kept["props"] = []
        return kept


def definitions_of(catalog: dict, problem: Callable[[Path_, str], None]) -> dict | None:
    """The Scorecard-only content of a catalog we wrote, or None for any other catalog."""
    for index, group in enumerate(_list(catalog.get("groups"))):
        if isinstance(group, dict) and group.get("class") == oscal_common.DEFINITIONS:
            try:
                return decode(group.get("props"), group.get("parts"))
            except ValueError as error:
                path = ("catalog", "groups", index)
                problem(path, f"a Scorecard prop is not a number: {error}")
                return {}
    return None


def catalog_data(catalog: dict, meta: dict, *, uuids: set[str]) -> dict[str, Any]:
    """The catalog's own OSCAL data: its uuid (unless the export would make the same one),
    the metadata the export does not write from native fields, params and back-matter."""
    kept: dict[str, Any] = {}
    if _is_str(catalog.get("uuid")) and catalog["uuid"] not in uuids:
        kept["uuid"] = catalog["uuid"]
    metadata = {key: value for key, value in meta.items() if key not in _WRITTEN_METADATA}
    if metadata:
        kept["metadata"] = metadata
    for key in ("params", "back-matter"):
        if catalog.get(key):
            kept[key] = catalog[key]
    return kept


def _float(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _is_str(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
