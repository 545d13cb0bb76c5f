"""Reading catalog files safely, and writing native YAML deterministically.

Catalog files come from outside (uploads, other tools), so the readers refuse what a
catalog never needs and an attacker might use: YAML anchors and aliases (the "billion
laughs" expansion), custom tags, duplicate keys that silently override each other,
absurd nesting and files over `CATALOG_MAX_BYTES`. The YAML rules are in `safe_yaml`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from scorecard.catalog import safe_yaml
from scorecard.catalog.problems import CatalogInvalid, Problem
from scorecard.catalog.safe_yaml import MAX_DEPTH

YAML_SUFFIXES = frozenset({".yaml", ".yml"})


def read_data_file(path: Path | str, *, limit: int | None = None) -> Any:
    """The parsed content of a YAML or JSON file, or CatalogInvalid naming the file."""
    path = Path(path)
    limit = settings.CATALOG_MAX_BYTES if limit is None else limit
    source = str(path)
    try:
        with path.open("rb") as handle:
            data = read_bounded(handle, limit, os.fstat(handle.fileno()).st_size)
    except OSError as error:
        raise CatalogInvalid(
            [Problem("", f"cannot read: {error.strerror}")], source=source
        ) from None
    return parse_data(data, source=source, suffix=path.suffix.lower(), limit=limit)


def read_bounded(handle, limit: int, expected: int) -> bytes:
    """The bytes of an open file of `expected` bytes, or `limit` + 1 of them when it is
    larger, so that the size check sees it.

    `read(n)` sets aside n bytes before reading, so reading `limit` + 1 at once cost every
    catalog, however small, a buffer of the whole limit (32 MiB); reading what the file
    should hold, and on only if it grew since, never reads past the limit either."""
    data = handle.read(min(expected, limit) + 1)
    if expected < len(data) <= limit:
        data += handle.read(limit + 1 - len(data))
    return data


def parse_data(data: bytes, *, source: str, suffix: str, limit: int | None = None) -> Any:
    """Parse catalog bytes already in memory (e.g. an upload); `suffix` picks JSON or YAML."""
    limit = settings.CATALOG_MAX_BYTES if limit is None else limit
    if len(data) > limit:
        raise CatalogInvalid(
            [Problem("", f"larger than the {limit}-byte limit (CATALOG_MAX_BYTES)")], source=source
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text (byte {error.start} cannot be decoded)"
        raise CatalogInvalid([Problem("", message)], source=source) from None
    if suffix == ".json":
        return _parse_json(text, source=source)
    return _parse_yaml(text, source=source)


def _parse_yaml(text: str, *, source: str) -> Any:
    try:
        return safe_yaml.load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        message = " ".join(part for part in (error.context, error.problem) if part)
        raise CatalogInvalid([Problem(where, f"invalid YAML: {message}")], source=source) from None
    except yaml.YAMLError as error:
        raise CatalogInvalid([Problem("", f"invalid YAML: {error}")], source=source) from None
    except RecursionError:
        raise CatalogInvalid(
            [Problem("", "invalid YAML: nested too deeply")], source=source
        ) from None


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number catalogs accept")


_TOO_DEEP = object()


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _parse_json(text: str, *, source: str) -> Any:
    try:
        data = json.loads(
            text, object_pairs_hook=_refuse_duplicates, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise CatalogInvalid(
            [Problem(where, f"invalid JSON: {error.msg}")], source=source
        ) from None
    except ValueError as error:
        raise CatalogInvalid([Problem("", f"invalid JSON: {error}")], source=source) from None
    except RecursionError:
        data = _TOO_DEEP
    if data is _TOO_DEEP or _too_deep(data):
        message = f"invalid JSON: nested deeper than {MAX_DEPTH} levels"
        raise CatalogInvalid([Problem("", message)], source=source)
    return data


class _CatalogDumper(yaml.SafeDumper):
    """Block style, no anchors (our own reader refuses them), literal blocks for prose."""

    def ignore_aliases(self, data):
        return True

    def increase_indent(self, flow=False, indentless=False):
        # Indent list items under their key, as people write them by hand.
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_CatalogDumper.add_representer(str, _represent_str)


def dump_yaml(doc: dict) -> str:
    """`doc` as YAML: deterministic, block style, keys in document order, Unicode kept."""
    return yaml.dump(
        doc,
        Dumper=_CatalogDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        # One line per value: re-wrapped prose would make every edit a multi-line diff.
        width=1_000_000,
    )
