"""Importers against the real public files in ../shared/reference (read at run time only).

These files are not part of the project: where they are absent, tests/conftest.py deselects
this module and names the reason in the summary.
"""

import datetime
from pathlib import Path

import pytest
import yaml
from trestle.oscal.catalog import Catalog

from scorecard.catalog.bundled import readiness_document
from scorecard.catalog.cosai import cosai_to_document
from scorecard.catalog.document import iter_domains, validate_document
from scorecard.catalog.files import export_framework, import_bytes, import_path
from scorecard.catalog.native import read_data_file
from scorecard.catalog.oscal import oscal_to_document
from scorecard.catalog.oscal_export import document_to_oscal
from scorecard.catalog.stored_document import framework_to_document
from scorecard.models import Control, FrameworkStatus, MappingScheme, Persona, Risk, Term

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
COSAI = REFERENCE / "cosai-risk-map" / "yaml"
OSCAL = REFERENCE / "oscal" / "basic-catalog.json"

pytestmark = pytest.mark.shared_reference


def source(name):
    return yaml.safe_load((COSAI / name).read_text())


def controls_of(doc):
    return [c for _, domain in iter_domains(doc) for c in domain["controls"]]


@pytest.fixture(scope="module")
def cosai_doc():
    return cosai_to_document(COSAI, readiness=readiness_document())


def test_cosai_categories_controls_risks_and_active_personas_all_arrive(cosai_doc):
    controls, risks = source("controls.yaml"), source("risks.yaml")
    personas = [p for p in source("personas.yaml")["personas"] if not p.get("deprecated")]
    assert [d["id"] for d in cosai_doc["domains"]] == [c["id"] for c in controls["categories"]]
    assert sorted(c["id"] for c in controls_of(cosai_doc)) == sorted(
        c["id"] for c in controls["controls"]
    )
    assert [r["id"] for r in cosai_doc["risks"]] == [r["id"] for r in risks["risks"]]
    assert [p["id"] for p in cosai_doc["personas"]] == [p["id"] for p in personas]
    assert [len(p["questions"]) for p in cosai_doc["personas"]] == [
        len(p.get("identificationQuestions", [])) for p in personas
    ]
    assert cosai_doc["framework"]["version"].startswith("rm-")


def test_cosai_risks_all_mappings_and_prose_are_carried_over(cosai_doc):
    by_id = {c["id"]: c for c in controls_of(cosai_doc)}
    every_risk = [r["id"] for r in cosai_doc["risks"]]
    for original in source("controls.yaml")["controls"]:
        control = by_id[original["id"]]
        expected_risks = every_risk if original["risks"] == "all" else original["risks"]
        assert control["risks"] == expected_risks
        assert control["mappings"] == (original.get("mappings") or {})
        assert control["name"] == original["title"]
        assert "{{" not in control["description"] and control["description"]


def test_cosai_questions_come_from_the_bundled_scorecard_where_ids_match(cosai_doc):
    bundled = {c["id"]: c for c in controls_of(readiness_document())}
    for control in controls_of(cosai_doc):
        expected = bundled[control["id"]]["questions"] if control["id"] in bundled else []
        assert control["questions"] == expected
    assert validate_document(cosai_doc, for_publish=False) == []


@pytest.mark.django_db
def test_cosai_folder_imports_as_a_draft_through_the_importer():
    framework = import_path(COSAI)
    assert (framework.slug, framework.status) == ("cosai-rm", FrameworkStatus.DRAFT)
    assert Control.objects.filter(framework=framework).count() == 35
    assert Risk.objects.filter(framework=framework).count() == len(source("risks.yaml")["risks"])
    assert Persona.objects.filter(framework=framework).count() == 8
    doc = framework_to_document(framework)
    assert validate_document(doc, for_publish=False) == []


def test_basic_oscal_catalog_becomes_nested_domains_with_resolved_parameters():
    doc = oscal_to_document(read_data_file(OSCAL))
    assert [d["id"] for d in doc["domains"]] == ["s1", "s2"]
    assert [d["id"] for d in doc["domains"][0]["domains"]] == ["s1.1"]
    controls = {c["id"]: c for c in controls_of(doc)}
    assert "s1.1.1" in controls and "{{" not in controls["s1.1.1"]["description"]
    # The choice list, with the parameter one choice inserts rendered inside it.
    assert (
        "[Selection: one or more: initiating a device lock after [Assignment: a duration] of "
        "inactivity; requiring the user to initiate a device lock before leaving the system "
        "unattended]"
    ) in controls["s1.1.1"]["description"]
    assert controls["s1.1.1"]["guidance"]
    assert controls["s1.1.1"]["mappings"]["oscal-prop:label"] == ["1.1.1"]
    assert validate_document(doc, for_publish=True) == []


