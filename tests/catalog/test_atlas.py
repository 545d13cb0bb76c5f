"""The MITRE ATLAS importer on a small file of the same shape written for the tests
(expected values counted by hand from tests/catalog/data/atlas-mini.yaml), and bad input.
The real ATLAS.yaml is read in test_atlas_reference.py.
"""

import copy
import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from scorecard import services
from scorecard.catalog.atlas import atlas_to_document
from scorecard.catalog.defaults import default_scale, default_tiers
from scorecard.catalog.document import iter_domains, validate_document
from scorecard.catalog.files import import_bytes, import_path
from scorecard.catalog.native import read_data_file
from scorecard.catalog.problems import CatalogInvalid
from scorecard.catalog.prose import render_html
from scorecard.models import (
    Control,
    ControlMapping,
    ControlRisk,
    Framework,
    FrameworkStatus,
    MappingScheme,
    Question,
    Risk,
    Term,
)
from tests.catalog.helpers import DATA, SMALL

MINI = DATA / "atlas-mini.yaml"


def mini() -> dict:
    return read_data_file(MINI)


@pytest.fixture(scope="module")
def doc():
    return atlas_to_document(mini())


def controls_of(doc):
    return {c["id"]: c for _, domain in iter_domains(doc) for c in domain["controls"]}


def risks_of(doc):
    return {r["id"]: r for r in doc["risks"]}


def problems_of(data, **kwargs) -> list[str]:
    with pytest.raises(CatalogInvalid) as caught:
        atlas_to_document(data, **kwargs)
    return [str(p) for p in caught.value.problems]


# --- the small file ---------------------------------------------------------------------


def test_mitigations_become_controls_in_one_domain_per_category(doc):
    assert [(d["id"], d["name"], [c["id"] for c in d["controls"]]) for d in doc["domains"]] == [
        ("policy", "Policy", ["AML.M0001", "AML.M0002"]),
        ("technical-cyber", "Technical - Cyber", ["AML.M0003"]),
        ("other", "Other mitigations", ["AML.M0004"]),
    ]
    train = controls_of(doc)["AML.M0002"]
    assert (train["name"], train["description"]) == ("Train Staff", "Teach people to spot bait.")


def test_techniques_and_sub_techniques_become_risks_with_the_first_tactic_as_category(doc):
    assert [(r["id"], r["name"], r["category"]) for r in doc["risks"]] == [
        ("AML.T0001", "Read Public Papers", "Scouting"),
        ("AML.T0001.000", "Conference Talks", "Scouting"),  # the parent's tactics
        ("AML.T0002", "Phish A Developer", "Breaking In"),
        ("AML.T0003", "Guess Passwords", "Breaking In"),
    ]


def test_every_tactic_the_maturity_and_the_atlas_id_are_pinned_mappings(doc):
    risks = risks_of(doc)
    assert risks["AML.T0001"]["mappings"] == {
        "mitre-atlas": ["AML.T0001@9.1.0"],
        "mitre-atlas-tactic": ["AML.TA0001@9.1.0", "AML.TA0002@9.1.0"],
        "mitre-atlas-maturity": ["demonstrated"],
        "mitre-attack": ["T1000"],
    }
    assert risks["AML.T0001.000"]["mappings"] == {
        "mitre-atlas": ["AML.T0001.000@9.1.0"],
        "mitre-atlas-tactic": ["AML.TA0001@9.1.0", "AML.TA0002@9.1.0"],
        "mitre-atlas-maturity": ["feasible"],
    }
    assert controls_of(doc)["AML.M0002"]["mappings"] == {
        "mitre-atlas": ["AML.M0002@9.1.0"],
        "mitre-attack": ["M1017"],
    }
    assert controls_of(doc)["AML.M0004"]["mappings"] == {"mitre-atlas": ["AML.M0004@9.1.0"]}


def test_mapping_schemes_carry_the_atlas_version(doc):
    schemes = {s["id"]: s for s in doc["mapping_schemes"]}
    assert list(schemes) == [
        "mitre-atlas",
        "mitre-atlas-tactic",
        "mitre-atlas-maturity",
        "mitre-attack",
    ]
    assert (schemes["mitre-atlas"]["version"], schemes["mitre-atlas"]["version_id"]) == (
        "9.1.0",
        "mitre-atlas@9.1.0",
    )
    assert schemes["mitre-atlas-tactic"]["technique_uri_pattern"] == (
        "https://atlas.mitre.org/tactics/{id}"
    )
    assert "version" not in schemes["mitre-attack"]


