"""Reading catalog files safely, and writing native YAML deterministically.

Catalog files come from outside (uploads, other tools), so the readers refuse what a
catalog never needs and an attacker might use: YAML anchors and aliases (the "billion
laughs" expansion), custom tags, duplicate keys that silently override each other,
absurd nesting and files over `CATALOG_MAX_BYTES`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

from scorecard.catalog.problems import CatalogInvalid, Problem

MAX_DEPTH = 64
YAML_SUFFIXES = frozenset({".yaml", ".yml"})


class _CatalogLoader(yaml.SafeLoader):
    """SafeLoader without aliases, duplicate keys, YAML 1.1 yes/no booleans or dates."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent) or (
            isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor
        ):
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases are not allowed in catalog files", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain values", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# YAML 1.1 reads an unquoted `Yes`, `No`, `on` or `off` as a boolean and `2025-01-31` as a
# date; catalog authors mean the words and the text, so only true/false stay booleans.
_CatalogLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_CatalogLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def read_data_file(path: Path | str, *, limit: int | None = None) -> Any:
    """The parsed content of a YAML or JSON file, or CatalogInvalid naming the file."""
    path = Path(path)
    limit = settings.CATALOG_MAX_BYTES if limit is None else limit
    source = str(path)
    try:
        with path.open("rb") as handle:
            # Read one byte past the limit so a file that grows after a stat() is caught too.
            data = handle.read(limit + 1)
    except OSError as error:
        raise CatalogInvalid(
            [Problem("", f"cannot read: {error.strerror}")], source=source
        ) from None
    return parse_data(data, source=source, suffix=path.suffix.lower(), limit=limit)


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
        return yaml.load(text, Loader=_CatalogLoader)  # noqa: S506 - a SafeLoader subclass
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