@pytest.mark.django_db
def test_basic_oscal_catalog_imports_publishes_and_exports_valid_oscal():
    framework = import_path(OSCAL, publish=True)
    assert framework.status == FrameworkStatus.PUBLISHED
    exported = document_to_oscal(
        framework_to_document(framework), last_modified=datetime.datetime.now(datetime.UTC)
    )
    Catalog.model_validate(exported["catalog"])
    assert export_framework(framework, fmt="oscal") == export_framework(framework, fmt="oscal")


def test_cosai_vocabulary_and_mapping_schemes_arrive_in_full(cosai_doc):
    components = source("components.yaml")
    vocabulary = cosai_doc["vocabulary"]
    subcategories = [s for c in components["categories"] for s in c.get("subcategory", ())]
    assert [c["id"] for c in vocabulary["component_categories"]] == [
        item["id"]
        for category in components["categories"]
        for item in (category, *category.get("subcategory", ()))
    ]
    assert len(vocabulary["component_categories"]) == len(components["categories"]) + len(
        subcategories
    )
    assert {c["id"]: c["category"] for c in vocabulary["components"]} == {
        c["id"]: c["subcategory"] for c in components["components"]
    }
    stages = sorted(source("lifecycle-stage.yaml")["lifecycleStages"], key=lambda s: s["order"])
    assert [s["id"] for s in vocabulary["lifecycle_stages"]] == [s["id"] for s in stages]
    assert [a["id"] for a in vocabulary["actor_access"]] == [
        a["id"] for a in source("actor-access.yaml")["actorAccessLevels"]
    ]
    assert [i["id"] for i in vocabulary["impact_types"]] == [
        i["id"] for i in source("impact-type.yaml")["impactTypes"]
    ]
    frameworks = source("frameworks.yaml")["frameworks"]
    assert [(s["id"], s["version"]) for s in cosai_doc["mapping_schemes"]] == [
        (f["id"], f["version"] or "") for f in frameworks
    ]


def test_cosai_control_terms_risk_texts_and_persona_responsibilities_arrive(cosai_doc):
    keys = {
        "components": "components",
        "lifecycle_stages": "lifecycleStage",
        "actor_access": "actorAccess",
        "impact_types": "impactType",
    }
    by_id = {c["id"]: c for c in controls_of(cosai_doc)}
    for original in source("controls.yaml")["controls"]:
        for field, key in keys.items():
            assert by_id[original["id"]][field] == original.get(key, []), original["id"]
    risks = {r["id"]: r for r in cosai_doc["risks"]}
    for original in source("risks.yaml")["risks"]:
        risk = risks[original["id"]]
        assert risk["long_description"] and risk["examples"]
        assert [r["id"] for r in risk["references"]] == [
            r["id"] for r in original.get("externalReferences", [])
        ]
        assert risk["mappings"] == original.get("mappings", {})
        for field, key in keys.items():
            if field != "components":
                assert risk[field] == original.get(key, []), original["id"]
    # Citations stay in the long texts, where the page links them to the references.
    assert "{{ref:carlini-2023-poisoning-web-scale}}" in risks["riskDataPoisoning"]["examples"]
    personas = {p["id"]: p for p in cosai_doc["personas"]}
    for original in source("personas.yaml")["personas"]:
        if not original.get("deprecated"):
            assert personas[original["id"]]["responsibilities"] == [
                " ".join(item.split()) for item in original.get("responsibilities", [])
            ]
            assert personas[original["id"]]["mappings"] == original.get("mappings", {})


@pytest.mark.django_db
def test_cosai_import_exports_and_imports_back_as_the_same_catalog():
    framework = import_path(COSAI)
    first = framework_to_document(framework)
    again = import_path_bytes(export_framework(framework))
    second = framework_to_document(again)
    second["framework"]["version"] = first["framework"]["version"]
    assert second == first
    assert Term.objects.filter(framework=framework).count() == 10 + 23 + 8 + 9 + 10
    assert MappingScheme.objects.filter(framework=framework).count() == 6


def import_path_bytes(text: str):
    return import_bytes(text.encode(), filename="cosai-export.yaml", version="round-trip")
