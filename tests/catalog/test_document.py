"""Validation of the native format: schema and semantic rules, reported all at once."""

import copy

import pytest

from scorecard.catalog.document import check_document, normalise_document, validate_document
from scorecard.catalog.native import read_data_file
from scorecard.catalog.problems import CatalogInvalid
from tests.catalog.helpers import SMALL, generated_document


@pytest.fixture
def doc():
    return read_data_file(SMALL)


def messages(doc, **kwargs):
    return [str(problem) for problem in validate_document(doc, **kwargs)]


def test_the_small_fixture_and_a_generated_document_are_valid(doc):
    assert validate_document(doc) == []
    assert validate_document(generated_document(20)) == []


def test_duplicate_option_label_is_reported_with_its_path(doc):
    options = doc["domains"][0]["controls"][0]["questions"][0]["options"]
    options[1]["label"] = "Nobody"
    assert messages(doc) == [
        'domains[0].controls[0].questions[0].options: duplicate label "Nobody"'
    ]


def test_duplicate_scale_label_is_reported(doc):
    doc["scale"][2]["label"] = "Some"
    assert messages(doc) == ['scale: duplicate label "Some"']


def test_every_problem_is_reported_at_once_schema_and_semantic_alike(doc):
    control = doc["domains"][0]["domains"][0]["controls"][0]
    control["weight"] = "heavy"
    control["personas"].append("personaNobody")
    doc["domains"][1]["controls"][0]["questions"][1]["weight"] = 0
    doc["tiers"][1]["min_score"] = 90
    del doc["framework"]["name"]
    assert sorted(messages(doc)) == sorted(
        [
            "domains[0].domains[0].controls[0].weight: expected number, got a string",
            'domains[0].domains[0].controls[0].personas[2]: unknown persona "personaNobody"',
            "domains[1].controls[0].questions[1].weight: "
            "must be greater than 0 and at most 1000000",
            "tiers[2].min_score: must be greater than the previous tier's 90",
            "framework.name: required field is missing",
        ]
    )


def test_ids_must_be_unique_per_kind_across_the_whole_tree(doc):
    doc["domains"][1]["controls"][0]["id"] = "GOV-1"
    doc["domains"][1]["controls"][0]["questions"][0]["id"] = "GOV-2.1"
    doc["domains"][1]["id"] = "GOV.POL"
    # The same id in a different kind is fine.
    doc["risks"].append({"id": "GOV-1", "name": "A risk sharing a control's id"})
    assert messages(doc) == [
        'domains[1].id: duplicate domain id "GOV.POL" (first used at domains[0].domains[0])',
        'domains[1].controls[0].id: duplicate control id "GOV-1" '
        "(first used at domains[0].domains[0].controls[0])",
        'domains[1].controls[0].questions[0].id: duplicate question id "GOV-2.1" '
        "(first used at domains[0].controls[0].questions[0])",
    ]


def test_unknown_risk_and_repeated_persona_references_are_reported(doc):
    control = doc["domains"][1]["controls"][0]
    control["risks"] = ["riskLeak", "riskMissing"]
    control["personas"] = ["personaBuilder", "personaBuilder"]
    assert messages(doc) == [
        'domains[1].controls[0].personas[1]: persona "personaBuilder" is listed twice',
        'domains[1].controls[0].risks[1]: unknown risk "riskMissing"',
    ]


def test_tiers_must_start_at_zero_and_gate_tier_must_exist(doc):
    doc["tiers"][0]["min_score"] = 5
    doc["gate_tier"] = "Legendary"
    assert messages(doc) == [
        "tiers[0].min_score: the first tier must start at 0",
        'gate_tier: names no tier: "Legendary"',
    ]


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_option_and_scale_values_must_lie_between_zero_and_one(doc, value):
    doc["scale"][0]["value"] = value
    doc["domains"][0]["controls"][0]["questions"][0]["options"][2]["value"] = value
    assert messages(doc) == [
        "scale[0].value: must be between 0 and 1",
        "domains[0].controls[0].questions[0].options[2].value: must be between 0 and 1",
    ]


