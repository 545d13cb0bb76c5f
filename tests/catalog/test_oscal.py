"""OSCAL catalogs in (groups, controls, enhancements, prose) and out (trestle-valid)."""

import copy
import datetime
import json

import pytest
from trestle.oscal.catalog import Catalog

from scorecard.catalog.document import normalise_document, validate_document
from scorecard.catalog.files import export_framework, import_path
from scorecard.catalog.native import read_data_file
from scorecard.catalog.oscal import oscal_to_document
from scorecard.catalog.oscal_codec import NS
from scorecard.catalog.oscal_export import document_to_oscal
from scorecard.catalog.problems import CatalogInvalid
from scorecard.catalog.store import save_document
from scorecard.models import Control, Framework
from tests.catalog.helpers import DATA, SMALL, generated_oscal
from tests.catalog.test_store import CATALOG_FILES

MINI = DATA / "mini-oscal.json"
WHEN = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def mini():
    return oscal_to_document(read_data_file(MINI))


def controls_of(doc):
    found = []

    def walk(domains):
        for domain in domains:
            found.extend(domain.get("controls", []))
            walk(domain.get("domains", []))

    walk(doc["domains"])
    return found


def tree(domains):
    return [
        (d["id"], d.get("weight", 1.0), tree(d["domains"]), [c["id"] for c in d["controls"]])
        for d in domains
    ]


def test_groups_become_nested_domains_and_empty_groups_are_dropped(mini):
    assert [d["id"] for d in mini["domains"]] == ["ms", "catalog"]
    model_safety = mini["domains"][0]
    assert model_safety["description"] == "Keeping models within bounds."
    assert [d["id"] for d in model_safety["domains"]] == ["ms-1"]  # generated for an id-less group
    assert model_safety["domains"][0]["name"] == "Release gates"


def test_enhancements_follow_their_parent_and_withdrawn_controls_are_kept_aside(mini):
    assert [c["id"] for c in controls_of(mini)] == ["ms-1", "ms-1.1", "loose-1"]
    assert controls_of(mini)[1]["enhances"] == "ms-1"
    gates = mini["domains"][0]["domains"][0]
    # ms-1.2 came third in the group (after ms-1 and ms-1.1) and is not scored.
    assert gates["withdrawn"] == [
        {
            "id": "ms-1.2",
            "name": "Old rule",
            "enhances": "ms-1",
            "successors": [],
            "position": 2,
            "oscal": {"props": [{"name": "status", "value": "withdrawn"}]},
        }
    ]


def test_statement_parts_are_flattened_with_parameters_resolved(mini):
    control = controls_of(mini)[0]
    assert control["description"] == (
        "Every [Assignment: a release interval] the team:\n\n"
        "a. asks [Assignment: a review body] to approve;\n\n"
        "b. records [Assignment: ms-1_prm_2]."
    )
    assert control["guidance"] == "Start with the riskiest models."
    assert control["mappings"] == {"oscal-prop:label": ["MS-1"], "oscal-prop:sort-id": ["ms-01"]}


def test_every_control_gets_one_scale_question_so_the_import_is_publishable(mini):
    assert all(
        [q["type"] for q in control["questions"]] == ["scale"] for control in controls_of(mini)
    )
    assert len(mini["scale"]) == 5 and mini["tiers"][0]["min_score"] == 0
    assert mini["framework"] | {"source": ""} == {
        "slug": "mini-model-safety-catalog",
        "name": "Mini Model Safety Catalog",
        "version": "2.0",
        "description": "",
        "source": "",
        "license": "",
    }
    assert validate_document(mini, for_publish=True) == []


@pytest.mark.django_db
def test_the_oscal_fixture_imports_and_publishes():
    framework = import_path(MINI, publish=True)
    assert framework.status == "published"
    assert Control.objects.filter(framework=framework).count() == 3


def test_bad_oscal_is_reported_with_oscal_paths():
    data = read_data_file(MINI)
    catalog = data["catalog"]
    catalog["metadata"]["oscal-version"] = "2.0"
    group = catalog["groups"][0]["groups"][0]
    group["controls"][0]["controls"][0]["id"] = "ms-1"
    group["controls"].append({"id": "ms-9"})
    with pytest.raises(CatalogInvalid) as caught:
        oscal_to_document(data)
    assert [str(p) for p in caught.value.problems] == [
        "catalog.metadata.oscal-version: unsupported OSCAL version '2.0'; 1.1 and 1.2 are read",
        'catalog.groups[0].groups[0].controls[0].controls[0].id: duplicate control id "ms-1" '
        "(first used at catalog.groups[0].groups[0].controls[0])",
        "catalog.groups[0].groups[0].controls[1].title: required text is missing",
    ]


