"""An import costs the same number of queries at any catalog size (no query per row)."""

import pytest

from scorecard.catalog.files import import_path
from tests.benchmarks.catalog_generator import (
    native_catalog,
    oscal_catalog,
    write_json,
    write_native_yaml,
)

pytestmark = pytest.mark.django_db

# Counted by hand from scorecard/catalog/store.py. Every kind of row is written in one
# statement, after the write guard's one look at the framework's status; domains and terms
# go level by level (their parents' keys first). The generated native catalog has:
NATIVE_WRITES = (
    "scale option",
    "tier",
    "mapping scheme",
    "component category",  # terms, level 1
    "component",  # terms, level 2
    "persona",
    "persona question",
    "risk",
    "top domain",
    "sub-domain",
    "control",
    "control persona",
    "control risk",
    "control mapping",
    "question",
    "option",
)
# An OSCAL import: the default scale and tiers, domains (one level: the groups), controls
# with their `oscal-prop:` mappings, one scale question each, and the catalog's own OSCAL
# data (its uuid and metadata); no options, terms, links or withdrawn controls.
OSCAL_WRITES = (
    "scale option",
    "tier",
    "domain",
    "control",
    "control mapping",
    "question",
    "catalog OSCAL data",
)
# Around the rows: the check that the version is new, the framework row, and the savepoint
# the import's transaction is inside a test (opened and released).
AROUND = 4


@pytest.mark.parametrize("controls", [20, 200])
def test_a_native_yaml_import_costs_the_same_queries_at_any_size(
    controls, tmp_path, django_assert_num_queries
):
    doc = native_catalog(controls=controls, domains=4, sub_domains=2, prose_words=3)
    path = write_native_yaml(tmp_path / "catalog.yaml", doc)
    with django_assert_num_queries(AROUND + 2 * len(NATIVE_WRITES)):
        import_path(path)


@pytest.mark.parametrize("controls", [20, 200])
def test_an_oscal_import_costs_the_same_queries_at_any_size(
    controls, tmp_path, django_assert_num_queries
):
    path = write_json(tmp_path / "catalog.json", oscal_catalog(controls=controls, groups=4))
    with django_assert_num_queries(AROUND + 2 * len(OSCAL_WRITES)):
        import_path(path, fmt="oscal")
