"""The Risk Map fields of the native format (vocabulary, term lists, mapping schemes, risk
texts and references, persona responsibilities, autonomy evidence): stored, read back,
exported and imported unchanged, and refused with their path when they do not hold."""

import copy
import json

import pytest

from scorecard.catalog.document import normalise_document, validate_document
from scorecard.catalog.files import export_framework, import_bytes
from scorecard.catalog.native import read_data_file
from scorecard.catalog.oscal import oscal_to_document
from scorecard.catalog.problems import CatalogInvalid
from scorecard.catalog.store import save_document
from scorecard.catalog.stored_document import framework_to_document
from scorecard.diff import diff_documents
from scorecard.models import Control, MappingScheme, Persona, Risk, Term
from tests.catalog.helpers import DATA, catalog_row_counts

FIELDS = DATA / "riskmap-fields.yaml"


@pytest.fixture
def doc():
    return read_data_file(FIELDS)


def control(doc, ref):
    return next(c for c in doc["domains"][0]["controls"] if c["id"] == ref)


@pytest.mark.django_db
def test_every_risk_map_field_survives_the_database(doc):
    framework = save_document(copy.deepcopy(doc))
    assert framework_to_document(framework) == normalise_document(doc)


@pytest.mark.django_db
def test_export_then_import_gives_the_same_catalog(doc):
    framework = save_document(copy.deepcopy(doc))
    text = export_framework(framework)
    again = import_bytes(text.encode(), filename="fields.yaml", version="2")
    first, second = framework_to_document(framework), framework_to_document(again)
    second["framework"]["version"] = first["framework"]["version"]
    assert second == first
    assert export_framework(again).replace("version: '2'", "version: '1'") == text


@pytest.mark.django_db
def test_term_lists_are_kept_as_written(doc):
    framework = save_document(doc)
    stored = {
        row["ref"]: row
        for row in Control.objects.filter(framework=framework).values(
            "ref", "components", "lifecycle_stages", "actor_access", "impact_types"
        )
    }
    # Written by hand from the fixture: order kept, literals kept, silence stays empty.
    assert stored["cListed"] == {
        "ref": "cListed",
        "components": ["compA", "compB"],
        "lifecycle_stages": ["run"],
        "actor_access": ["robot", "outsider"],
        "impact_types": ["harm"],
    }
    assert stored["cLiterals"] == {
        "ref": "cLiterals",
        "components": "all",
        "lifecycle_stages": "none",
        "actor_access": "all",
        "impact_types": "none",
    }
    assert stored["cSilent"]["components"] == [] == stored["cSilent"]["impact_types"]
    risk = Risk.objects.get(framework=framework, ref="rCited")
    assert (risk.lifecycle_stages, risk.actor_access, risk.impact_types) == (
        ["build", "run"],
        "all",
        "none",
    )


@pytest.mark.django_db
def test_vocabulary_rows_keep_kind_order_parents_and_groups(doc):
    framework = save_document(doc)
    terms = {(t.kind, t.ref): t for t in Term.objects.filter(framework=framework)}
    assert terms[("component_category", "catSubSub")].parent.ref == "catSub"
    assert terms[("component_category", "catSub")].parent.ref == "catTop"
    assert terms[("component", "compA")].parent.ref == "catSubSub"
    assert terms[("component", "compLoose")].parent is None
    assert terms[("actor_access", "robot")].group == "modern"
    assert terms[("component", "compA")].description == "The **first** part."
    stages = Term.objects.filter(framework=framework, kind="lifecycle_stage").order_by("position")
    assert [t.ref for t in stages] == ["build", "run"]
    assert Term.objects.filter(framework=framework).count() == 3 + 3 + 2 + 2 + 2


@pytest.mark.django_db
def test_mapping_schemes_keep_every_field(doc):
    framework = save_document(doc)
    atlas = MappingScheme.objects.get(framework=framework, ref="atlas")
    assert (atlas.name, atlas.version, atlas.version_id, atlas.prior_versions) == (
        "Attack atlas",
        "2.0",
        "atlas@2.0",
        ["atlas@1.5"],
    )
    assert atlas.technique_uri_pattern == "https://example.org/atlas/{id}"
    assert atlas.applies_to == ["controls", "risks"] and atlas.last_updated == "2026-01-01"
    assert MappingScheme.objects.get(framework=framework, ref="threats").version == ""