@pytest.mark.parametrize("data", [[1], {"catalog": "x"}])
def test_something_other_than_a_catalog_is_refused(data):
    with pytest.raises(CatalogInvalid) as caught:
        oscal_to_document(data)
    assert caught.value.lines() == [
        '(root): not an OSCAL catalog: expected a top-level "catalog" object'
    ]


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda path: path.name)
def test_exported_catalogs_validate_with_trestle(path):
    doc = normalise_document(read_data_file(path))
    exported = document_to_oscal(doc, last_modified=WHEN)
    catalog = Catalog.model_validate(exported["catalog"])
    assert catalog.metadata.oscal_version.root.root == "1.1.2"
    assert len(json.dumps(exported)) > 100


def test_export_turns_ids_into_unique_oscal_tokens_deterministically():
    doc = normalise_document(read_data_file(SMALL))
    doc["domains"][1]["id"] = "1 ops"
    doc["domains"][1]["controls"][0]["id"] = "GOV-2"  # same token as another kind's id
    doc["domains"][1]["controls"][0]["name"] = "Two\nlines"
    first = document_to_oscal(doc, last_modified=WHEN)
    assert first == document_to_oscal(copy.deepcopy(doc), last_modified=WHEN)
    ops = first["catalog"]["groups"][1]
    assert ops["id"] == "_1_ops"
    # The label is the display code; the id that had to change is kept in our own prop.
    assert ops["props"][0] == {"name": "label", "value": "OPE"}
    assert {"name": "id", "ns": "urn:scorecard:oscal", "value": "1 ops"} in ops["props"]
    assert ops["controls"][0]["id"] == "GOV-2-2"
    # A title holds one line; the name as written travels in our namespace.
    assert ops["controls"][0]["title"] == "Two lines"
    assert {"name": "name", "ns": NS, "prose": "Two\nlines"} in ops["controls"][0]["parts"]
    back = oscal_to_document(first)
    assert back["domains"][1]["id"] == "1 ops"
    assert back["domains"][1]["controls"][0]["name"] == "Two\nlines"
    Catalog.model_validate(first["catalog"])


def test_export_carries_code_weight_critical_terms_and_question_ids_and_codes_as_props():
    doc = normalise_document(read_data_file(SMALL))
    governance = document_to_oscal(doc, last_modified=WHEN)["catalog"]["groups"][0]
    # A group holds sub-groups or controls, so GOV's own control sits in a first sub-group.
    assert [g["id"] for g in governance["groups"]] == ["GOV_controls", "GOV.POL"]
    assert governance["groups"][0]["class"] == "domain-controls"
    control = governance["groups"][1]["controls"][0]
    assert control["props"][0] == {"name": "label", "value": "GOV-2"}
    ours = [
        p for p in control["props"] if p.get("ns") == NS and p["name"] not in ("personas", "risks")
    ]
    # Numbers and flags say their kind; the Risk Map terms are one prop per id, or the literal
    # "all" / "none" as written.
    assert [(p["name"], p["value"], p.get("class")) for p in ours] == [
        ("weight", "2", "number"),
        ("critical", "true", "boolean"),
        ("components", "compModel", "list"),
        ("lifecycle_stages", "all", None),
        ("actor_access", "none", None),
        ("impact_types", "spill", "list"),
        ("evidence_autonomy", "L3+", None),
    ]
    questions = [p for p in control["parts"] if p.get("ns") == NS and p["name"] == "questions"]
    assert [
        [(q["name"], q["value"]) for q in part["props"] if q["name"] in ("id", "code")]
        for part in questions
    ] == [
        [("id", "GOV-1.1"), ("code", "GOV-2.1")],
        [("id", "GOV-1.2"), ("code", "GOV-2.2")],
        [("id", "GOV-1.3"), ("code", "GOV-2.3")],
    ]
    assert [p["name"] for p in control["parts"] if "ns" not in p] == ["statement", "guidance"]


@pytest.mark.django_db
def test_an_oscal_export_imports_back_with_names_weights_and_flags():
    framework = save_document(read_data_file(SMALL))
    text = export_framework(framework, fmt="oscal")
    assert text == export_framework(framework, fmt="oscal")
    again = oscal_to_document(json.loads(text), slug="again")
    source = normalise_document(read_data_file(SMALL))
    assert tree(again["domains"]) == tree(source["domains"])
    original = {c["id"]: c for c in controls_of(source)}
    for control in controls_of(again):
        assert control["name"] == original[control["id"]]["name"]
        assert control["weight"] == original[control["id"]]["weight"]
        assert control["critical"] == original[control["id"]]["critical"]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 300])
def test_importing_oscal_costs_the_same_queries_at_any_size(
    size, tmp_path, django_assert_max_num_queries
):
    path = tmp_path / "generated.json"
    path.write_text(json.dumps(generated_oscal(size)))
    # Two more than a native import: the withdrawn entries and the catalog's OSCAL data.
    with django_assert_max_num_queries(18):
        framework = import_path(path, fmt="oscal", version=f"v{size}")
    assert Control.objects.filter(framework=framework).count() == size
    assert Framework.objects.count() == 1
