"""What no page could show is refused at import and at publish, with its path; nothing written.

Weights are in (0, 1000000], option values in [0, 1], tier minimums and the critical
threshold in [0, 100], and ids use only ASCII letters, digits, dots, hyphens and underscores.
"""

import copy
import json
import shutil

import pytest
from django.db import IntegrityError, transaction

from scorecard.catalog import files, native
from scorecard.catalog.document import normalise_document
from scorecard.catalog.engine_check import engine_problems
from scorecard.catalog.limits import ID_PATTERN
from scorecard.catalog.problems import CatalogInvalid
from scorecard.catalog.schema_check import SCHEMA_PATH
from scorecard.catalog.store import save_document
from scorecard.models import (
    Control,
    Domain,
    Framework,
    FrameworkStatus,
    Option,
    Persona,
    Question,
    Risk,
    ScaleOption,
    Tier,
)
from scorecard.services import publish_framework
from tests.catalog.helpers import DATA, catalog_row_counts, generated_oscal

pytestmark = pytest.mark.django_db

NAN, INF = float("nan"), float("inf")
ID_RULE = "may contain only ASCII letters, digits, dots, hyphens and underscores"
WEIGHT_RANGE = "must be greater than 0 and at most 1000000"
BAD_WEIGHTS = [
    (NAN, "must be a finite number, not nan"),
    (INF, "must be a finite number, not inf"),
    (-INF, "must be a finite number, not -inf"),
    (1e308, WEIGHT_RANGE),
    (0, WEIGHT_RANGE),
    (-1, WEIGHT_RANGE),
    (1e6 + 1, WEIGHT_RANGE),
]
BAD_IDS = [("a/b", ID_RULE), ("a b", ID_RULE), ("é", ID_RULE), ("", "must not be empty")]
DOMAIN, CONTROL = "domains[0]", "domains[0].controls[0]"
QUESTION = "domains[0].controls[0].questions[0]"
CHOICE = "domains[0].controls[0].questions[1]"

BASE = {
    "format": "scorecard-catalog/1",
    "framework": {"slug": "limits", "name": "Limits", "version": "1"},
    "scale": [
        {"label": "No", "value": 0},
        {"label": "Half", "value": 0.5},
        {"label": "Yes", "value": 1},
    ],
    "tiers": [{"name": "Low", "min_score": 0}, {"name": "High", "min_score": 60}],
    "critical_threshold": 50,
    "personas": [{"id": "p1", "name": "Persona one"}],
    "risks": [{"id": "r1", "name": "Risk one"}],
    "domains": [
        {
            "id": "d1",
            "name": "Domain",
            "controls": [
                {
                    "id": "c1",
                    "name": "Control",
                    "personas": ["p1"],
                    "risks": ["r1"],
                    "questions": [
                        {"id": "q1", "text": "How far?", "type": "scale"},
                        {
                            "id": "q2",
                            "text": "Which?",
                            "type": "choice",
                            "options": [
                                {"label": "Low", "value": 0},
                                {"label": "High", "value": 1},
                            ],
                        },
                    ],
                }
            ],
        }
    ],
}


def doc() -> dict:
    return copy.deepcopy(BASE)


def at(document: dict, path: str) -> dict:
    """The item at `domains[0].controls[0]`-style path of `document`."""
    node = document
    for part in path.replace("]", "").split("."):
        key, _, index = part.partition("[")
        node = node[key][int(index)] if index else node[key]
    return node


def import_yaml(document: dict) -> Framework:
    # A file as an author writes it: YAML spells NaN and infinity .nan and .inf.
    return files.import_bytes(native.dump_yaml(document).encode(), filename="limits.yaml")


def import_file(data: bytes, name: str) -> Framework:
    return files.import_bytes(data, filename=name)


def refused(load, *args, **kwargs) -> list[str]:
    """The problems `load(...)` raises, sorted, after checking that it wrote nothing."""
    before = catalog_row_counts()
    with pytest.raises(CatalogInvalid) as caught:
        load(*args, **kwargs)
    assert catalog_row_counts() == before
    return sorted(f"{problem.path}: {problem.message}" for problem in caught.value.problems)


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


# --- OSCAL and CoSAI Risk Map imports ----------------------------------------------------


def oscal_with(*, weight: str | None = None, control_id: str | None = None, group_id=None):
    catalog = generated_oscal(2)
    group = catalog["catalog"]["groups"][0]
    control = group["controls"][0]
    if weight is not None:
        control["props"].append({"name": "weight", "ns": "urn:scorecard:oscal", "value": weight})
    if control_id is not None:
        control["id"] = control_id
    if group_id is not None:
        group["id"] = group_id
    return json.dumps(catalog).encode()


OSCAL_CONTROL = "catalog.groups[0].controls[0]"


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("nan", "weight must be a finite number, not nan"),
        ("inf", "weight must be a finite number, not inf"),
        ("-inf", "weight must be a finite number, not -inf"),
        ("1e308", f"weight {WEIGHT_RANGE}"),
        ("0", f"weight {WEIGHT_RANGE}"),
        ("-1", f"weight {WEIGHT_RANGE}"),
        ("1000001", f"weight {WEIGHT_RANGE}"),
        ("heavy", "weight expected a number, got 'heavy'"),
    ],
)
def test_an_oscal_weight_prop_outside_the_limits_is_refused_at_its_oscal_path(weight, message):
    lines = refused(import_file, oscal_with(weight=weight), "catalog.json")
    assert lines == [f"{OSCAL_CONTROL}.props[1].value: {message}"]


