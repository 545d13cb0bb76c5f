"""The bundled readiness catalog carries the Risk Map's vocabulary and each control's term
ids, named and described in Scorecard's own words, and an autonomy evidence rule on every
control. The checks against the Risk Map itself need ../shared (they say so when absent)."""

import copy
import re
from pathlib import Path

import pytest
import yaml

from scorecard.catalog import autonomy
from scorecard.catalog.bundled import readiness_document
from scorecard.catalog.document import iter_domains
from scorecard.catalog.store import save_document
from scorecard.catalog.vocabulary import CONTROL_TERM_FIELDS, VOCABULARY_KEYS
from scorecard.loader import catalog_document, load_catalog
from scorecard.models import FrameworkStatus

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
COSAI = REFERENCE / "cosai-risk-map" / "yaml"
# The Risk Map's key of each term list of a control.
RISK_MAP_KEYS = {
    "components": "components",
    "lifecycle_stages": "lifecycleStage",
    "actor_access": "actorAccess",
    "impact_types": "impactType",
}


@pytest.fixture(scope="module")
def bundled():
    return readiness_document()


def controls(doc):
    return {c["id"]: c for _, d in iter_domains(doc) for c in d["controls"]}


def source(name):
    return yaml.safe_load((COSAI / name).read_text())


def test_every_control_has_an_evidence_rule_from_l2_to_l4(bundled):
    rules = {c["id"]: c["evidence_autonomy"] for c in controls(bundled).values()}
    assert len(rules) == 35 and set(rules.values()) == {"L2+", "L3+", "L4+"}
    assert rules["controlAgentExecutionBounds"] == "L2+"
    assert rules["controlAgentObservability"] == "L3+"
    assert rules["controlRiskGovernance"] == "L4+"
    assert all(autonomy.threshold_problem(rule) is None for rule in rules.values())


def test_the_vocabulary_has_every_kind_with_names_and_descriptions(bundled):
    vocabulary = bundled["vocabulary"]
    assert {key: len(vocabulary[key]) for key in VOCABULARY_KEYS.values()} == {
        "component_categories": 10,
        "components": 23,
        "lifecycle_stages": 8,
        "actor_access": 9,
        "impact_types": 10,
    }
    for terms in vocabulary.values():
        assert all(t["name"] and t["description"].endswith(".") for t in terms)


@pytest.mark.shared_reference
def test_each_control_names_the_terms_the_risk_map_gives_it(bundled):
    ours = controls(bundled)
    for original in source("controls.yaml")["controls"]:
        control = ours[original["id"]]
        for field, key in RISK_MAP_KEYS.items():
            assert control[field] == original.get(key, []), (original["id"], field)
    assert set(CONTROL_TERM_FIELDS.values()) == set(RISK_MAP_KEYS)


@pytest.mark.shared_reference
def test_vocabulary_ids_parents_and_groups_are_the_risk_maps(bundled):
    vocabulary = bundled["vocabulary"]
    components = source("components.yaml")
    parents = {}
    for category in components["categories"]:
        parents[category["id"]] = None
        parents.update((sub["id"], category["id"]) for sub in category.get("subcategory", ()))
    assert {c["id"]: c["parent"] for c in vocabulary["component_categories"]} == parents
    assert {c["id"]: c["category"] for c in vocabulary["components"]} == {
        c["id"]: c["subcategory"] for c in components["components"]
    }
    stages = sorted(source("lifecycle-stage.yaml")["lifecycleStages"], key=lambda s: s["order"])
    assert [s["id"] for s in vocabulary["lifecycle_stages"]] == [s["id"] for s in stages]
    for key, name, list_key in (
        ("actor_access", "actor-access.yaml", "actorAccessLevels"),
        ("impact_types", "impact-type.yaml", "impactTypes"),
    ):
        assert [(t["id"], t["group"]) for t in vocabulary[key]] == [
            (t["id"], t["category"]) for t in source(name)[list_key]
        ]


def _words(text) -> list[str]:
    if isinstance(text, list):
        text = " ".join(t if isinstance(t, str) else " ".join(t) for t in text)
    return re.findall(r"[a-z0-9']+", str(text).lower())


def _runs(words: list[str], length: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


@pytest.mark.shared_reference
def test_vocabulary_descriptions_are_written_in_our_own_words(bundled):
    # No run of six words in a row from any Risk Map description of the same files.
    theirs: set[tuple[str, ...]] = set()
    components = source("components.yaml")
    entries = [
        *components["categories"],
        *(sub for c in components["categories"] for sub in c.get("subcategory", ())),
        *components["components"],
        *source("lifecycle-stage.yaml")["lifecycleStages"],
        *source("actor-access.yaml")["actorAccessLevels"],
        *source("impact-type.yaml")["impactTypes"],
    ]
    for entry in entries:
        theirs |= _runs(_words(entry.get("description", "")), 6)
    for terms in bundled["vocabulary"].values():
        for term in terms:
            assert not _runs(_words(term["description"]), 6) & theirs, term["id"]


@pytest.mark.django_db
def test_the_risk_map_fields_leave_the_bundled_catalogs_1_0_fingerprint_as_it_was(bundled):
    bare = copy.deepcopy(bundled)
    bare["framework"]["slug"] = "bare-readiness"
    bare["vocabulary"] = {}
    for _, domain in iter_domains(bare):
        for control in domain["controls"]:
            for field in (*CONTROL_TERM_FIELDS.values(), "evidence_autonomy"):
                control.pop(field)
    full = save_document(copy.deepcopy(bundled), status=FrameworkStatus.PUBLISHED)
    stripped = save_document(bare, status=FrameworkStatus.PUBLISHED)
    assert (
        catalog_document(full, load_catalog(full), "1.0")["catalog"]
        == (catalog_document(stripped, load_catalog(stripped), "1.0")["catalog"])
    )
    # Methodology 1.1 scopes by the terms, so its fingerprint holds them.
    assert (
        catalog_document(full, load_catalog(full), "1.1")["catalog"]
        != (catalog_document(stripped, load_catalog(stripped), "1.1")["catalog"])
    )


def test_the_bundled_catalog_is_version_1_1_the_first_with_the_risk_map_fields(bundled):
    # 1.0 was loaded without them; a new version is what lets load_bundled_catalogs add them.
    assert bundled["framework"]["version"] == "1.1"
