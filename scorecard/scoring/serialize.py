"""A Result as plain JSON and back, exactly.

Snapshots of finalised assessments store the whole Result so a report printed years later shows
the numbers the auditor signed off, not a recomputation. Two properties matter:

* ``result_from_dict(result_to_dict(r)) == r`` for every result, after a trip through any JSON
  store. Floats survive because JSON writes their shortest round-tripping form; mappings are
  written as lists, because some stores (PostgreSQL jsonb) reorder object keys and the order of
  domains, controls and risks is part of what a report shows.
* ``result_hash`` is the same for equal results on every machine, so a stored hash can be
  checked against a stored result.

Field lists come from the dataclasses themselves, so a field added to the engine's outputs is
carried along without touching this module (older documents fall back to the field's default).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from .model import ControlScore, Gap, NodeScore, Result, RiskScore, Term

RESULT_FORMAT = "scorecard-result/1"

# Result fields that are id -> record mappings, written as a list of records in order.
_RECORDS = {"domains": NodeScore, "controls": ControlScore, "risks": RiskScore}
# Fields holding tuples of records; every other tuple holds plain values.
_SEQUENCES = {"explanation": Term, "gaps": Gap}
# Fields left out while empty: the system terms of a 1.1 scope. Results scored without them
# (every 1.0 result) store and hash exactly as they did before the fields existed.
_OMITTED_WHEN_EMPTY = frozenset({"components", "lifecycle_stages", "actor_access"})


class ResultFormatError(ValueError):
    """A stored document is not a result this version can read."""


def result_to_dict(result: Result) -> dict[str, Any]:
    """JSON-ready dict of every field of the result (lists only, no tuples or sets)."""
    out: dict[str, Any] = {"format": RESULT_FORMAT}
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if field.name in _OMITTED_WHEN_EMPTY and not value:
            continue
        if field.name in _RECORDS:
            out[field.name] = [_record_to_dict(rec) for rec in value.values()]
        elif isinstance(value, Mapping):
            out[field.name] = _mapping_to_pairs(value)
        else:
            out[field.name] = _plain(value)
    return out


def result_from_dict(document: Mapping[str, Any]) -> Result:
    """The Result a result_to_dict document describes; ResultFormatError if it is not one."""
    if not isinstance(document, Mapping):
        raise ResultFormatError("a stored result must be a JSON object")
    if document.get("format") != RESULT_FORMAT:
        raise ResultFormatError(
            f"unknown result format {document.get('format')!r}; expected {RESULT_FORMAT!r}"
        )
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Result):
        if field.name not in document:
            if _has_default(field):
                continue
            raise ResultFormatError(f"stored result lacks {field.name!r}")
        raw = document[field.name]
        if field.name in _RECORDS:
            cls = _RECORDS[field.name]
            records = [_record_from_dict(cls, item) for item in raw]
            values[field.name] = {rec.id: rec for rec in records}
        elif field.name in _SEQUENCES:
            values[field.name] = tuple(_record_from_dict(_SEQUENCES[field.name], i) for i in raw)
        else:
            values[field.name] = _value(field, raw)
    return Result(**values)


def canonical_json(document: Any) -> bytes:
    """One byte sequence per document: sorted keys, no spaces, UTF-8; NaN is refused."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def result_hash(result: Result | Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of a result or of its stored document."""
    document = result_to_dict(result) if isinstance(result, Result) else result
    return hashlib.sha256(canonical_json(document)).hexdigest()


# --- internals ------------------------------------------------------------------------------


_SCALARS = (str, int, float, bool, type(None))
_SCALAR_TYPES = frozenset(_SCALARS)
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    # dataclasses.fields() is slow enough to dominate when thousands of terms are written.
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _plain(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return _mapping_to_pairs(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _record_to_dict(value)
    return value


def _mapping_to_pairs(mapping: Mapping[str, Any]) -> list[list[Any]]:
    return [[key, _plain(value)] for key, value in mapping.items()]


def _record_to_dict(record: Any) -> dict[str, Any]:
    out = {}
    for name in _field_names(type(record)):
        value = getattr(record, name)
        # Inline test for the common case: most fields of most records are plain values.
        out[name] = value if type(value) in _SCALAR_TYPES else _plain(value)
    return out


def _record_from_dict(cls: type, raw: Any) -> Any:
    if not isinstance(raw, Mapping):
        raise ResultFormatError(f"a stored {cls.__name__} must be a JSON object, got {raw!r}")
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.name not in raw:
            if _has_default(field):
                continue
            raise ResultFormatError(f"stored {cls.__name__} lacks {field.name!r}")
        item = raw[field.name]
        if field.name == "explanation":
            values[field.name] = tuple(_record_from_dict(Term, term) for term in item)
        else:
            values[field.name] = _value(field, item)
    return cls(**values)


def _value(field: dataclasses.Field, raw: Any) -> Any:
    annotation = str(field.type)
    if annotation.startswith("dict["):
        nested = annotation.count("dict[") > 1
        return {
            key: ({k: _number(v) for k, v in value} if nested else _number(value))
            for key, value in raw
        }
    if annotation.startswith("tuple[") and isinstance(raw, list):
        return tuple(raw)
    if "float" in annotation:
        return _number(raw)
    return raw


def _number(raw: Any) -> Any:
    # A store may hand back a whole float as an int (PostgreSQL prints 1e20 without a point);
    # float() restores the exact value JSON wrote, since such floats are whole numbers.
    if isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    return raw


def _has_default(field: dataclasses.Field) -> bool:
    return (
        field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
    )


__all__ = [
    "RESULT_FORMAT",
    "ResultFormatError",
    "canonical_json",
    "result_from_dict",
    "result_hash",
    "result_to_dict",
]
