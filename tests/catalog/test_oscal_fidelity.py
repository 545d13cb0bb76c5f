"""OSCAL → Scorecard → OSCAL keeps every control, enhancement, label, sort-id, parameter,
link, withdrawn entry and the back-matter; Scorecard → OSCAL → Scorecard keeps everything."""

import copy
import datetime
import json
from pathlib import Path

import pytest
from trestle.oscal.catalog import Catalog

from scorecard.catalog.document import normalise_document
from scorecard.catalog.files import export_framework, import_bytes
from scorecard.catalog.native import read_data_file
from scorecard.catalog.oscal import oscal_to_document
from scorecard.catalog.oscal_codec import NS
from scorecard.catalog.oscal_export import document_to_oscal
from scorecard.catalog.store import save_document
from scorecard.catalog.stored_document import framework_to_document
from scorecard.loader import load_catalog
from scorecard.models import Control, WithdrawnControl
from tests.catalog.helpers import SMALL
from tests.catalog.oscal_generated import generated_catalog

pytestmark = pytest.mark.django_db

BUNDLED = Path(__file__).parents[2] / "fixtures" / "catalogs" / "ai-risk-readiness.yaml"
WHEN = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def without_ours(node):
    """An OSCAL object as its source wrote it: our namespace's props and parts left out,
    children compared on their own."""
    view = {k: v for k, v in node.items() if k not in ("controls", "groups")}
    for key in ("props", "parts"):
        if key in view:
            view[key] = [item for item in view[key] if item.get("ns") != NS]
            if not view[key]:
                del view[key]
    return view


def controls_by_id(catalog):
    """Every control as (its parent's id or group id, its source view), by id."""
    found = {}

    def walk(node, parent):
        for control in node.get("controls") or ():
            found[control["id"]] = (parent, without_ours(control))
            walk(control, control["id"])
        for group in node.get("groups") or ():
            walk(group, group["id"])

    walk(catalog, "")
    return found


def groups_of(catalog):
    return [
        without_ours(group)
        for group in catalog.get("groups") or ()
        if group.get("class") != "scorecard-definitions"
    ]


def trip(source: dict) -> tuple[dict, object]:
    framework = import_bytes(json.dumps(source).encode(), filename="source.json", fmt="oscal")
    return json.loads(export_framework(framework, fmt="oscal")), framework


def test_the_generated_catalog_has_the_counts_the_issue_names():
    catalog = generated_catalog()["catalog"]
    controls = [view for _, view in controls_by_id(catalog).values()]
    params = [p for c in controls for p in c.get("params", ())]
    withdrawn = [c for c in controls if any(p["name"] == "status" for p in c["props"])]
    assert len(controls) == 1000
    assert len(params) == 1200 and sum("select" in p for p in params) == 400
    assert sum(len(c.get("links", ())) for c in controls) == 5000
    assert len(withdrawn) == 100
    assert {p["value"] for c in withdrawn for p in c["props"] if p["name"] == "status"} == {
        "withdrawn",
        "Withdrawn",
        "WITHDRAWN",
        "WithDrawn",
    }
    assert len(catalog["back-matter"]["resources"]) == 40


def test_a_large_catalog_round_trips_oscal_scorecard_oscal_without_a_difference():
    source = generated_catalog()
    exported, framework = trip(source)
    before, after = controls_by_id(source["catalog"]), controls_by_id(exported["catalog"])
    assert list(after) == list(before)  # same controls, same order
    for ref, (parent, view) in before.items():
        assert after[ref] == (parent, view), ref  # nesting, labels, sort-ids, params, links
    assert groups_of(exported["catalog"]) == groups_of(source["catalog"])
    assert exported["catalog"]["back-matter"] == source["catalog"]["back-matter"]
    assert exported["catalog"]["uuid"] == source["catalog"]["uuid"]
    assert exported["catalog"]["metadata"]["props"] == [{"name": "keywords", "value": "generated"}]
    # 900 controls are scored; the 100 withdrawn ones are kept aside, each with a successor.
    assert Control.objects.filter(framework=framework).count() == 900
    withdrawn = WithdrawnControl.objects.filter(framework=framework)
    assert withdrawn.count() == 100 and all(len(w.successors) == 1 for w in withdrawn)
    assert sum(len(d.controls) for d in load_catalog(framework).domains) == 900
    Catalog.model_validate(exported["catalog"])


def test_parameters_are_rendered_as_assignments_and_selections():
    doc = oscal_to_document(generated_catalog(groups=1, controls_per_group=2, enhancements=1))
    controls = {c["id"]: c for c in doc["domains"][0]["controls"]}
    # Control number 0: a label only; number 1 (f00-1.1): a single choice and a second
    # parameter? No: 1 % 3 != 0. Number 3 (f00-2.1) has a second, one-or-more selection.
    assert controls["f00-1"]["description"].startswith(
        "The organisation reviews the control every "
        "[Assignment: organization-defined frequency 0].\n\na. Records the review."
    )
    assert controls["f00-1.1"]["description"].startswith(
        "The organisation reviews the control every [Selection: weekly 1; monthly 1]."
    )
    assert controls["f00-2.1"]["description"].startswith(
        "The organisation reviews the control every [Assignment: organization-defined "
        "frequency 3] and [Selection: one or more: locks the device 3; ends the session 3]."
    )
    assert controls["f00-2.1"]["guidance"] == (
        "Guidance for F00-2(1).\n\nParameter f00-2.1_prm_2: Choose what fits system 3."
    )


