"""The CoSAI importer reads every file of the Risk Map's current schema, on the small folder
written for the tests (tests/catalog/data/cosai-mini): the vocabulary, mapping schemes, term
lists, risk texts and references, persona responsibilities; bad input names file and path
and writes nothing."""

import shutil

import pytest

from scorecard.catalog.cosai import FILES, cosai_to_document
from scorecard.catalog.document import normalise_document
from scorecard.catalog.files import export_framework, import_bytes, import_path
from scorecard.catalog.native import read_data_file
from scorecard.catalog.problems import CatalogInvalid
from scorecard.catalog.stored_document import framework_to_document
from tests.catalog.helpers import DATA, SMALL, catalog_row_counts

MINI = DATA / "cosai-mini" / "yaml"


@pytest.fixture
def readiness():
    return normalise_document(read_data_file(SMALL))


@pytest.fixture
def doc(readiness):
    return cosai_to_document(MINI, readiness=readiness)


def control(doc, ref):
    return next(c for d in doc["domains"] for c in d["controls"] if c["id"] == ref)


def risk(doc, ref):
    return next(r for r in doc["risks"] if r["id"] == ref)


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "yaml"
    shutil.copytree(MINI, target)
    shutil.copy(MINI.parent / "SOURCE_COMMIT", tmp_path / "SOURCE_COMMIT")
    return target


def edit(folder, name, old, new):
    path = folder / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new))


def test_every_file_of_the_current_schema_is_read():
    assert set(FILES) == {
        "controls.yaml",
        "risks.yaml",
        "personas.yaml",
        "components.yaml",
        "frameworks.yaml",
        "actor-access.yaml",
        "impact-type.yaml",
        "lifecycle-stage.yaml",
    }


def test_components_arrive_with_their_categories_and_sub_categories(doc):
    vocabulary = doc["vocabulary"]
    assert vocabulary["component_categories"] == [
        {
            "id": "compCatSystem",
            "name": "System parts",
            "description": "The parts of a system.",
            "parent": None,
        },
        {
            "id": "compCatStorage",
            "name": "Storage parts",
            "description": "Where things are kept.",
            "parent": "compCatSystem",
        },
    ]
    # A component sits in its sub-category, or in its category when it names none; nested
    # description lists become `- ` items.
    assert vocabulary["components"] == [
        {
            "id": "compStore",
            "name": "Store",
            "description": "Keeps the models.",
            "category": "compCatStorage",
        },
        {
            "id": "compServe",
            "name": "Server",
            "description": "Answers requests:\n\n- over the network\n- on a schedule",
            "category": "compCatSystem",
        },
    ]


def test_lifecycle_stages_follow_their_order_and_access_and_impact_keep_their_group(doc):
    vocabulary = doc["vocabulary"]
    assert [s["id"] for s in vocabulary["lifecycle_stages"]] == ["stagePlan", "stageRun"]
    assert vocabulary["lifecycle_stages"][0] == {
        "id": "stagePlan",
        "name": "Planning",
        "description": "It is planned.",
    }
    assert [(a["id"], a["group"]) for a in vocabulary["actor_access"]] == [
        ("accessOutside", "traditional"),
        ("accessInside", "modern"),
    ]
    assert [(i["id"], i["name"], i["group"]) for i in vocabulary["impact_types"]] == [
        ("impactLoss", "Loss", "traditional-security"),
        ("impactTrust", "Trust", "ai-specific"),
    ]


def test_frameworks_become_mapping_schemes(doc):
    atlas = doc["mapping_schemes"][0]
    assert atlas == {
        "id": "mitre-atlas",
        "name": "ATLAS",
        "full_name": "An atlas of attacks",
        "description": "Attack techniques.",
        "version": "5.0.1",
        "version_id": "mitre-atlas@5.0.1",
        "supersedes": "",
        "prior_versions": ["mitre-atlas@4.9.0"],
        "base_uri": "https://example.org/atlas",
        "document_uri": "",
        "technique_uri_pattern": "https://example.org/atlas/{id}",
        "last_updated": "",
        "applies_to": ["controls", "risks"],
    }
    assert [s["id"] for s in doc["mapping_schemes"]] == ["mitre-atlas", "nist-ai-rmf", "iso-22989"]
    assert doc["mapping_schemes"][1]["last_updated"] == "2023-01-26"


