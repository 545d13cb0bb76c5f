"""The Risk Map's own JSON Schemas, shipped in scorecard/catalog/schema/cosai/: they are the
upstream files minus annotations, every input file is held to them, and ids beyond their
enumerations pass (the importer resolves ids itself and names unknown ones)."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from scorecard.catalog.cosai_schema import FILE_SCHEMAS, SCHEMA_DIR, known_part, schema_problems
from scorecard.catalog.native import read_data_file
from tests.catalog.helpers import DATA

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "cosai-risk-map"
MINI = DATA / "cosai-mini" / "yaml"
# The keywords that only annotate a schema, removed from the shipped copy.
ANNOTATIONS = {"title", "description", "examples", "$comment", "default"}


def without_annotations(node, under_names=False):
    """Written for this test, apart from the one that made the copy."""
    if isinstance(node, list):
        return [without_annotations(item) for item in node]
    if not isinstance(node, dict):
        return node
    if under_names:  # keys of `properties` / `definitions` are names, not keywords
        return {name: without_annotations(value) for name, value in node.items()}
    return {
        key: without_annotations(value, key in ("properties", "definitions", "patternProperties"))
        for key, value in node.items()
        if key not in ANNOTATIONS
    }


@pytest.mark.shared_reference
def test_the_shipped_schemas_are_the_upstream_ones_without_annotations():
    shipped = sorted(SCHEMA_DIR.glob("*.schema.json"))
    assert len(shipped) == 10
    for path in shipped:
        upstream = json.loads((REFERENCE / "schemas" / path.name).read_text())
        assert json.loads(path.read_text()) == without_annotations(upstream), path.name


@pytest.mark.shared_reference
@pytest.mark.parametrize("name", sorted(FILE_SCHEMAS))
def test_every_file_of_the_reference_copy_meets_its_schema(name):
    assert schema_problems(read_data_file(REFERENCE / "yaml" / name), name, source=name) == []


def test_every_shipped_schema_is_a_valid_draft_7_schema():
    for path in SCHEMA_DIR.glob("*.schema.json"):
        Draft7Validator.check_schema(json.loads(path.read_text()))
    assert (SCHEMA_DIR / "NOTICE.md").is_file()


@pytest.mark.parametrize("name", sorted(FILE_SCHEMAS))
def test_the_test_folder_meets_the_schemas_with_ids_of_its_own(name):
    # Its ids (GOV-1, compStore, ...) are in no enumeration of the schemas.
    assert schema_problems(read_data_file(MINI / name), name, source=name) == []


def test_top_level_keys_the_schema_does_not_know_are_left_out_before_checking():
    data = read_data_file(MINI / "components.yaml")
    assert "id" in data  # `id: components` at the top, as the Risk Map's own file has
    assert "id" not in known_part(data, "components.yaml")
    data["anythingNew"] = {"nested": [1]}
    assert schema_problems(data, "components.yaml", source="c") == []


def test_item_level_shapes_are_still_held_with_readable_messages():
    data = read_data_file(MINI / "controls.yaml")
    data["controls"][0]["components"] = "everything"
    data["controls"][1]["lifecycleStage"] = ["stageRun", 7]
    data["controls"][2]["surprise"] = True
    del data["controls"][2]["category"]
    assert [str(p) for p in schema_problems(data, "controls.yaml", source="c.yaml")] == [
        "c.yaml: controls[0].components: must be one of: all, none",
        "c.yaml: controls[1].lifecycleStage[1]: expected string, got a number (quote it: '7')",
        "c.yaml: controls[2].category: required field is missing",
        "c.yaml: controls[2]: unknown field(s): surprise",
    ]


def test_a_value_matching_no_alternative_names_them_all():
    data = read_data_file(MINI / "frameworks.yaml")
    data["frameworks"][0]["lastUpdated"] = 20250101
    risks = read_data_file(MINI / "risks.yaml")
    risks["risks"][0]["longDescription"] = ["Fine.", 42]
    assert [str(p) for p in schema_problems(data, "frameworks.yaml", source="f")] == [
        "f: frameworks[0].lastUpdated: expected a string or nothing (null)"
    ]
    assert [str(p) for p in schema_problems(risks, "risks.yaml", source="r")] == [
        "r: risks[0].longDescription[1]: expected a string or a list"
    ]


def test_a_file_that_is_not_a_mapping_is_refused_as_a_whole():
    assert [str(p) for p in schema_problems(["a", "list"], "controls.yaml", source="c")] == [
        "c: (root): expected object, got a list"
    ]
