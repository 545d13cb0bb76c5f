"""Numbers and ids no page could show are refused at import, with their path; nothing written.

Weights are in (0, 1000000], option values in [0, 1], tier minimums and the critical
threshold in [0, 100], and ids use only ASCII letters, digits, dots, hyphens and underscores.
"""

import json

import pytest

from scorecard.catalog.document import normalise_document
from scorecard.catalog.engine_check import engine_problems
from scorecard.catalog.limits import ID_PATTERN
from scorecard.catalog.schema_check import SCHEMA_PATH
from scorecard.models import (
    Control,
    Domain,
    Option,
    Persona,
    Question,
    Risk,
    ScaleOption,
    Tier,
)
from tests.catalog.limits_helpers import (
    BAD_IDS,
    BAD_WEIGHTS,
    CHOICE,
    CONTROL,
    DOMAIN,
    ID_RULE,
    INF,
    NAN,
    QUESTION,
    WEIGHT_RANGE,
    at,
    doc,
    import_file,
    import_yaml,
    refused,
)

pytestmark = pytest.mark.django_db


# --- native imports --------------------------------------------------------------------


@pytest.mark.parametrize("where", [DOMAIN, CONTROL, QUESTION])
@pytest.mark.parametrize(("weight", "message"), BAD_WEIGHTS)
def test_a_weight_outside_the_limits_is_refused_at_import(where, weight, message):
    document = doc()
    at(document, where)["weight"] = weight
    assert refused(import_yaml, document) == [f"{where}.weight: {message}"]


@pytest.mark.parametrize("weight", [1e6, 0.001, 1])
def test_a_weight_inside_the_limits_imports(weight):
    document = doc()
    at(document, QUESTION)["weight"] = weight
    framework = import_yaml(document)
    assert Question.objects.get(framework=framework, ref="q1").weight == weight


def test_a_json_file_with_an_absurd_weight_is_refused_too():
    document = doc()
    at(document, CONTROL)["weight"] = 1e308
    text = json.dumps(document).replace("1e+308", "1e308")
    assert '"weight": 1e308' in text
    lines = refused(import_file, text.encode(), "limits.json")
    assert lines == [f"{CONTROL}.weight: {WEIGHT_RANGE}"]


def test_an_integer_too_large_for_a_float_is_refused_not_a_crash():
    text = json.dumps(doc()).replace(
        '"name": "Control"', '"name": "Control", "weight": ' + "9" * 400
    )
    lines = refused(import_file, text.encode(), "limits.json")
    assert lines == [f"{CONTROL}.weight: must be a finite number, not inf"]


@pytest.mark.parametrize("value", [-0.1, 1.1, NAN, INF, 1e308])
def test_a_choice_option_value_outside_0_to_1_is_refused(value):
    document = doc()
    at(document, CHOICE)["options"][1]["value"] = value
    [line] = refused(import_yaml, document)
    assert line.startswith(f"{CHOICE}.options[1].value: must be ")


@pytest.mark.parametrize("value", [-0.1, 1.1])
def test_a_scale_option_value_outside_0_to_1_is_refused(value):
    document = doc()
    document["scale"][1]["value"] = value
    assert refused(import_yaml, document) == ["scale[1].value: must be between 0 and 1"]


def test_option_values_of_exactly_0_and_1_import():
    framework = import_yaml(doc())
    values = Option.objects.filter(framework=framework).order_by("position")
    assert list(values.values_list("value", flat=True)) == [0.0, 1.0]
    scale = ScaleOption.objects.filter(framework=framework).order_by("position")
    assert list(scale.values_list("value", flat=True)) == [0.0, 0.5, 1.0]


@pytest.mark.parametrize("where", [DOMAIN, CONTROL, QUESTION])
@pytest.mark.parametrize(("ident", "message"), BAD_IDS)
def test_an_id_outside_the_portable_characters_is_refused(where, ident, message):
    document = doc()
    at(document, where)["id"] = ident
    assert refused(import_yaml, document) == [f"{where}.id: {message}"]


@pytest.mark.parametrize("kind", ["personas", "risks"])
@pytest.mark.parametrize(("ident", "message"), BAD_IDS)
def test_a_persona_or_risk_id_and_the_references_to_it_are_refused(kind, ident, message):
    document = doc()
    document[kind][0]["id"] = ident
    at(document, CONTROL)[kind] = [ident]
    assert refused(import_yaml, document) == [
        f"{CONTROL}.{kind}[0]: {message}",
        f"{kind}[0].id: {message}",
    ]