def test_control_term_lists_keep_all_none_lists_and_silence(doc):
    fields = ("components", "lifecycle_stages", "actor_access", "impact_types")
    assert [control(doc, "GOV-1").get(f) for f in fields] == [
        "all",
        ["stagePlan", "stageRun"],
        "none",
        ["impactTrust"],
    ]
    assert [control(doc, "OPS-1").get(f) for f in fields] == [
        ["compStore", "compServe"],
        "all",
        ["accessInside"],
        "none",
    ]
    # The Risk Map states no lifecycle stages for this control: nothing is made up.
    assert [control(doc, "controlWithoutQuestions").get(f) for f in fields] == ["none", [], [], []]


def test_risks_bring_long_descriptions_examples_references_mappings_and_terms(doc):
    leak = risk(doc, "riskLeak")
    # The short description drops citations; the long texts keep them for the page to link.
    assert leak["description"] == "Private data gets out."
    assert leak["long_description"] == (
        "Data leaves by the **front door** when answers repeat what the model saw in "
        "_training_ ({{ref:leak-report}}).\n\n- Through logs.\n- Through caches, see Drift."
    )
    assert leak["examples"] == "A test bot printed its notes ({{ref:leak-report}})."
    assert leak["references"] == [
        {
            "type": "paper",
            "id": "leak-report",
            "title": "A report on leaks",
            "url": "https://example.org/leaks",
        },
        {
            "type": "news",
            "id": "leak-news",
            "title": "Leaks in the news",
            "url": "https://example.org/news",
        },
    ]
    assert leak["mappings"] == {"mitre-atlas": ["AML.T0024@5.0.1"]}
    assert (leak["lifecycle_stages"], leak["impact_types"], leak["actor_access"]) == (
        ["stageRun"],
        ["impactTrust", "impactLoss"],
        ["accessOutside"],
    )
    # The Risk Map's tour texts and a risk's own persona and control lists are not kept.
    assert set(leak) == {
        "id",
        "name",
        "description",
        "category",
        "long_description",
        "examples",
        "references",
        "mappings",
        "lifecycle_stages",
        "actor_access",
        "impact_types",
    }
    drift = risk(doc, "riskDrift")
    assert (drift["references"], drift["examples"], drift["lifecycle_stages"]) == ([], "", [])


def test_personas_bring_responsibilities_and_mappings_and_deprecated_ones_stay_out(doc):
    builder, operator = doc["personas"]
    assert builder["responsibilities"] == ["Build the thing", "Document how it was built"]
    assert builder["mappings"] == {"iso-22989": ["AI Producer@2022"]}
    assert (operator["id"], operator["responsibilities"], operator["mappings"]) == (
        "personaOperator",
        [],
        {},
    )


def test_the_autonomy_evidence_rule_comes_from_the_readiness_scorecard(doc):
    assert control(doc, "GOV-1")["evidence_autonomy"] == "L3+"
    assert "evidence_autonomy" not in control(doc, "controlWithoutQuestions")


@pytest.mark.django_db
def test_the_import_stores_everything_and_export_then_import_gives_it_back():
    framework = import_path(MINI)
    stored = framework_to_document(framework)
    assert [c["id"] for c in stored["vocabulary"]["components"]] == ["compStore", "compServe"]
    assert stored["risks"][0]["references"][1]["id"] == "leak-news"
    again = import_bytes(export_framework(framework).encode(), filename="rm.yaml", version="x")
    second = framework_to_document(again)
    second["framework"]["version"] = stored["framework"]["version"]
    assert second == stored


def test_unknown_top_level_keys_are_ignored(folder, readiness):
    # The Risk Map lets new top-level sections appear without breaking its readers.
    with (folder / "controls.yaml").open("a") as handle:
        handle.write("futureSection:\n  - anything: [1, 2]\n")
    assert cosai_to_document(folder, readiness=readiness) == cosai_to_document(
        MINI, readiness=readiness
    )


# --- refused input ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_component_on_a_control_names_file_and_path_and_writes_nothing(folder):
    edit(folder, "controls.yaml", "components: [compStore, compServe]", "components: [compGhost]")
    before = catalog_row_counts()
    with pytest.raises(CatalogInvalid) as caught:
        import_path(folder)
    assert caught.value.lines() == [
        f'{folder / "controls.yaml"}: controls[1].components[0]: unknown component "compGhost"'
    ]
    assert catalog_row_counts() == before


