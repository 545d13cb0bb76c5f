"""Checking CoSAI Risk Map files against the Risk Map's own JSON Schemas.

The schemas in `schema/cosai/` are the Risk Map's (see NOTICE.md there): the contract of the
files this importer was written for, so a file that breaks them is refused with the file and
the path of each problem before anything is read from it. Two adjustments, both from the
Risk Map's own reuse rules or in aid of clearer messages:

- Top-level keys a schema does not know are ignored (the Risk Map asks consumers to let
  new top-level keys through), so they are removed before a file is checked.
- The schemas enumerate every id (each control, risk, component ...). The importer
  resolves every reference itself against the files it reads and names an unknown id in
  its message, so an id beyond a schema's list is accepted here: a newer Risk Map with one
  more control still imports, and a reference to a missing one is still refused by name.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError as SchemaError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from scorecard.catalog.problems import Problem, render_path
from scorecard.catalog.schema_check import describe_schema_error

SCHEMA_DIR = Path(__file__).parent / "schema" / "cosai"
# Each input file and the schema it follows.
FILE_SCHEMAS = {
    "controls.yaml": "controls.schema.json",
    "risks.yaml": "risks.schema.json",
    "personas.yaml": "personas.schema.json",
    "components.yaml": "components.schema.json",
    "frameworks.yaml": "frameworks.schema.json",
    "actor-access.yaml": "actor-access.schema.json",
    "impact-type.yaml": "impact-type.schema.json",
    "lifecycle-stage.yaml": "lifecycle-stage.schema.json",
}


def _relax_ids(node: Any) -> Any:
    """The schema with the enumeration dropped from every `id` property."""
    if isinstance(node, list):
        return [_relax_ids(item) for item in node]
    if not isinstance(node, dict):
        return node
    relaxed = {name: _relax_ids(value) for name, value in node.items()}
    properties = relaxed.get("properties")
    if isinstance(properties, dict) and isinstance(properties.get("id"), dict):
        properties["id"] = {k: v for k, v in properties["id"].items() if k != "enum"}
    return relaxed


@cache
def _validators() -> dict[str, Draft7Validator]:
    schemas = {
        path.name: _relax_ids(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(SCHEMA_DIR.glob("*.schema.json"))
    }
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT7))
        for name, schema in schemas.items()
    )
    validators = {}
    for file_name, schema_name in FILE_SCHEMAS.items():
        schema = schemas[schema_name]
        Draft7Validator.check_schema(schema)
        validators[file_name] = Draft7Validator(schema, registry=registry)
    return validators


def known_part(data: Any, file_name: str) -> Any:
    """`data` without the top-level keys its schema does not describe."""
    if not isinstance(data, dict):
        return data
    known = _validators()[file_name].schema.get("properties", {})
    return {key: value for key, value in data.items() if key in known}


def schema_problems(data: Any, file_name: str, *, source: str) -> list[Problem]:
    """Every way `data` (the parsed `file_name`) breaks the Risk Map's schema for it."""
    validator = _validators()[file_name]
    errors = sorted(
        validator.iter_errors(known_part(copy.deepcopy(data), file_name)),
        key=lambda error: [str(part) for part in error.absolute_path],
    )
    return [problem for error in errors for problem in _problems(error, source)]


_JSON_TYPES = {"array": list, "string": str, "object": dict}


def _problems(error: SchemaError, source: str) -> list[Problem]:
    """The problems behind one error; for a oneOf whose value has the shape of one of the
    alternatives (a list where a list or "all" is allowed), what is wrong inside it."""
    if error.validator in ("oneOf", "anyOf"):
        for index, option in enumerate(error.validator_value):
            wanted = _JSON_TYPES.get(option.get("type")) if isinstance(option, dict) else None
            inner = [e for e in error.context if e.relative_schema_path[0] == index]
            if wanted is not None and isinstance(error.instance, wanted) and inner:
                return [problem for e in inner for problem in _problems(e, source)]
    return [_problem(error, source)]


def _problem(error: SchemaError, source: str) -> Problem:
    path = render_path(list(error.absolute_path))
    keyword = error.validator
    if keyword == "pattern":
        message = f"{json.dumps(error.instance)} does not match {error.validator_value}"
    elif keyword in ("oneOf", "anyOf"):
        message = "expected " + " or ".join(_shape(option) for option in error.validator_value)
    else:
        described = describe_schema_error(error)
        return Problem(described.path, described.message, source=source)
    return Problem(path, message, source=source)


def _shape(option: Any) -> str:
    """One alternative of a oneOf, as an author would name it (the Risk Map's alternatives
    are enumerations or plain types)."""
    if "enum" in option:
        return "one of " + ", ".join(json.dumps(value) for value in option["enum"])
    names = {"array": "a list", "null": "nothing (null)"}
    return names.get(option.get("type"), f"a {option.get('type', 'value')}")
