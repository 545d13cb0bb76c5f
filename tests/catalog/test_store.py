"""Documents to rows and back: round trip, constant query counts, refusals."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scorecard.catalog.document import normalise_document
from scorecard.catalog.native import read_data_file
from scorecard.catalog.problems import CatalogInvalid
from scorecard.catalog.store import save_document
from scorecard.catalog.stored_document import framework_to_document
from scorecard.models import Control, ControlMapping, Domain, Framework, FrameworkStatus, Question
from tests.catalog.helpers import SMALL, generated_document

REPO = Path(__file__).resolve().parents[2]
CATALOG_FILES = sorted((REPO / "fixtures" / "catalogs").glob("*.yaml")) + [SMALL]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda path: path.name)
def test_every_catalog_file_survives_a_round_trip_through_the_database(path):
    doc = read_data_file(path)
    framework = save_document(doc)
    assert framework_to_document(framework) == normalise_document(doc)


def test_round_trip_keeps_order_nesting_and_mappings():
    framework = save_document(read_data_file(SMALL))
    doc = framework_to_document(framework)
    governance = doc["domains"][0]
    assert [d["id"] for d in doc["domains"]] == ["GOV", "OPS"]
    assert governance["domains"][0]["id"] == "GOV.POL"
    assert governance["domains"][0]["controls"][0]["mappings"] == {
        "nist-ai-rmf": ["GOVERN-1.1@1.0", "GOVERN-1.2@1.0"],
        "iso-42001": ["5.2"],
    }
    assert doc["domains"][1]["controls"][0]["risks"] == ["riskDrift", "riskLeak"]
    assert Domain.objects.get(framework=framework, ref="GOV.POL").parent.ref == "GOV"
    assert framework.gate_tier == "Growing" and framework.critical_threshold == 60


def count_queries(callable_):
    with CaptureQueriesContext(connection) as context:
        result = callable_()
    return len(context.captured_queries), result


@pytest.mark.parametrize("size", [10, 200])
def test_saving_costs_the_same_number_of_queries_at_any_size(size, django_assert_max_num_queries):
    doc = generated_document(size, slug=f"gen-{size}")
    # 2 for the framework, 2 per kind (lock check + one insert), one savepoint pair.
    with django_assert_max_num_queries(28):
        framework = save_document(doc)
    assert Control.objects.filter(framework=framework).count() == size
    assert Question.objects.filter(framework=framework).count() == size * 3


def test_saving_and_reading_query_counts_do_not_grow_with_size():
    small_save, small = count_queries(lambda: save_document(generated_document(10, slug="s")))
    large_save, large = count_queries(lambda: save_document(generated_document(400, slug="l")))
    small_read, _ = count_queries(lambda: framework_to_document(small))
    large_read, _ = count_queries(lambda: framework_to_document(large))
    assert small_save == large_save
    # One query per kind of row: 14 kinds, plus withdrawn controls and the OSCAL data.
    assert small_read == large_read == 16


@pytest.mark.parametrize("size", [10, 200])
def test_reading_costs_sixteen_queries_at_any_size(size, django_assert_num_queries):
    framework = save_document(generated_document(size, slug=f"read-{size}"))
    # One per kind of row, the vocabulary, the mapping schemes, withdrawn controls and the
    # catalog's OSCAL data included.
    with django_assert_num_queries(16):
        doc = framework_to_document(framework)
    assert sum(len(d["controls"]) for d in doc["domains"]) == size


def test_an_existing_slug_and_version_is_refused_and_nothing_is_written():
    save_document(read_data_file(SMALL))
    counts = (Framework.objects.count(), Control.objects.count(), ControlMapping.objects.count())
    with pytest.raises(CatalogInvalid) as caught:
        save_document(read_data_file(SMALL))
    assert caught.value.lines() == [
        "framework.version: small-test-catalog version 0.1 already exists; "
        "choose another version to import it as a new one"
    ]
    after = (Framework.objects.count(), Control.objects.count(), ControlMapping.objects.count())
    assert after == counts


def test_an_invalid_document_writes_nothing():
    doc = read_data_file(SMALL)
    doc["domains"][1]["controls"][0]["risks"] = ["riskUnknown"]
    with pytest.raises(CatalogInvalid) as caught:
        save_document(doc)
    assert [str(p) for p in caught.value.problems] == [
        'domains[1].controls[0].risks[0]: unknown risk "riskUnknown"'
    ]
    assert Framework.objects.count() == 0 and Control.objects.count() == 0


def test_saving_as_published_applies_the_publish_rules():
    doc = read_data_file(SMALL)
    framework = save_document(doc, status=FrameworkStatus.PUBLISHED)
    assert framework.status == FrameworkStatus.PUBLISHED and framework.published_at is not None
    doc["framework"]["version"] = "0.2"
    doc["domains"][1]["controls"][0]["questions"].pop()
    with pytest.raises(CatalogInvalid):
        save_document(doc, status=FrameworkStatus.PUBLISHED)
    assert not Framework.objects.filter(version="0.2").exists()
