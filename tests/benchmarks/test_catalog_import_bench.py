"""Importing a generated OSCAL catalog of 1,000 controls: well under 10 s, constant queries."""

import itertools
import json

import pytest

from scorecard.catalog.files import import_path
from scorecard.models import Control, Question
from tests.catalog.helpers import generated_oscal

CONTROLS = 1000
BUDGET_SECONDS = 10.0


@pytest.mark.django_db
def test_importing_a_thousand_control_oscal_catalog(
    benchmark, tmp_path, django_assert_max_num_queries
):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(generated_oscal(CONTROLS)))
    versions = (f"bench-{n}" for n in itertools.count())

    def run():
        return import_path(path, fmt="oscal", version=next(versions))

    framework = benchmark.pedantic(run, rounds=3, iterations=1)
    assert Control.objects.filter(framework=framework).count() == CONTROLS
    assert Question.objects.filter(framework=framework).count() == CONTROLS
    assert benchmark.stats.stats.max < BUDGET_SECONDS
    # The same 16 queries as for a catalog of ten controls (see tests/catalog/test_oscal.py).
    with django_assert_max_num_queries(16):
        run()
