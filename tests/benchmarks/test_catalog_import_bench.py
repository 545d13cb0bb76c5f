"""Importing generated catalogs of 1,000 controls, next to bare parsing of the same bytes.

Run with `make bench`. Each case writes one file with tests/benchmarks/catalog_generator.py
(an OSCAL catalog of 1,000 controls with groups, enhancements, params, props, links and
prose; a native one of 1,000 controls with 3 questions each, as YAML and as JSON), then
times `files.import_path` on it in the same run as the bare parse of the same bytes
(`json.loads`, or PyYAML's libyaml `CSafeLoader`), so the machine's load moves both. The
import's peak memory is measured on one more run under tracemalloc.

Where the time goes (see README, "Catalog imports"): the YAML parse, the JSON Schema check,
and the rows written. Before this work a 4 MB YAML catalog took 48 s.
"""

from __future__ import annotations

import gc
import itertools
import json
import statistics
import time
import tracemalloc

import pytest
import yaml

from scorecard.catalog.files import import_path
from scorecard.models import Control, Question, WithdrawnControl
from tests.benchmarks.catalog_generator import (
    counts,
    native_catalog,
    oscal_catalog,
    oscal_control_count,
    write_json,
    write_native_yaml,
)
from tests.catalog.oscal_generated import generated_catalog

pytest.importorskip("pytest_benchmark")

CONTROLS = 1000
ROUNDS = 3
BUDGET_SECONDS = 5.0
MEMORY_BUDGET_MB = 300


def _bare_yaml(data: bytes):
    return yaml.load(data, Loader=yaml.CSafeLoader)  # noqa: S506 - the safe C loader


# case -> (file name, writer, document builder, import format, bare parser)
CASES = {
    "oscal-json": ("catalog.json", write_json, oscal_catalog, "oscal", json.loads),
    "native-yaml": ("catalog.yaml", write_native_yaml, native_catalog, "native", _bare_yaml),
    "native-json": ("catalog.json", write_json, native_catalog, "native", json.loads),
}


def _median(function, data: bytes) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak_mb(function) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(CASES))
def test_importing_a_thousand_control_catalog(benchmark, tmp_path, case):
    name, write, build, fmt, bare = CASES[case]
    doc = build(controls=CONTROLS)
    path = write(tmp_path / name, doc)
    data = path.read_bytes()
    versions = (f"bench-{n}" for n in itertools.count())

    def run():
        return import_path(path, fmt=fmt, version=next(versions))

    bare_seconds = _median(bare, data)
    framework = benchmark.pedantic(run, rounds=ROUNDS, iterations=1)
    peak = _peak_mb(run)
    median = benchmark.stats.stats.median
    # What the file holds, counted in the document here rather than by the importer:
    # OSCAL controls and enhancements each become a control with one question.
    if fmt == "native":
        expected = counts(doc)
    else:
        expected = dict.fromkeys(("controls", "questions"), oscal_control_count(doc))
    assert expected["controls"] == CONTROLS
    assert Control.objects.filter(framework=framework).count() == expected["controls"]
    assert Question.objects.filter(framework=framework).count() == expected["questions"]
    benchmark.extra_info.update(
        file_mb=round(len(data) / 2**20, 2),
        bare_parse_s=round(bare_seconds, 3),
        import_median_s=round(median, 3),
        import_to_bare=round(median / bare_seconds, 1),
        tracemalloc_peak_mb=round(peak, 1),
    )
    print(
        f"\n{case}: {len(data) / 2**20:.2f} MiB, median of {ROUNDS}: bare parse "
        f"{bare_seconds * 1000:.0f} ms, import {median:.2f} s "
        f"({median / bare_seconds:.0f}x the parse), peak {peak:.0f} MB (tracemalloc)"
    )
    assert median < BUDGET_SECONDS
    assert peak < MEMORY_BUDGET_MB


@pytest.mark.django_db
def test_importing_the_issue_catalog_with_withdrawn_controls(benchmark, tmp_path):
    """The catalog of the lossless-OSCAL tests: 1,000 controls of which 100 withdrawn,
    1,200 parameters (400 with choices), 5,000 links and 40 back-matter resources."""
    path = tmp_path / "issue.json"
    path.write_text(json.dumps(generated_catalog()))
    data = path.read_bytes()
    versions = (f"bench-{n}" for n in itertools.count())

    def run():
        return import_path(path, fmt="oscal", version=next(versions))

    bare_seconds = _median(json.loads, data)
    framework = benchmark.pedantic(run, rounds=ROUNDS, iterations=1)
    peak = _peak_mb(run)
    median = benchmark.stats.stats.median
    assert Control.objects.filter(framework=framework).count() == 900
    assert WithdrawnControl.objects.filter(framework=framework).count() == 100
    benchmark.extra_info.update(
        file_mb=round(len(data) / 2**20, 2),
        bare_parse_s=round(bare_seconds, 3),
        import_median_s=round(median, 3),
        tracemalloc_peak_mb=round(peak, 1),
    )
    print(
        f"\nissue catalog: {len(data) / 2**20:.2f} MiB, median of {ROUNDS}: bare parse "
        f"{bare_seconds * 1000:.0f} ms, import {median:.2f} s, peak {peak:.0f} MB"
    )
    assert median < BUDGET_SECONDS
    assert peak < MEMORY_BUDGET_MB