def test_mitigation_technique_links_become_control_risks(doc):
    controls = controls_of(doc)
    # M0001 lists T0001 twice: once is kept. M0002's link to T0002 sits in ml-lifecycle.
    assert controls["AML.M0001"]["risks"] == ["AML.T0001", "AML.T0001.000"]
    assert controls["AML.M0002"]["risks"] == ["AML.T0001.000", "AML.T0002"]
    assert controls["AML.M0003"]["risks"] == ["AML.T0002"]
    assert controls["AML.M0004"]["risks"] == []


def test_lifecycle_stages_become_vocabulary_terms_in_atlas_order(doc):
    stages = doc["vocabulary"]["lifecycle_stages"]
    assert [(s["id"], s["name"]) for s in stages] == [
        ("business-and-data-understanding", "Business and Data Understanding"),
        ("deployment", "Deployment"),
        ("monitoring-and-maintenance", "Monitoring and Maintenance"),
        ("data-cleanup", "Data Cleanup"),  # a stage ATLAS does not name: last, no text
    ]
    assert all(s["description"] for s in stages[:3]) and stages[3]["description"] == ""
    controls = controls_of(doc)
    assert controls["AML.M0001"]["lifecycle_stages"] == [
        "deployment",
        "business-and-data-understanding",
    ]
    assert controls["AML.M0002"]["lifecycle_stages"] == ["deployment"]
    assert controls["AML.M0003"]["lifecycle_stages"] == [
        "monitoring-and-maintenance",
        "data-cleanup",
    ]


def test_prose_keeps_paragraphs_and_items_and_drops_link_targets(doc):
    risks = risks_of(doc)
    assert risks["AML.T0001"]["description"] == (
        "Adversaries read papers about the system. They learn a lot.\n\n"
        "Second paragraph:\n- first item\n- second item"
    )
    # Markup in the file is text: the page escapes it.
    assert render_html(risks["AML.T0002"]["description"]) == (
        "<p>A developer opens a &lt;b&gt;bad&lt;/b&gt; attachment.</p>"
    )


def test_att_ck_and_https_references_become_risk_references(doc):
    risks = risks_of(doc)
    assert risks["AML.T0001"]["references"] == [
        {
            "type": "mitre-attack",
            "id": "T1000",
            "title": "MITRE ATT&CK T1000",
            "url": "https://attack.example/techniques/T1000/",
        }
    ]
    # The untitled one is titled by its address; the http one cannot be a link.
    assert risks["AML.T0002"]["references"] == [
        {
            "type": "reference",
            "id": "ref-1",
            "title": "https://example.org/phishing",
            "url": "https://example.org/phishing",
        }
    ]


def test_a_draft_without_questions_on_the_default_scale_and_tiers(doc):
    assert doc["framework"]["slug"] == "mitre-atlas"
    assert doc["framework"]["version"] == "9.1.0"
    assert doc["framework"]["license"] == "Apache-2.0"
    assert (doc["scale"], doc["tiers"]) == (default_scale(), default_tiers())
    assert all(c["questions"] == [] for c in controls_of(doc).values())
    assert doc.get("personas", []) == []
    assert validate_document(doc, for_publish=False) == []
    unscored = [
        p.path
        for p in validate_document(doc, for_publish=True)
        if "needs at least one scored question" in p.message
    ]
    assert len(unscored) == 4


def test_slug_and_version_can_be_given_but_pins_keep_the_atlas_version():
    doc = atlas_to_document(mini(), slug="atlas-local", version="2026-r1")
    assert (doc["framework"]["slug"], doc["framework"]["version"]) == ("atlas-local", "2026-r1")
    assert controls_of(doc)["AML.M0001"]["mappings"]["mitre-atlas"] == ["AML.M0001@9.1.0"]


# --- bad input --------------------------------------------------------------------------


def test_a_file_that_is_not_atlas_is_refused():
    native = read_data_file(SMALL)
    assert problems_of(native) == [
        "matrices: required list is missing; is this an ATLAS.yaml file?"
    ]
    assert problems_of([1, 2]) == ["(root): expected an ATLAS file: a mapping with `matrices`"]
    assert problems_of({"matrices": []}) == [
        "matrices: required list is missing; is this an ATLAS.yaml file?"
    ]


def test_a_matrix_without_mitigations_or_techniques_is_refused():
    data = mini()
    del data["matrices"][0]["mitigations"]
    del data["matrices"][0]["techniques"]
    assert problems_of(data) == [
        "matrices[0].techniques: required list is missing",
        "matrices[0].mitigations: required list is missing",
    ]


def test_a_mitigation_pointing_to_an_unknown_technique_is_refused():
    data = mini()
    mitigations = data["matrices"][0]["mitigations"]
    mitigations[0]["techniques"][1]["id"] = "AML.T9999"
    mitigations[1]["ml-lifecycle"][1]["id"] = "AML.T8888"
    assert problems_of(data) == [
        'matrices[0].mitigations[0].techniques[1].id: unknown technique "AML.T9999"',
        'matrices[0].mitigations[1].ml-lifecycle[1].id: unknown technique "AML.T8888"',
    ]