def test_an_oscal_weight_of_1000000_imports():
    framework = files.import_bytes(oscal_with(weight="1000000"), filename="catalog.json")
    assert Control.objects.get(framework=framework, ref="c-0").weight == 1e6


@pytest.mark.parametrize("ident", ["a/b", "a b", "é"])
def test_an_oscal_control_or_group_id_outside_the_portable_characters_is_refused(ident):
    lines = refused(import_file, oscal_with(control_id=ident), "catalog.json")
    assert lines == [f"{OSCAL_CONTROL}.id: {ID_RULE}"]
    lines = refused(import_file, oscal_with(group_id=ident), "catalog.json")
    assert lines == [f"catalog.groups[0].id: {ID_RULE}"]


def test_an_empty_oscal_control_id_is_refused():
    lines = refused(import_file, oscal_with(control_id=""), "catalog.json")
    assert lines == [f"{OSCAL_CONTROL}.id: required text is missing"]


def test_an_oscal_id_of_the_portable_characters_imports():
    framework = files.import_bytes(oscal_with(control_id="a.b-c_1"), filename="catalog.json")
    assert Control.objects.filter(framework=framework, ref="a.b-c_1").exists()


@pytest.mark.parametrize("ident", ["GOV/1", "GOV 1", "GOVé"])
def test_a_cosai_control_id_outside_the_portable_characters_is_refused(tmp_path, ident):
    folder = tmp_path / "yaml"
    shutil.copytree(DATA / "cosai-mini" / "yaml", folder)
    controls = folder / "controls.yaml"
    controls.write_text(controls.read_text().replace("id: GOV-1", f"id: '{ident}'"))
    before = catalog_row_counts()
    with pytest.raises(CatalogInvalid) as caught:
        files.import_path(folder)
    assert catalog_row_counts() == before
    assert [str(problem) for problem in caught.value.problems] == [
        f"{controls}: controls[0].id: {ID_RULE}"
    ]


# --- publishing a draft edited through the ORM --------------------------------------------


@pytest.fixture
def draft() -> Framework:
    return save_document(doc())


def stored(update) -> bool:
    """Run an ORM update; False when the database itself refuses the value (SQLite has no
    NaN, and the catalog tables' check constraints hold weights and values to the limits)."""
    try:
        with transaction.atomic():
            update()
    except IntegrityError:
        return False
    return True


def refused_at_publish(framework: Framework) -> list[str]:
    before = catalog_row_counts()
    lines = refused(publish_framework, framework=framework)
    framework.refresh_from_db()
    assert (framework.status, framework.published_at) == (FrameworkStatus.DRAFT, None)
    assert catalog_row_counts() == before
    return lines


@pytest.mark.parametrize(("weight", "message"), BAD_WEIGHTS)
def test_publishing_refuses_a_weight_set_through_the_orm(draft, weight, message):
    rows = Question.objects.filter(framework=draft, ref="q1")
    if stored(lambda: rows.update(weight=weight)):
        assert refused_at_publish(draft) == [f"{QUESTION}.weight: {message}"]
    else:
        assert rows.get().weight == 1.0
        assert publish_framework(framework=draft).status == FrameworkStatus.PUBLISHED


@pytest.mark.parametrize("value", [-0.1, 1.1])
def test_publishing_refuses_an_option_value_set_through_the_orm(draft, value):
    rows = Option.objects.filter(framework=draft, label="High")
    if stored(lambda: rows.update(value=value)):
        assert refused_at_publish(draft) == [f"{CHOICE}.options[1].value: must be between 0 and 1"]
    else:
        assert rows.get().value == 1.0


@pytest.mark.parametrize(
    ("model", "path"),
    [(Domain, DOMAIN), (Control, CONTROL), (Question, QUESTION)],
)
@pytest.mark.parametrize(("ident", "message"), BAD_IDS)
def test_publishing_refuses_an_id_set_through_the_orm(draft, model, path, ident, message):
    row = model.objects.filter(framework=draft).order_by("position", "pk").first()
    model.objects.filter(pk=row.pk).update(ref=ident)
    assert refused_at_publish(draft) == [f"{path}.id: {message}"]


def test_publishing_refuses_a_persona_id_set_through_the_orm(draft):
    Persona.objects.filter(framework=draft).update(ref="p/1")
    assert refused_at_publish(draft) == [
        f"{CONTROL}.personas[0]: {ID_RULE}",
        f"personas[0].id: {ID_RULE}",
    ]


@pytest.mark.parametrize("score", [INF, 101, -1])
def test_publishing_refuses_tiers_and_threshold_set_through_the_orm(draft, score):
    Tier.objects.filter(framework=draft, name="High").update(min_score=score)
    Framework.objects.filter(pk=draft.pk).update(critical_threshold=score)
    lines = refused_at_publish(draft)
    assert [line.split(":")[0] for line in lines] == ["critical_threshold", "tiers[1].min_score"]


def test_a_draft_inside_the_limits_publishes(draft):
    Question.objects.filter(framework=draft, ref="q1").update(weight=1e6, ref="a.b-c_1")
    assert publish_framework(framework=draft).status == FrameworkStatus.PUBLISHED


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
