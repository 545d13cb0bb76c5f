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


@pytest.fixture
def organisation(db):
    from tests.factories import make_organisation

    return make_organisation("acme", "Acme AI")


@pytest.fixture
def other_organisation(db):
    from tests.factories import make_organisation

    return make_organisation("globex", "Globex")


@pytest.fixture
def owner(organisation):
    from tests.factories import make_member

    return make_member(organisation, "owner", "owner@acme.example")


@pytest.fixture
def assessor(organisation):
    from tests.factories import make_member

    return make_member(organisation, "assessor", "assessor@acme.example")


@pytest.fixture
def viewer(organisation):
    from tests.factories import make_member

    return make_member(organisation, "viewer", "viewer@acme.example")


@pytest.fixture
def auditor(organisation):
    from tests.factories import make_member

    return make_member(organisation, "auditor", "auditor@audit.example")


@pytest.fixture
def outsider(other_organisation):
    from tests.factories import make_member

    return make_member(other_organisation, "owner", "owner@globex.example")


@pytest.fixture
def catalog_admin(db):
    from django.contrib.auth.models import Group

    from tests.factories import make_user

    user = make_user("catalog@scorecard.example", is_staff=True)
    group, _ = Group.objects.get_or_create(name="Catalog editors")
    user.groups.add(group)
    return user


@pytest.fixture
def framework(db):
    from tests.factories import make_framework

    return make_framework()


@pytest.fixture
def assessment(organisation, framework, owner):
    from tests.factories import make_assessment

    return make_assessment(organisation, framework, created_by=owner)