def test_set_values_replace_the_placeholder_and_nested_inserts_are_rendered():
    catalog = {
        "uuid": "0b7c3c55-8a3e-4f0e-9d0c-5d3f1e1b2a99",
        "metadata": {"title": "Values", "version": "1", "oscal-version": "1.1.2"},
        "controls": [
            {
                "id": "v-1",
                "title": "Values",
                "params": [
                    {"id": "v-1_a", "values": ["daily", "after each release"]},
                    {"id": "v-1_b", "select": {"choice": ["{{ insert: param, v-1_c }} hours"]}},
                    {"id": "v-1_c", "label": "a number of"},
                    {"id": "v-1_loop", "label": "{{ insert: param, v-1_loop }}"},
                ],
                "parts": [
                    {
                        "id": "v-1_smt",
                        "name": "statement",
                        "prose": "Runs {{ insert: param, v-1_a }} within "
                        "{{insert: param,v-1_b}}; {{ insert: param, v-1_loop }}; "
                        "{{ insert: param, unknown }}.",
                    }
                ],
            }
        ],
    }
    control = oscal_to_document({"catalog": catalog})["domains"][0]["controls"][0]
    assert control["description"] == (
        "Runs daily, after each release within [Selection: [Assignment: a number of] hours]; "
        # A label inserting itself is followed five levels deep, then shown by its id.
        "[Assignment: [Assignment: [Assignment: [Assignment: [Assignment: [Assignment: "
        "v-1_loop]]]]]]; "
        "[Assignment: unknown]."
    )


def test_withdrawn_in_any_letter_case_or_by_a_link_is_not_scored_and_names_its_successor():
    catalog = {
        "uuid": "0b7c3c55-8a3e-4f0e-9d0c-5d3f1e1b2a98",
        "metadata": {"title": "Withdrawn", "version": "1", "oscal-version": "1.1.2"},
        "groups": [
            {
                "id": "g",
                "title": "G",
                "controls": [
                    {"id": "g-1", "title": "Live"},
                    {
                        "id": "g-2",
                        "title": "Capital",
                        "props": [{"name": "status", "value": "Withdrawn"}],
                    },
                    {
                        "id": "g-3",
                        "title": "Moved",
                        "links": [{"href": "#g-1", "rel": "moved-to"}],
                    },
                    {
                        "id": "g-4",
                        "title": "Merged",
                        "props": [{"name": "status", "value": "WITHDRAWN"}],
                        "links": [
                            {"href": "#g-1", "rel": "incorporated-into"},
                            {"href": "#g-5", "rel": "incorporated-into"},
                        ],
                    },
                    {"id": "g-5", "title": "Also live"},
                ],
            }
        ],
    }
    doc = oscal_to_document({"catalog": catalog})
    domain = doc["domains"][0]
    assert [c["id"] for c in domain["controls"]] == ["g-1", "g-5"]
    assert [(w["id"], w["position"], w["successors"]) for w in domain["withdrawn"]] == [
        ("g-2", 1, []),
        ("g-3", 2, ["g-1"]),
        ("g-4", 3, ["g-1", "g-5"]),
    ]
    framework = save_document(doc)
    again = document_to_oscal(framework_to_document(framework), last_modified=WHEN)
    assert [c["id"] for c in again["catalog"]["groups"][0]["controls"]] == [
        "g-1",
        "g-2",
        "g-3",
        "g-4",
        "g-5",
    ]


@pytest.mark.parametrize("path", [SMALL, BUNDLED], ids=["small", "bundled"])
def test_native_to_oscal_to_native_gives_the_same_catalog(path):
    doc = normalise_document(read_data_file(path))
    exported = json.loads(json.dumps(document_to_oscal(doc, last_modified=WHEN)))
    back = normalise_document(oscal_to_document(exported))
    assert back == doc
    Catalog.model_validate(exported["catalog"])


def test_native_to_oscal_to_native_through_the_database_and_the_commands(tmp_path):
    framework = save_document(normalise_document(read_data_file(BUNDLED)))
    exported = export_framework(framework, fmt="oscal")
    again = import_bytes(exported.encode(), filename="x.json", fmt="oscal", version="again")
    first, second = framework_to_document(framework), framework_to_document(again)
    second["framework"]["version"] = first["framework"]["version"]
    assert second == first
    assert load_catalog(again) == load_catalog(framework)


def test_weights_are_written_as_exact_decimals_and_read_back_unchanged():
    doc = normalise_document(read_data_file(SMALL))
    control = doc["domains"][0]["controls"][0]
    control["weight"], doc["domains"][0]["weight"] = 1234567 / 1.25, 0.1
    exported = document_to_oscal(copy.deepcopy(doc), last_modified=WHEN)
    group = exported["catalog"]["groups"][0]
    weights = [p["value"] for p in group["props"] if p.get("ns") == NS and p["name"] == "weight"]
    assert weights == ["0.1"]
    first = group["groups"][0]["controls"][0] if "groups" in group else group["controls"][0]
    written = [p["value"] for p in first["props"] if p["name"] == "weight"]
    assert written == ["987653.6"]
    back = normalise_document(oscal_to_document(exported))
    assert back["domains"][0]["controls"][0]["weight"] == 987653.6


def test_titles_keyed_by_references_that_are_not_tokens_travel_and_validate():
    doc = normalise_document(read_data_file(SMALL))
    doc["mapping_schemes"] = [
        {"id": "eu-ai-act", "name": "EU AI Act", "titles": {"2-1": "Article two", "c3 s2": "x"}}
    ]
    doc = normalise_document(doc)
    exported = json.loads(json.dumps(document_to_oscal(doc, last_modified=WHEN)))
    Catalog.model_validate(exported["catalog"])
    back = normalise_document(oscal_to_document(exported))
    assert back["mapping_schemes"][0]["titles"] == {"2-1": "Article two", "c3 s2": "x"}