@pytest.mark.django_db
def test_risk_texts_references_and_persona_responsibilities_are_stored(doc):
    framework = save_document(doc)
    risk = Risk.objects.get(framework=framework, ref="rCited")
    assert risk.long_description.startswith("First paragraph with **bold**, _italic_")
    assert "({{ref:paper-1}})" in risk.long_description
    assert risk.examples == "It happened once ({{ref:news-1}})."
    assert [r["id"] for r in risk.references] == ["paper-1", "news-1"]
    assert risk.mappings == {"atlas": ["AML.T0001@2.0", "AML.T0002@1.5"], "threats": ["Tampering"]}
    builder = Persona.objects.get(framework=framework, ref="pBuilder")
    assert builder.responsibilities == ["Build it", "Document it"]
    assert builder.mappings == {"roles": ["Producer@2022"]}


@pytest.mark.django_db
def test_evidence_autonomy_is_stored_as_a_level_and_written_as_it_was_read(doc):
    framework = save_document(doc)
    levels = dict(
        Control.objects.filter(framework=framework).values_list("ref", "evidence_autonomy")
    )
    assert levels == {"cListed": 3, "cLiterals": 0, "cSilent": None}
    back = framework_to_document(framework)
    assert [c["evidence_autonomy"] for c in back["domains"][0]["controls"]] == ["L3+", "L0+", None]


@pytest.mark.django_db
def test_oscal_carries_the_terms_in_our_namespace_and_reads_them_back(doc):
    framework = save_document(copy.deepcopy(doc))
    catalog = json.loads(export_framework(framework, fmt="oscal"))["catalog"]
    listed = catalog["groups"][0]["controls"][0]
    props = [(p["name"], p["value"]) for p in listed["props"] if p.get("ns")]
    assert [p for p in props if p[0] not in ("weight", "critical", "personas", "risks")] == [
        ("components", "compA"),
        ("components", "compB"),
        ("lifecycle_stages", "run"),
        ("actor_access", "robot"),
        ("actor_access", "outsider"),
        ("impact_types", "harm"),
        ("evidence_autonomy", "L3+"),
    ]
    back = oscal_to_document({"catalog": catalog}, slug="back")
    first = back["domains"][0]["controls"][0]
    assert first["components"] == ["compA", "compB"] and first["evidence_autonomy"] == "L3+"


def test_the_version_diff_names_changed_risk_map_fields(doc):
    changed = copy.deepcopy(doc)
    control(changed, "cListed")["components"] = "all"
    control(changed, "cListed")["evidence_autonomy"] = "L4+"
    changed["risks"][0]["references"][0]["title"] = "A better paper"
    changed["personas"][0]["responsibilities"].append("Run it")
    diff = diff_documents(normalise_document(doc), normalise_document(changed))
    by_kind = {s.kind: {c.ref: c.changes for c in s.changed} for s in diff.sections}
    assert [(c.field, c.old, c.new) for c in by_kind["control"]["cListed"]] == [
        ("components", "compA; compB", "all"),
        ("evidence_autonomy", "L3+", "L4+"),
    ]
    assert [c.field for c in by_kind["risk"]["rCited"]] == ["references"]
    assert [c.field for c in by_kind["persona"]["pBuilder"]] == ["responsibilities"]


def test_a_catalog_without_risk_map_fields_gets_empty_ones_in_normal_form(doc):
    bare = {
        "format": "scorecard-catalog/1",
        "framework": {"slug": "bare", "name": "Bare", "version": "1"},
        "tiers": [{"name": "Low", "min_score": 0}],
        "personas": [{"id": "p", "name": "P"}],
        "risks": [{"id": "r", "name": "R"}],
        "domains": [{"id": "D", "name": "D", "controls": [{"id": "c", "name": "C"}]}],
    }
    normal = normalise_document(bare)
    assert normal["mapping_schemes"] == []
    assert normal["vocabulary"] == {
        "component_categories": [],
        "components": [],
        "lifecycle_stages": [],
        "actor_access": [],
        "impact_types": [],
    }
    assert normal["personas"][0] | {} == {
        "id": "p",
        "name": "P",
        "description": "",
        "questions": [],
        "responsibilities": [],
        "mappings": {},
    }
    risk = normal["risks"][0]
    assert (risk["long_description"], risk["examples"], risk["references"]) == ("", "", [])
    assert (risk["lifecycle_stages"], risk["actor_access"], risk["impact_types"]) == ([], [], [])
    control_ = normal["domains"][0]["controls"][0]
    assert [control_[k] for k in ("components", "lifecycle_stages", "evidence_autonomy")] == [
        [],
        [],
        None,
    ]


