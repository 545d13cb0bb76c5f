"""How long a `manage.py` command takes to start, next to a bare interpreter.

Run with `make bench`. The machine's load moves every figure, so the same run also times
`python -c pass` and `python -c "import django"`: the gap between those and `manage.py help`
is what the project's own imports cost. All three figures are printed and kept in the
benchmark's extra_info.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import pytest

pytest.importorskip("pytest_benchmark")

ROUNDS = 7
# The goal set when WeasyPrint stopped being imported at start (tests/test_lazy_imports.py).
HELP_BUDGET_SECONDS = 1.0


def _run(command, repo_dir) -> None:
    environ = {**os.environ, "PYTHONPATH": str(repo_dir)}
    environ["DJANGO_SETTINGS_MODULE"] = "scorecard.settings"
    subprocess.run(command, cwd=repo_dir, env=environ, check=True, capture_output=True)


def _median_seconds(command, repo_dir) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        _run(command, repo_dir)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_manage_py_help_starts_within_a_second(benchmark, repo_dir):
    python = sys.executable
    bare = _median_seconds([python, "-c", "pass"], repo_dir)
    django_only = _median_seconds([python, "-c", "import django"], repo_dir)
    benchmark.pedantic(
        _run, args=([python, "manage.py", "help"], repo_dir), rounds=ROUNDS, iterations=1
    )
    help_median = benchmark.stats.stats.median
    benchmark.extra_info.update(
        python_c_pass_s=round(bare, 4),
        import_django_s=round(django_only, 4),
        manage_py_help_s=round(help_median, 4),
    )
    print(
        f"\nstartup, median of {ROUNDS}: python -c pass {bare * 1000:.0f} ms, "
        f"import django {django_only * 1000:.0f} ms, "
        f"manage.py help {help_median * 1000:.0f} ms"
    )
    assert help_median < HELP_BUDGET_SECONDS