def test_choice_needs_two_options_and_other_types_none(doc):
    choice = doc["domains"][0]["controls"][0]["questions"][0]
    choice["options"] = choice["options"][:1]
    scale = doc["domains"][1]["controls"][0]["questions"][1]
    scale["options"] = [{"label": "x", "value": 1}]
    assert messages(doc) == [
        "domains[0].controls[0].questions[0].options: a choice question needs at least 2 options",
        "domains[1].controls[0].questions[1].options: only choice questions have options, "
        "not scale",
    ]


def test_a_control_without_scored_question_blocks_publishing_but_not_a_draft(doc):
    doc["domains"][1]["controls"][0]["questions"] = [
        {"id": "OPS-1.1", "text": "How many?", "type": "number"}
    ]
    assert messages(doc, for_publish=False) == []
    assert messages(doc) == [
        "domains[1].controls[0].questions: a control needs at least one scored question"
    ]


def test_an_empty_domain_blocks_publishing(doc):
    doc["domains"].append({"id": "EMPTY", "name": "Nothing here"})
    assert messages(doc) == [
        "domains[2]: a domain needs at least one control, directly or in a sub-domain"
    ]


def test_scale_questions_need_a_scale(doc):
    doc["scale"] = []
    assert messages(doc) == ["scale: 2 scale question(s) need a scale of at least 2 options"]


def test_unknown_fields_and_wrong_enum_are_named(doc):
    question = doc["domains"][1]["controls"][0]["questions"][0]
    question["alow_na"] = True
    question["type"] = "slider"
    assert messages(doc) == [
        "domains[1].controls[0].questions[0]: unknown field(s): alow_na",
        "domains[1].controls[0].questions[0].type: must be one of: scale, choice, yes_no, "
        "text, number",
    ]


def test_an_unquoted_numeric_version_gets_a_hint(doc):
    doc["framework"]["version"] = 1.0
    assert messages(doc) == ["framework.version: expected string, got a number (quote it: '1.0')"]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([1, 2], "(root): expected a mapping at the top level, got a list"),
        ({"framework": {}}, 'format: missing; expected "scorecard-catalog/1"'),
        ({"format": "other/2"}, 'format: unknown format "other/2"; expected "scorecard-catalog/1"'),
    ],
)
def test_wrong_root_or_format_is_reported_alone(document, expected):
    assert messages(document) == [expected]


def test_check_document_raises_with_every_problem_and_the_source(doc):
    doc["critical_threshold"] = 150
    doc["framework"]["slug"] = "has space"
    with pytest.raises(CatalogInvalid) as caught:
        check_document(doc, source="catalog.yaml")
    assert caught.value.lines() == [
        "catalog.yaml: framework.slug: may contain only letters, digits, hyphens and underscores",
        "catalog.yaml: critical_threshold: must be between 0 and 100",
    ]


def test_normalising_fills_defaults_and_drops_options_of_non_choice(doc):
    normal = normalise_document(copy.deepcopy(doc))
    control = normal["domains"][1]["controls"][0]
    assert control["weight"] == 1.0 and control["critical"] is False
    assert control["personas"] == [] and control["mappings"] == {}
    assert control["questions"][0] == {
        "id": "OPS-1.1",
        "code": "OPE-1.1",
        "text": "How many models run in production?",
        "help": "",
        "type": "number",
        "weight": 1.0,
        "allow_na": False,
        "evidence": "",
    }
    assert normal["personas"][1] == {
        "id": "personaOperator",
        "name": "Operator",
        "description": "",
        "questions": [],
        "responsibilities": [],
        "mappings": {},
    }
    assert (control["components"], control["evidence_autonomy"]) == ([], None)
    assert normalise_document(normal) == normal
