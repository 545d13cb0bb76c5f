"""The YAML reader behind `native.read_data_file`: libyaml's speed, the safe loader's refusals.

What a catalog file may not hold: anchors and aliases (the "billion laughs" expansion),
custom tags, duplicate keys that silently override each other, nesting deeper than
`MAX_DEPTH`; and YAML 1.1's `yes`/`no`/`on`/`off` booleans and dates are read as text.

The pure-Python loader is about eight times slower than libyaml on a catalog of a thousand
controls, so with libyaml (`yaml.__with_libyaml__`) a file is read in two C-parser passes:
the event stream is scanned once for anchors, aliases and depth (which libyaml's own composer
would accept, and whose recursion would otherwise go as deep as the file), then composed by
libyaml and constructed by the same Python constructor and resolver as the pure loader, so
tags, duplicate keys and booleans are decided by the same code. Without libyaml the pure
loader does both in one pass. `load(text, fast=False)` picks the pure one, for comparisons.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingStartEvent,
    ScalarEvent,
)

MAX_DEPTH = 64
ANCHORS_REFUSED = "anchors and aliases are not allowed in catalog files"
TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"

try:
    from yaml.cyaml import CParser, CSafeLoader
except ImportError:  # PyYAML built without libyaml
    CParser = CSafeLoader = None
HAS_LIBYAML = bool(yaml.__with_libyaml__ and CParser is not None)


def _refused(message: str, event) -> yaml.composer.ComposerError:
    return yaml.composer.ComposerError(None, None, message, event.start_mark)


def _refusal(event, depth: int) -> str | None:
    """Why a node event at `depth` (1 for the root) may not be read, or None."""
    if isinstance(event, AliasEvent) or (
        isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor
    ):
        return ANCHORS_REFUSED
    if depth > MAX_DEPTH:
        return TOO_DEEP
    return None


class _NoDuplicateKeys:
    """The constructor half both loaders share: keys must be plain values, each once."""

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


class PureCatalogLoader(_NoDuplicateKeys, yaml.SafeLoader):
    """SafeLoader refusing anchors, aliases and deep nesting as it composes."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        self._depth += 1
        try:
            refusal = _refusal(event, self._depth)
            if refusal:
                raise _refused(refusal, event)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# YAML 1.1 reads an unquoted `Yes`, `No`, `on` or `off` as a boolean and `2025-01-31` as a
# date; catalog authors mean the words and the text, so only true/false stay booleans.
_RESOLVERS = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
PureCatalogLoader.yaml_implicit_resolvers = _RESOLVERS
PureCatalogLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

if HAS_LIBYAML:

    class FastCatalogLoader(_NoDuplicateKeys, CSafeLoader):
        """libyaml's parser and composer; the pure loader's constructor rules and resolvers.

        Only for text that `check_events` passed: libyaml itself allows anchors and aliases."""

    FastCatalogLoader.yaml_implicit_resolvers = PureCatalogLoader.yaml_implicit_resolvers
else:  # pragma: no cover - the project's builds have libyaml
    FastCatalogLoader = None


def check_events(text: str) -> None:
    """Raise ComposerError at the first anchor, alias or too deep node of the first document.

    Later documents are left to the loader, which refuses a second one as the pure loader
    does, before looking inside it."""
    parser = CParser(text)
    try:
        open_collections = 0
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, ScalarEvent | AliasEvent | CollectionStartEvent):
                refusal = _refusal(event, open_collections + 1)
                if refusal:
                    raise _refused(refusal, event)
                if isinstance(event, CollectionStartEvent):
                    open_collections += 1
            elif isinstance(event, CollectionEndEvent):
                open_collections -= 1
            elif isinstance(event, DocumentEndEvent):
                return
    finally:
        parser.dispose()


class _Careful(Exception):
    """The document holds something the plain path leaves to the careful one."""


class _PlainBuilder:
    """Builds the data of a plain document straight from libyaml's events.

    Plain means: one document of untagged scalars, mappings and sequences, without anchors,
    merge keys, collection keys or repeated keys, no deeper than MAX_DEPTH. Scalars are
    resolved and constructed by the loader's own resolver and constructors, so the data is
    what the loader would build. Anything else raises _Careful, and `load` starts again
    on the careful path, which gives the loader's own answer or refusal."""

    def __init__(self):
        self.rules = FastCatalogLoader("")  # its resolver and scalar constructors only
        self.stack: list[dict | list] = []
        self.keys: list[Any] = []  # per open mapping: the key awaiting its value, or _NO_KEY
        self.root: Any = None

    def scalar(self, event: ScalarEvent) -> Any:
        if event.anchor is not None or event.tag is not None:
            raise _Careful
        tag = self.rules.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:
            return event.value
        construct = self.rules.yaml_constructors.get(tag) if tag != _MERGE else None
        if construct is None:
            raise _Careful
        return construct(self.rules, yaml.ScalarNode(tag, event.value, None, None))

    def add(self, value: Any, *, collection: bool = False) -> None:
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        if isinstance(parent, list):
            parent.append(value)
            return
        key = self.keys[-1]
        if key is _NO_KEY:
            if collection or value in parent:
                raise _Careful
            self.keys[-1] = value
        else:
            parent[key] = value
            self.keys[-1] = _NO_KEY

    def build(self, text: str) -> Any:
        parser = CParser(text)
        try:
            documents = 0
            while parser.check_event():
                event = parser.get_event()
                if isinstance(event, ScalarEvent):
                    if len(self.stack) >= MAX_DEPTH:
                        raise _Careful
                    self.add(self.scalar(event))
                elif isinstance(event, CollectionStartEvent):
                    if event.anchor is not None or event.tag is not None:
                        raise _Careful
                    if len(self.stack) >= MAX_DEPTH:
                        raise _Careful
                    container: dict | list = {} if isinstance(event, MappingStartEvent) else []
                    self.add(container, collection=True)
                    self.stack.append(container)
                    self.keys.append(_NO_KEY)
                elif isinstance(event, CollectionEndEvent):
                    self.stack.pop()
                    self.keys.pop()
                elif isinstance(event, AliasEvent):
                    raise _Careful
                elif isinstance(event, DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        raise _Careful
            return self.root
        finally:
            parser.dispose()
            self.rules.dispose()


_NO_KEY = object()
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


def load(text: str, *, fast: bool = True) -> Any:
    """The data of one YAML document; yaml.YAMLError (often marked) when it is refused."""
    if fast and HAS_LIBYAML:
        try:
            return _PlainBuilder().build(text)
        except (_Careful, yaml.YAMLError):
            pass  # the careful path below gives the answer, or the loader's own refusal
        check_events(text)
        loader = FastCatalogLoader(text)
    else:
        loader = PureCatalogLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