def test_ids_of_letters_digits_dots_hyphens_and_underscores_import():
    document = doc()
    for where in (DOMAIN, CONTROL, QUESTION):
        at(document, where)["id"] = "a.b-c_1"
    document["personas"][0]["id"] = document["risks"][0]["id"] = "a.b-c_1"
    at(document, CONTROL).update(personas=["a.b-c_1"], risks=["a.b-c_1"])
    framework = import_yaml(document)
    for model in (Domain, Control, Persona, Risk):
        assert model.objects.get(framework=framework).ref == "a.b-c_1"
    questions = Question.objects.filter(framework=framework).order_by("position")
    assert list(questions.values_list("ref", flat=True)) == ["a.b-c_1", "q2"]


@pytest.mark.parametrize(
    ("score", "message"),
    [
        (NAN, "must be a finite number, not nan"),
        (INF, "must be a finite number, not inf"),
        (101, "must be between 0 and 100"),
        (-1, "must be between 0 and 100"),
    ],
)
def test_a_tier_minimum_or_threshold_outside_0_to_100_is_refused(score, message):
    document = doc()
    document["tiers"][1]["min_score"] = score
    document["critical_threshold"] = score
    assert refused(import_yaml, document) == [
        f"critical_threshold: {message}",
        f"tiers[1].min_score: {message}",
    ]


def test_a_tier_minimum_and_threshold_of_100_import():
    document = doc()
    document["tiers"][1]["min_score"] = 100
    document["critical_threshold"] = 100
    framework = import_yaml(document)
    assert framework.critical_threshold == 100.0
    assert Tier.objects.get(framework=framework, name="High").min_score == 100.0


def test_every_problem_of_a_file_is_reported_together():
    document = doc()
    at(document, DOMAIN)["weight"] = NAN
    at(document, QUESTION)["id"] = "q 1"
    at(document, CHOICE)["options"][0]["value"] = -0.1
    document["tiers"][1]["min_score"] = INF
    assert refused(import_yaml, document) == [
        f"{QUESTION}.id: {ID_RULE}",
        f"{CHOICE}.options[0].value: must be between 0 and 1",
        f"{DOMAIN}.weight: must be a finite number, not nan",
        "tiers[1].min_score: must be a finite number, not inf",
    ]


def test_the_schema_states_the_same_id_rule():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$defs"]["id"]["pattern"] == ID_PATTERN == "^[A-Za-z0-9._-]+$"


def test_an_id_with_a_trailing_newline_is_refused_despite_the_pattern_anchor():
    # Python's `$` matches before a final newline; the check must not.
    document = doc()
    at(document, CONTROL)["id"] = "c1\n"
    assert refused(import_yaml, document) == [f"{CONTROL}.id: {ID_RULE}"]


# --- the engine's own checks ------------------------------------------------------------


def test_what_the_engine_refuses_is_reported_at_the_item_it_names():
    document = normalise_document(doc())
    at(document, CHOICE)["id"] = "q1"
    [problem] = engine_problems(document)
    assert problem.path == CHOICE
    assert problem.message.startswith("the scoring engine: ") and "'q1'" in problem.message


def test_a_catalog_the_engine_scores_has_no_engine_problem():
    assert engine_problems(normalise_document(doc())) == []


def test_a_text_with_a_nul_character_is_refused_before_anything_is_stored():
    # JSON can carry \u0000; PostgreSQL cannot store it, so the import would fail halfway.
    document = doc()
    at(document, DOMAIN)["name"] = "Gov\x00ernance"
    text = json.dumps(document)
    assert "\\u0000" in text
    assert refused(import_file, text.encode(), "limits.json") == [
        f"{DOMAIN}.name: must not contain a NUL character"
    ]


def test_an_option_value_of_negative_zero_is_refused():
    # -0.0 equals 0 but shows as "-0" wherever the value is printed.
    document = doc()
    at(document, CHOICE)["options"][0]["value"] = -0.0
    document["scale"][0]["value"] = -0.0
    assert refused(import_yaml, document) == [
        f"{CHOICE}.options[0].value: must not be negative zero (write 0)",
        "scale[0].value: must not be negative zero (write 0)",
    ]