# --- refused input ---------------------------------------------------------------------------

CONTROL = ("domains", 0, "controls", 0)


def _set(doc, path, value):
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


BAD = [
    (
        (*CONTROL, "components"),
        ["compA", "compGhost"],
        'domains[0].controls[0].components[1]: unknown component "compGhost"',
    ),
    (
        (*CONTROL, "components"),
        ["catTop"],
        'domains[0].controls[0].components[0]: unknown component "catTop"',
    ),
    (
        (*CONTROL, "actor_access"),
        ["robot", "robot"],
        'domains[0].controls[0].actor_access[1]: actor access level "robot" is listed twice',
    ),
    (
        (*CONTROL, "lifecycle_stages"),
        "some",
        'domains[0].controls[0].lifecycle_stages: expected a list of ids, "all" or "none"',
    ),
    (
        ("risks", 0, "impact_types"),
        ["ghost"],
        'risks[0].impact_types[0]: unknown impact type "ghost"',
    ),
    (
        ("vocabulary", "component_categories", 0, "parent"),
        "catSubSub",
        # Each category of the loop is named.
        [
            f"vocabulary.component_categories[{i}].parent: "
            "a component category cannot sit inside itself"
            for i in range(3)
        ],
    ),
    (
        ("vocabulary", "components", 1, "category"),
        "catGhost",
        'vocabulary.components[1].category: unknown component category "catGhost"',
    ),
    (
        ("vocabulary", "lifecycle_stages"),
        [
            {"id": "build", "name": "Build"},
            {"id": "run", "name": "Run"},
            {"id": "build", "name": "B"},
        ],
        'vocabulary.lifecycle_stages[2].id: duplicate lifecycle stage id "build" '
        "(first used at vocabulary.lifecycle_stages[0])",
    ),
    (
        ("risks", 0, "examples"),
        "Told in {{ref:ghost}}.",
        'risks[0].examples: cites "{{ref:ghost}}", which no reference has as id',
    ),
    (
        ("risks", 0, "references", 1, "id"),
        "paper-1",
        [
            'risks[0].examples: cites "{{ref:news-1}}", which no reference has as id',
            'risks[0].references[1].id: duplicate reference id "paper-1"',
        ],
    ),
    (
        ("risks", 0, "references", 0, "url"),
        "javascript:alert(1)",
        "risks[0].references[0].url: must be an https:// address without spaces",
    ),
    (
        ("risks", 0, "references", 0, "url"),
        "http://example.org/paper",
        "risks[0].references[0].url: must be an https:// address without spaces",
    ),
    (
        (*CONTROL, "mappings"),
        {"atlas": ["AML.M0001@3.0"]},
        'domains[0].controls[0].mappings.atlas[0]: "AML.M0001@3.0" is pinned to atlas 3.0, '
        "a version mapping_schemes does not give (known: 1.5, 2.0)",
    ),
    (
        ("mapping_schemes", 1, "id"),
        "atlas",
        'mapping_schemes[1].id: duplicate mapping scheme id "atlas"',
    ),
    (
        (*CONTROL, "evidence_autonomy"),
        "L6+",
        "domains[0].controls[0].evidence_autonomy: must be a level from L0 to L5 followed by +, "
        "e.g. L3+",
    ),
    (
        ("personas", 0, "responsibilities"),
        ["Build it", ""],
        "personas[0].responsibilities[1]: must not be empty",
    ),
]


def _id(case) -> str:
    expected = case[2]
    return (expected if isinstance(expected, str) else expected[-1])[:60]


@pytest.mark.parametrize(("path", "value", "expected"), BAD, ids=[_id(b) for b in BAD])
def test_a_broken_field_is_named_with_its_path(doc, path, value, expected):
    _set(doc, path, value)
    expected = [expected] if isinstance(expected, str) else expected
    assert sorted(str(p) for p in validate_document(doc)) == sorted(expected)


@pytest.mark.django_db
def test_a_refused_document_writes_nothing(doc):
    before = catalog_row_counts()
    _set(doc, (*CONTROL, "components"), ["compGhost"])
    with pytest.raises(CatalogInvalid):
        save_document(doc)
    assert catalog_row_counts() == before
