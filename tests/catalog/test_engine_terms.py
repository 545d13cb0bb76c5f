"""The engine's catalog carries each control's Risk Map terms and autonomy evidence rule,
read with the control query, while methodology 1.0 scores and fingerprints exactly as
before: no rule reads them yet."""

import copy

import pytest

from scorecard import scoring
from scorecard.catalog.document import normalise_document
from scorecard.catalog.engine_check import _catalog
from scorecard.catalog.native import read_data_file
from scorecard.catalog.store import save_document
from scorecard.loader import catalog_document, load_catalog, load_vocabulary
from scorecard.models import FrameworkStatus
from tests.catalog.helpers import DATA, generated_document

pytestmark = pytest.mark.django_db

FIELDS = DATA / "riskmap-fields.yaml"


def controls(catalog):
    return {c.id: c for _, c in scoring.walk_controls(catalog)}


def test_controls_carry_their_terms_and_rule_as_stored():
    catalog = load_catalog(save_document(read_data_file(FIELDS)))
    by_id = controls(catalog)
    listed, literals, silent = by_id["cListed"], by_id["cLiterals"], by_id["cSilent"]
    assert (listed.components, listed.lifecycle_stages, listed.actor_access) == (
        ("compA", "compB"),
        ("run",),
        ("robot", "outsider"),
    )
    assert (listed.impact_types, listed.evidence_autonomy) == (("harm",), 3)
    assert (literals.components, literals.lifecycle_stages) == (scoring.ALL_TERMS, scoring.NO_TERMS)
    assert (literals.evidence_autonomy, silent.evidence_autonomy) == (0, None)
    assert (silent.components, silent.impact_types) == ((), ())


def test_the_document_check_builds_the_same_engine_catalog_as_the_loader():
    doc = read_data_file(FIELDS)
    stored = load_catalog(save_document(copy.deepcopy(doc)))
    checked = _catalog(normalise_document(doc), {})
    assert controls(checked) == controls(stored)


@pytest.mark.parametrize("size", [10, 200])
def test_loading_costs_the_same_eight_queries_with_terms(size, django_assert_num_queries):
    doc = generated_document(size, slug=f"terms-{size}")
    doc["vocabulary"] = {"components": [{"id": "part", "name": "Part"}]}
    for domain in doc["domains"]:
        for control in domain["controls"]:
            control["components"] = ["part"]
            control["evidence_autonomy"] = "L2+"
    framework = save_document(doc)
    with django_assert_num_queries(8):
        catalog = load_catalog(framework)
    assert {c.components for _, c in scoring.walk_controls(catalog)} == {("part",)}


def _without_risk_map_fields(doc: dict) -> dict:
    bare = copy.deepcopy(doc)
    bare.pop("vocabulary", None)
    bare.pop("mapping_schemes", None)
    for domain in bare["domains"]:
        for control in domain["controls"]:
            for key in ("components", "lifecycle_stages", "actor_access", "impact_types"):
                control.pop(key, None)
            control.pop("evidence_autonomy", None)
    for risk in bare["risks"]:
        for key in ("lifecycle_stages", "actor_access", "impact_types"):
            risk.pop(key, None)
    return bare


def test_terms_change_neither_the_1_0_fingerprint_nor_a_methodology_1_0_score():
    doc = read_data_file(FIELDS)
    bare = _without_risk_map_fields(doc)
    bare["framework"]["slug"] = "bare"
    with_terms = save_document(doc, status=FrameworkStatus.PUBLISHED)
    without = save_document(bare, status=FrameworkStatus.PUBLISHED)
    first, second = load_catalog(with_terms), load_catalog(without)
    assert (
        catalog_document(with_terms, first, "1.0")["catalog"]
        == (catalog_document(without, second, "1.0")["catalog"])
    )
    answers = [scoring.Answer("cListed.1", 1.0), scoring.Answer("cLiterals.1", 0.0)]
    old = scoring.Scope(methodology="1.0")
    assert scoring.score(first, answers, old) == scoring.score(second, answers, old)


def test_the_1_1_fingerprint_holds_the_scoping_terms_but_not_impact_or_autonomy():
    doc = read_data_file(FIELDS)
    framework = save_document(doc, status=FrameworkStatus.PUBLISHED)
    document = catalog_document(framework, load_catalog(framework), "1.1")
    assert document["methodology_version"] == "1.1"
    controls = {c["id"]: c for d in document["catalog"]["domains"] for c in d["controls"]}
    for control in controls.values():
        assert "impact_types" not in control and "evidence_autonomy" not in control
    listed, literals = controls["cListed"], controls["cLiterals"]
    assert (listed["components"], listed["lifecycle_stages"], listed["actor_access"]) == (
        ["compA", "compB"],
        ["run"],
        ["robot", "outsider"],
    )
    assert (literals["components"], literals["lifecycle_stages"]) == ("all", "none")


def test_the_vocabulary_loads_in_catalog_order_once_per_published_version(
    django_assert_num_queries,
):
    framework = save_document(read_data_file(FIELDS), status=FrameworkStatus.PUBLISHED)
    with django_assert_num_queries(1):
        terms = load_vocabulary(framework)
    with django_assert_num_queries(0):
        assert load_vocabulary(framework) is terms
    components = [t for t in terms if t.kind == "component"]
    assert components == [
        scoring.CatalogTerm("compA", "component", "Part A", "catSubSub"),
        scoring.CatalogTerm("compB", "component", "Part B", "catTop"),
        scoring.CatalogTerm("compLoose", "component", "Loose part", None),
    ]
    assert [t.id for t in terms if t.kind == "lifecycle_stage"] == ["build", "run"]
