"""Fixtures shared by the whole suite."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent


def _chromium_available() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK) or bool(shutil.which(CHROMIUM))


def pytest_ignore_collect(collection_path, config):
    # Benchmarks are measured with `make bench` only, never as part of `make test`.
    if collection_path.name == "benchmarks" and not config.getoption("benchmark_only"):
        return True
    return None


def pytest_collection_modifyitems(config, items):
    browser_dir = Path(__file__).parent / "browser"
    missing = not _chromium_available()
    for item in items:
        if browser_dir in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            if missing:
                if os.environ.get("CI"):
                    raise pytest.UsageError(f"CI needs Debian chromium at {CHROMIUM}")
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"Debian chromium not found at {CHROMIUM}: "
                        "apt-get install -y chromium to run browser tests"
                    )
                )


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO
