"""The catalog loader: rows to engine dataclasses, in a fixed number of queries."""

import pytest

from assessments.services.answers import framework_options
from scorecard import scoring
from scorecard.loader import catalog_document, catalog_hash, clear_catalog_cache, load_catalog
from scorecard.models import Control, ControlMapping, Domain, Option, Question
from tests.factories import make_framework

pytestmark = pytest.mark.django_db


def _draft(**kwargs):
    return make_framework(slug="draft-fw", published=False, **kwargs)


def test_loader_builds_the_engine_catalog_from_the_rows():
    framework = _draft(domains=2, controls_per_domain=2, questions_per_control=3)
    d1 = Domain.objects.get(framework=framework, ref="D1")
    sub = Domain.objects.create(
        framework=framework, parent=d1, ref="D1.1", name="Sub-domain", weight=3.0, position=0
    )
    Control.objects.create(
        framework=framework, domain=sub, ref="D1.1-C1", name="Nested control", position=0
    )
    first = Control.objects.get(framework=framework, ref="D1-C1")
    ControlMapping.objects.bulk_create(
        [
            ControlMapping(framework=framework, control=first, scheme="nist-ai-rmf",
                           reference="GOVERN-1.1@1.0", position=0),
            ControlMapping(framework=framework, control=first, scheme="iso-42001",
                           reference="A.5.2", position=1),
            ControlMapping(framework=framework, control=first, scheme="nist-ai-rmf",
                           reference="MAP-2.3", position=2),
        ]
    )  # fmt: skip

    catalog = load_catalog(framework)

    assert [d.id for d in catalog.domains] == ["D1", "D2"]
    d1_loaded = catalog.domains[0]
    assert [d.id for d in d1_loaded.domains] == ["D1.1"]
    assert d1_loaded.domains[0].weight == 3.0
    assert [c.id for c in d1_loaded.domains[0].controls] == ["D1.1-C1"]
    c1, c2 = d1_loaded.controls
    assert (c1.id, c1.critical, c1.personas, c1.risks) == ("D1-C1", True, (), ("risk1",))
    assert (c2.id, c2.critical, c2.personas, c2.risks) == (
        "D1-C2", False, ("personaBuilder",), ("risk2",)
    )  # fmt: skip
    assert c1.mappings == (
        ("iso-42001", ("A.5.2",)),
        ("nist-ai-rmf", ("GOVERN-1.1@1.0", "MAP-2.3")),
    )
    assert c1.guidance == "Steps to improve control D1-1."
    assert [(q.id, q.type, q.weight, q.allow_na) for q in c1.questions] == [
        ("D1-C1.q1", "scale", 1.0, False),
        ("D1-C1.q2", "choice", 1.0, True),
        ("D1-C1.q3", "yes_no", 1.0, False),
    ]
    assert [(t.name, t.min_score) for t in catalog.tiers] == [
        ("Initial", 0), ("Developing", 30), ("Defined", 55), ("Managed", 75), ("Optimised", 90)
    ]  # fmt: skip
    assert catalog.gate_tier == "Developing"
    assert catalog.critical_threshold == 50.0
    assert [r.id for r in catalog.risks] == ["risk1", "risk2", "risk3", "risk4"]
    # The engine accepts what the loader builds.
    assert scoring.score(catalog, []).overall == 0.0


def test_loader_orders_rows_by_position_not_by_creation():
    framework = _draft(domains=3, controls_per_domain=1)
    for position, ref in enumerate(["D3", "D1", "D2"]):
        Domain.objects.filter(framework=framework, ref=ref).update(position=position)

    assert [d.id for d in load_catalog(framework).domains] == ["D3", "D1", "D2"]


def test_blank_gate_tier_means_no_gate():
    framework = _draft()
    type(framework).objects.filter(pk=framework.pk).update(gate_tier="")
    framework.refresh_from_db()

    assert load_catalog(framework).gate_tier is None


def test_draft_catalog_is_read_again_after_an_edit():
    framework = _draft()
    assert load_catalog(framework).domains[0].controls[0].weight == 1.0
    Control.objects.filter(framework=framework, ref="D1-C1").update(weight=4.0)

    assert load_catalog(framework).domains[0].controls[0].weight == 4.0


def test_published_catalog_is_served_from_the_cache(django_assert_num_queries):
    framework = make_framework()
    first = load_catalog(framework)
    first_hash = catalog_hash(framework)

    with django_assert_num_queries(0):
        assert load_catalog(framework) is first
        assert catalog_hash(framework) == first_hash


def test_answer_options_live_in_the_same_cache_and_are_cleared_with_it(
    django_assert_num_queries,
):
    framework = make_framework()
    with django_assert_num_queries(2):  # the scale and the choice options
        first = framework_options(framework)
    with django_assert_num_queries(0):
        assert framework_options(framework) is first
    clear_catalog_cache()
    with django_assert_num_queries(2):
        assert framework_options(framework) == first


def test_answer_options_of_a_draft_are_read_every_time(django_assert_num_queries):
    framework = _draft()
    framework_options(framework)
    with django_assert_num_queries(2):
        framework_options(framework)


def test_catalog_hash_is_a_stable_sha256_of_the_scoring_content():
    framework = _draft()
    first = catalog_hash(framework)
    assert len(first) == 64 and int(first, 16) >= 0
    assert catalog_hash(framework) == first

    # Wording does not move a score, so it does not change the fingerprint...
    Question.objects.filter(framework=framework).update(text="Reworded?")
    assert catalog_hash(framework) == first
    # ...but an option's value does, because an answer's value comes from it.
    Option.objects.filter(framework=framework, label="Some").update(value=0.4)
    assert catalog_hash(framework) != first


def test_catalog_hash_covers_weights_and_names_the_framework():
    framework = _draft()
    document = catalog_document(framework, load_catalog(framework))
    assert document["framework"] == {"slug": "draft-fw", "version": "1.0"}
    assert document["options"]["yes_no"] == [["Yes", 1.0], ["No", 0.0]]
    assert [label for label, _ in document["options"]["scale"]][0] == "Not started"

    before = catalog_hash(framework)
    Control.objects.filter(framework=framework, ref="D2-C2").update(weight=2.5)
    assert catalog_hash(framework) != before


@pytest.mark.parametrize(("domains", "controls_per_domain"), [(2, 10), (8, 50)])
def test_loader_query_count_does_not_grow_with_the_catalog(
    domains, controls_per_domain, django_assert_max_num_queries
):
    framework = make_framework(domains=domains, controls_per_domain=controls_per_domain)
    assert Control.objects.filter(framework=framework).count() == domains * controls_per_domain

    # One query per kind: domains, controls, questions, personas, risks links, mappings,
    # tiers, risks.
    with django_assert_max_num_queries(8):
        catalog = load_catalog(framework)
    assert sum(len(d.controls) for d in catalog.domains) == domains * controls_per_domain

    # The fingerprint adds the scale and the choice options.
    with django_assert_max_num_queries(2):
        catalog_hash(framework)
