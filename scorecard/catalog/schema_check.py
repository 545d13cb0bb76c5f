"""The JSON Schema layer of catalog validation, with messages an author can act on.

The schema (`schema/scorecard-catalog-1.schema.json`) checks shape, types and the
characters of ids; `scorecard.catalog.document` adds the rules a schema cannot state.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError as SchemaError

from scorecard.catalog import autonomy, limits
from scorecard.catalog.problems import Problem, render_path

FORMAT = "scorecard-catalog/1"
SCHEMA_PATH = Path(__file__).parent / "schema" / "scorecard-catalog-1.schema.json"


def _whole_string_pattern(validator, pattern, instance, schema):
    # jsonschema searches with Python's re, where `$` also matches before a final newline,
    # so "c1\n" would pass `^[...]+$`. Every pattern of our schema is anchored at both ends,
    # so matching the whole string means the same and closes that gap.
    if validator.is_type(instance, "string") and not re.fullmatch(pattern, instance):
        yield SchemaError(f"{instance!r} does not match {pattern!r}")


_CatalogValidator = validators.extend(Draft202012Validator, {"pattern": _whole_string_pattern})


def _inline_refs(node: Any, defs: dict[str, Any], within: frozenset[str]) -> Any:
    """`node` with each `#/$defs/X` reference replaced by X itself, except one back into a
    definition being inlined (a domain's sub-domains), which stays a reference."""
    if isinstance(node, list):
        return [_inline_refs(child, defs, within) for child in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(_DEFS) and len(node) == 1:
        name = ref[len(_DEFS) :]
        if name not in within:
            return _inline_refs(defs[name], defs, within | {name})
    return {key: _inline_refs(value, defs, within) for key, value in node.items()}


_DEFS = "#/$defs/"


def inlined_schema(schema: dict) -> dict:
    """The same schema with its references inlined where they do not recurse.

    jsonschema looks a reference up in its registry every time it meets one, which was a
    third of the validation time of a large catalog (three references per question);
    inlined, only the one from a domain into its sub-domains is left to look up."""
    defs = schema.get("$defs", {})
    inlined = _inline_refs({k: v for k, v in schema.items() if k != "$defs"}, defs, frozenset())
    inlined["$defs"] = {name: _inline_refs(d, defs, frozenset({name})) for name, d in defs.items()}
    return inlined


@cache
def _validator() -> Draft202012Validator:
    # Built once per process: the schema is checked and compiled on the first validation.
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return _CatalogValidator(inlined_schema(schema))


def schema_problems(doc: Any) -> list[Problem]:
    return [
        describe_schema_error(error)
        for error in _validator().iter_errors(doc)
        # An empty id or version breaks its pattern too; "must not be empty" says it all.
        if not (error.validator == "pattern" and error.instance == "")
    ]


# Messages are rewritten because jsonschema's repeat the whole offending value, which
# for a mistyped domain is the whole subtree.
def describe_schema_error(error: SchemaError) -> Problem:
    path = list(error.absolute_path)
    keyword = error.validator
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return Problem(render_path([*path, missing]), "required field is missing")
    if keyword == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        unexpected = sorted(str(key) for key in error.instance if key not in known)
        return Problem(render_path(path), f"unknown field(s): {', '.join(unexpected)}")
    messages = {
        "type": lambda: _type_message(error),
        "enum": lambda: "must be one of: " + ", ".join(map(str, error.validator_value)),
        "const": lambda: f"must be {json.dumps(error.validator_value)}",
        "minLength": lambda: "must not be empty",
        "maxLength": lambda: f"is longer than {error.validator_value} characters",
        "minItems": lambda: f"needs at least {error.validator_value} item(s)",
        "pattern": lambda: _pattern_message(path),
        # Our schema describes each of its alternatives (an id list or a literal, ...).
        "anyOf": lambda: f"expected {error.schema.get('description') or 'another value'}",
    }
    message = messages.get(keyword, lambda: error.message[:200])()
    return Problem(render_path(path), message)


def _type_message(error: SchemaError) -> str:
    wanted = error.validator_value
    wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
    hint = ""
    if wanted == "string" and isinstance(error.instance, int | float):
        hint = f" (quote it: '{error.instance}')"
    return f"expected {wanted}, got {kind_of(error.instance)}{hint}"


def _pattern_message(path: list) -> str:
    if path == ["framework", "slug"]:
        return "may contain only letters, digits, hyphens and underscores"
    if path == ["framework", "version"]:
        return "must not be blank or start or end with whitespace"
    if path and path[-1] == "code":
        return limits.CODE_RULE
    if path and path[-1] == "evidence_autonomy":
        return autonomy.THRESHOLD_RULE
    if path and path[-1] == "url":
        return "must be an https:// address without spaces"
    if len(path) > 2 and path[-3] == "references" and path[-1] == "id":
        return "must not contain spaces"
    # Every other pattern of the schema is the id rule (ids and references to them).
    return limits.ID_RULE


def kind_of(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names.update({list: "a list", dict: "a mapping", type(None): "nothing (null)"})
    return names.get(type(value), type(value).__name__)
