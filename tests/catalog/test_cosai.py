"""The CoSAI Risk Map importer, on a small folder of the same shape written for the tests."""

import shutil

import pytest

from scorecard.catalog.cosai import cosai_to_document
from scorecard.catalog.document import normalise_document, validate_document
from scorecard.catalog.native import read_data_file
from scorecard.catalog.problems import CatalogInvalid
from tests.catalog.helpers import DATA, SMALL

MINI = DATA / "cosai-mini" / "yaml"


@pytest.fixture
def readiness():
    return normalise_document(read_data_file(SMALL))


@pytest.fixture
def doc(readiness):
    return cosai_to_document(MINI, readiness=readiness)


def control(doc, ref):
    return next(c for d in doc["domains"] for c in d["controls"] if c["id"] == ref)


def test_categories_become_domains_in_order(doc):
    assert [(d["id"], d["name"]) for d in doc["domains"]] == [
        ("catGov", "Governance things"),
        ("catOps", "Operating things"),
    ]
    assert [c["id"] for c in doc["domains"][1]["controls"]] == ["OPS-1", "controlWithoutQuestions"]


def test_version_comes_from_source_commit_and_slug_is_fixed(doc):
    assert doc["framework"]["slug"] == "cosai-rm"
    assert doc["framework"]["version"] == "rm-0123456"
    assert "0123456789abcdef0123456789abcdef01234567" in doc["framework"]["source"]


def test_version_falls_back_to_the_import_date_without_source_commit(tmp_path, readiness):
    shutil.copytree(MINI, tmp_path / "yaml")
    doc = cosai_to_document(tmp_path / "yaml", readiness=readiness)
    assert doc["framework"]["version"].startswith("import-20")
    assert cosai_to_document(MINI, version="7", readiness=readiness)["framework"]["version"] == "7"


def test_descriptions_join_paragraphs_and_resolve_cross_references(doc):
    assert control(doc, "GOV-1")["description"] == (
        "Write the policy down and keep it current.\n\n- First point, see Leaks.\n- Second point."
    )


def test_risks_all_means_every_risk_and_mappings_are_verbatim(doc):
    gov = control(doc, "GOV-1")
    assert gov["risks"] == ["riskLeak", "riskDrift"]
    assert gov["mappings"] == {
        "nist-ai-rmf": ["GOVERN-1.1@1.0"],
        "mitre-atlas": ["AML.M0000@5.0.1", "AML.M0001@5.0.1"],
    }


def test_deprecated_personas_are_skipped_with_their_references(doc):
    assert [p["id"] for p in doc["personas"]] == ["personaBuilder", "personaOperator"]
    assert doc["personas"][0]["questions"] == [
        "Do you build things?",
        "Do you build things for others?",
    ]
    assert control(doc, "GOV-1")["personas"] == ["personaBuilder"]
    assert doc["risks"][0]["description"] == "Private data gets out."
    assert doc["risks"][0]["category"] == "risksRuntimeDataSecurity"


def test_questions_scale_tiers_and_flags_come_from_the_readiness_scorecard(doc, readiness):
    gov = control(doc, "GOV-1")
    known = readiness["domains"][0]["domains"][0]["controls"][0]
    assert gov["questions"] == known["questions"]
    assert (gov["guidance"], gov["critical"], gov["weight"]) == (
        known["guidance"],
        True,
        2.0,
    )
    assert gov["name"] == "Keep a policy"  # the name stays CoSAI's
    assert doc["scale"] == readiness["scale"] and doc["tiers"] == readiness["tiers"]
    assert doc["gate_tier"] == "Growing"


def test_an_unmatched_control_has_no_questions_so_only_a_draft_is_valid(doc):
    assert control(doc, "controlWithoutQuestions")["questions"] == []
    assert validate_document(doc, for_publish=False) == []
    assert [str(p) for p in validate_document(doc, for_publish=True)] == [
        "domains[1].controls[1].questions: a control needs at least one scored question"
    ]


def test_without_the_readiness_scorecard_controls_arrive_without_questions():
    doc = cosai_to_document(MINI, readiness=None)
    assert all(not c["questions"] for d in doc["domains"] for c in d["controls"])
    assert len(doc["scale"]) == 5 and validate_document(doc, for_publish=False) == []


def test_broken_files_are_reported_with_file_and_path(tmp_path, readiness):
    folder = tmp_path / "yaml"
    shutil.copytree(MINI, folder)
    text = (folder / "controls.yaml").read_text()
    text = text.replace(
        "category: catOps\n    personas: [personaOperator]",
        "category: catNone\n    personas: [personaOperator]",
    )
    text = text.replace("personas: [personaBuilder, personaRetired]", "personas: [personaGhost]")
    (folder / "controls.yaml").write_text(text)
    (folder / "risks.yaml").write_text("risks: [unclosed\n")
    (folder / "personas.yaml").unlink()
    with pytest.raises(CatalogInvalid) as caught:
        cosai_to_document(folder, readiness=readiness)
    lines = caught.value.lines()
    assert lines[0].startswith(f"{folder / 'risks.yaml'}: line 2, column 1: invalid YAML")
    assert lines[1] == f"{folder / 'personas.yaml'}: cannot read: No such file or directory"
    (folder / "risks.yaml").write_text((MINI / "risks.yaml").read_text())
    shutil.copy(MINI / "personas.yaml", folder / "personas.yaml")
    with pytest.raises(CatalogInvalid) as caught:
        cosai_to_document(folder, readiness=readiness)
    assert caught.value.lines() == [
        f'{folder / "controls.yaml"}: controls[0].personas[0]: unknown persona "personaGhost"',
        f"{folder / 'controls.yaml'}: controls[1].category: names no category",
    ]


def test_a_file_instead_of_a_folder_is_refused():
    with pytest.raises(CatalogInvalid) as caught:
        cosai_to_document(MINI / "controls.yaml")
    assert caught.value.lines() == [f"{MINI / 'controls.yaml'}: not a directory"]