@pytest.mark.django_db
def test_a_schema_violation_names_file_and_path_and_writes_nothing(folder):
    edit(folder, "risks.yaml", "url: https://example.org/leaks", "url: javascript:alert(1)")
    edit(folder, "components.yaml", "    edges:\n      to: [compServe]\n", "")
    before = catalog_row_counts()
    with pytest.raises(CatalogInvalid) as caught:
        import_path(folder)
    assert caught.value.lines() == [
        f"{folder / 'risks.yaml'}: risks[0].externalReferences[0].url: "
        '"javascript:alert(1)" does not match ^https://',
        f"{folder / 'components.yaml'}: components[0].edges: required field is missing",
    ]
    assert catalog_row_counts() == before


def test_unknown_terms_and_risks_are_named_in_the_file_that_names_them(folder, readiness):
    edit(folder, "risks.yaml", "lifecycleStage: [stageRun]", "lifecycleStage: [stageNever]")
    edit(folder, "controls.yaml", "risks: [riskDrift]", "risks: [riskGhost]")
    edit(folder, "controls.yaml", "actorAccess: [accessInside]", "actorAccess: [accessRoot]")
    with pytest.raises(CatalogInvalid) as caught:
        cosai_to_document(folder, readiness=readiness)
    assert sorted(caught.value.lines()) == sorted(
        [
            f'{folder / "controls.yaml"}: controls[1].risks[0]: unknown risk "riskGhost"',
            f"{folder / 'controls.yaml'}: controls[1].actorAccess[0]: "
            'unknown actor access level "accessRoot"',
            f"{folder / 'risks.yaml'}: risks[0].lifecycleStage[0]: "
            'unknown lifecycle stage "stageNever"',
        ]
    )


def test_a_mapping_pinned_to_a_version_frameworks_yaml_does_not_give_is_refused(folder, readiness):
    edit(
        folder,
        "frameworks.yaml",
        "version: '1.0'\n    versionId: nist-ai-rmf@1.0",
        "version: '1.1'",
    )
    with pytest.raises(CatalogInvalid) as caught:
        cosai_to_document(folder, readiness=readiness)
    assert caught.value.lines() == [
        f"{folder / 'controls.yaml'}: controls[0].mappings.nist-ai-rmf[0]: "
        '"GOVERN-1.1@1.0" is pinned to nist-ai-rmf 1.0, a version frameworks.yaml does not '
        "give (known: 1.1)"
    ]


def test_a_missing_file_of_the_schema_is_reported(folder, readiness):
    (folder / "lifecycle-stage.yaml").unlink()
    with pytest.raises(CatalogInvalid) as caught:
        cosai_to_document(folder, readiness=readiness)
    assert caught.value.lines() == [
        f"{folder / 'lifecycle-stage.yaml'}: cannot read: No such file or directory"
    ]


def test_a_mapping_to_a_framework_frameworks_yaml_does_not_list_is_refused(folder, readiness):
    edit(
        folder,
        "controls.yaml",
        "      nist-ai-rmf: [GOVERN-1.1@1.0]\n",
        "      stride: [Tampering]\n",
    )
    with pytest.raises(CatalogInvalid) as caught:
        cosai_to_document(folder, readiness=readiness)
    assert caught.value.lines() == [
        f"{folder / 'controls.yaml'}: controls[0].mappings.stride: "
        '"stride" is not a framework of frameworks.yaml'
    ]


def test_a_vocabulary_id_outside_the_id_rule_is_named_in_its_file(folder, readiness):
    edit(folder, "lifecycle-stage.yaml", "id: stagePlan", "id: stage plan")
    edit(folder, "controls.yaml", "lifecycleStage: [stagePlan, stageRun]", "lifecycleStage: all")
    with pytest.raises(CatalogInvalid) as caught:
        cosai_to_document(folder, readiness=readiness)
    assert caught.value.lines() == [
        f"{folder / 'lifecycle-stage.yaml'}: lifecycleStages[1].id: may contain only ASCII "
        "letters, digits, dots, hyphens and underscores"
    ]


def test_sub_categories_listed_at_the_top_as_well_arrive_once(folder, readiness):
    with (folder / "components.yaml").open("a") as handle:
        handle.write(
            "subcategory:\n"
            "  - {id: compCatStorage, title: Storage parts}\n"
            "  - {id: compCatLoose, title: Loose parts, description: [On their own.]}\n"
        )
    categories = cosai_to_document(folder, readiness=readiness)["vocabulary"][
        "component_categories"
    ]
    assert [(c["id"], c["parent"]) for c in categories] == [
        ("compCatSystem", None),
        ("compCatStorage", "compCatSystem"),
        ("compCatLoose", None),
    ]