def test_unknown_tactics_parents_bad_and_duplicate_ids_are_refused_with_paths():
    data = mini()
    techniques = data["matrices"][0]["techniques"]
    techniques[0]["tactics"][1] = "AML.TA0099"
    techniques[1]["subtechnique-of"] = "AML.T0404"
    techniques[2]["id"] = "AML T0002"
    techniques[3]["id"] = "AML.T0001"
    data["matrices"][0]["mitigations"][2]["ml-lifecycle"][1] = 42
    assert problems_of(data) == [
        "matrices[0].techniques[2].id: may contain only ASCII letters, digits, dots, "
        "hyphens and underscores",
        'matrices[0].techniques[3].id: duplicate technique id "AML.T0001"',
        'matrices[0].techniques[0].tactics[1]: unknown tactic "AML.TA0099"',
        'matrices[0].techniques[1].subtechnique-of: unknown technique "AML.T0404"',
        'matrices[0].mitigations[0].techniques[1].id: unknown technique "AML.T0001.000"',
        'matrices[0].mitigations[1].techniques[0].id: unknown technique "AML.T0001.000"',
        'matrices[0].mitigations[1].ml-lifecycle[1].id: unknown technique "AML.T0002"',
        'matrices[0].mitigations[2].techniques[0].id: unknown technique "AML.T0002"',
        "matrices[0].mitigations[2].ml-lifecycle[1]: expected the name of an ML lifecycle stage",
    ]


def test_a_missing_version_needs_one_given_and_a_number_is_refused():
    data = mini()
    del data["version"]
    assert problems_of(data) == ["version: missing; give the version to import as"]
    doc = atlas_to_document(copy.deepcopy(data), version="local-1")
    assert controls_of(doc)["AML.M0001"]["mappings"]["mitre-atlas"] == ["AML.M0001"]
    data["version"] = 5.6  # an unquoted 5.6 in YAML
    assert problems_of(data) == ["version: expected the ATLAS version as text, e.g. '5.6.0'"]


@pytest.mark.django_db
def test_bad_atlas_files_write_nothing_and_name_the_file(tmp_path):
    data = mini()
    data["matrices"][0]["mitigations"][0]["techniques"][0]["id"] = "AML.T9999"
    bad = tmp_path / "ATLAS.yaml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(CatalogInvalid) as caught:
        import_path(bad, fmt="atlas")
    assert caught.value.lines() == [
        f'{bad}: matrices[0].mitigations[0].techniques[0].id: unknown technique "AML.T9999"'
    ]
    with pytest.raises(CommandError, match="is this an ATLAS.yaml file"):
        call_command("import_catalog", str(SMALL), "--format", "atlas", stdout=io.StringIO())
    assert Framework.objects.count() == Control.objects.count() == Risk.objects.count() == 0


# --- storing the small file -------------------------------------------------------------


@pytest.mark.django_db
def test_the_small_file_imports_as_a_draft_with_its_links_and_mappings():
    framework = import_path(MINI, fmt="atlas")
    assert (framework.slug, framework.version, framework.status) == (
        "mitre-atlas",
        "9.1.0",
        FrameworkStatus.DRAFT,
    )
    assert Control.objects.filter(framework=framework).count() == 4
    assert Risk.objects.filter(framework=framework).count() == 4
    assert ControlRisk.objects.filter(framework=framework).count() == 5  # 2 + 2 + 1 + 0
    # One mitre-atlas mapping per control, and M0002's ATT&CK one.
    assert ControlMapping.objects.filter(framework=framework).count() == 5
    assert Question.objects.filter(framework=framework).count() == 0
    assert MappingScheme.objects.filter(framework=framework).count() == 4
    assert Term.objects.filter(framework=framework, kind="lifecycle_stage").count() == 4
    with pytest.raises(services.CatalogInvalid):
        services.publish_framework(framework=framework)


@pytest.mark.django_db
def test_the_format_is_detected_and_uploads_work_too():
    assert import_path(MINI).slug == "mitre-atlas"
    uploaded = import_bytes(MINI.read_bytes(), filename="ATLAS.yaml", version="9.1.0-b")
    assert uploaded.version == "9.1.0-b"
    out = io.StringIO()
    call_command("import_catalog", str(MINI), "--format", "atlas", "--slug", "x", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Imported MITRE ATLAS 9.1.0 as draft: 4 controls, 0 questions."
    assert lines[-1] == "x 9.1.0"
