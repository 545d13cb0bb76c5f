"""Scorecard-only content as OSCAL props and parts in our own namespace, and back.

OSCAL has no place for questions, weights, tiers or personas, but every object may carry
props and parts of a namespace of its own (`ns`), which other tools keep and ignore. A
record (a dict of texts, numbers, flags, lists and nested records) is written as:

- a one-line text: a prop `{name, ns, value}`;
- any other text (several lines, or blanks at either end): a part whose prose is the text;
- a number: a prop of class `number`, written as an exact decimal (`1234567`, `0.125`),
  which reads back as the very same float; a flag: a prop of class `boolean`;
- a list of texts: one prop (or part) of class `list` per item, in order;
- a mapping of lists (a control's mappings): a part of class `mapping` per key;
- a nested record or a list of them (questions, options): parts of class `record` or `item`;
- a mapping whose keys are not tokens (titles by reference): a part of class `entry` per key.

Empty texts and lists, and None, are left out: reading back fills the native defaults.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

NS = "urn:scorecard:oscal"
# OSCAL's token type (prop and part names), in its ASCII part.
_TOKEN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
# OSCAL's string type: no blank at either end, no line break inside.
_ONE_LINE = re.compile(r"^\S(.*\S)?$")


def exact(number: float) -> str:
    """The shortest decimal that reads back as `number`, without an exponent."""
    text = format(Decimal(repr(float(number))).normalize(), "f")
    return text


def one_line(text: str) -> bool:
    return bool(_ONE_LINE.fullmatch(text)) and "\n" not in text and "\r" not in text


def encode(record: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """`record` as (props, parts) in our namespace."""
    props: list[dict] = []
    parts: list[dict] = []
    for name, value in record.items():
        _encode_field(name, value, props, parts)
    return props, parts


def _encode_field(name: str, value: Any, props: list, parts: list) -> None:
    if value is None or value == "" or value == [] or value == {}:
        return
    if isinstance(value, bool):
        props.append(_prop(name, "true" if value else "false", "boolean"))
    elif isinstance(value, int | float):
        props.append(_prop(name, exact(value), "number"))
    elif isinstance(value, str):
        if one_line(value):
            props.append(_prop(name, value))
        else:
            parts.append({"name": name, "ns": NS, "prose": value})
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        if all(one_line(item) for item in value):
            props.extend(_prop(name, item, "list") for item in value)
        else:
            parts.extend({"name": name, "ns": NS, "class": "list", "prose": v} for v in value)
    elif isinstance(value, list):
        for item in value:
            inner_props, inner_parts = encode(item)
            parts.append(_part(name, "item", inner_props, inner_parts))
    elif isinstance(value, dict) and all(isinstance(v, list) for v in value.values()):
        for key, refs in value.items():
            inner_props, inner_parts = encode({"key": key, "values": list(refs)})
            parts.append(_part(name, "mapping", inner_props, inner_parts))
    elif isinstance(value, dict) and all(_TOKEN.fullmatch(str(key)) for key in value):
        inner_props, inner_parts = encode(value)
        parts.append(_part(name, "record", inner_props, inner_parts))
    elif isinstance(value, dict):
        # Keys that are not OSCAL tokens (a scheme's titles by reference, `2-1`) cannot be
        # prop names, so each key travels beside its value.
        for key, item in value.items():
            inner_props, inner_parts = encode({"key": str(key), "value": item})
            parts.append(_part(name, "entry", inner_props, inner_parts))
    else:
        raise TypeError(f"cannot write {name}={value!r} as OSCAL")


def _prop(name: str, value: str, kind: str | None = None) -> dict:
    prop = {"name": name, "ns": NS, "value": value}
    if kind:
        prop["class"] = kind
    return prop


def _part(name: str, kind: str, props: list, parts: list) -> dict:
    part: dict[str, Any] = {"name": name, "ns": NS, "class": kind}
    if props:
        part["props"] = props
    if parts:
        part["parts"] = parts
    return part


def ours(item: Any) -> bool:
    return isinstance(item, dict) and item.get("ns") == NS


def decode(props: Any, parts: Any) -> dict[str, Any]:
    """The record `encode` wrote; props and parts of other namespaces are ignored.

    Raises ValueError for a number that is not one, so the importer can say where."""
    record: dict[str, Any] = {}
    for prop in props if isinstance(props, list) else ():
        if not (ours(prop) and isinstance(prop.get("name"), str)):
            continue
        name, value, kind = prop["name"], str(prop.get("value", "")), prop.get("class")
        if kind == "number":
            record[name] = float(value)
        elif kind == "boolean":
            record[name] = value == "true"
        elif kind == "list":
            record.setdefault(name, []).append(value)
        else:
            record[name] = value
    for part in parts if isinstance(parts, list) else ():
        if not (ours(part) and isinstance(part.get("name"), str)):
            continue
        name, kind = part["name"], part.get("class")
        if kind == "list":
            record.setdefault(name, []).append(str(part.get("prose", "")))
        elif kind == "item":
            record.setdefault(name, []).append(_inner(part))
        elif kind == "mapping":
            entry = _inner(part)
            record.setdefault(name, {})[str(entry.get("key", ""))] = entry.get("values", [])
        elif kind == "record":
            record[name] = _inner(part)
        elif kind == "entry":
            entry = _inner(part)
            record.setdefault(name, {})[str(entry.get("key", ""))] = entry.get("value", "")
        else:
            record[name] = str(part.get("prose", ""))
    return record


def _inner(part: dict) -> dict[str, Any]:
    return decode(part.get("props"), part.get("parts"))
