"""Fixtures shared by the whole suite."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent


def _chromium_available() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK) or bool(shutil.which(CHROMIUM))


def pytest_configure(config):
    # WhiteNoise warns on every request when STATIC_ROOT does not exist yet.
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def pytest_ignore_collect(collection_path, config):
    # Benchmarks are measured with `make bench` only, never as part of `make test`.
    if collection_path.name == "benchmarks" and not config.getoption("benchmark_only"):
        return True
    return None


# The public reference files some importer tests read; they live beside the checkout.
SHARED_REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"


def _unrunnable_reason(item, chromium_missing: bool) -> str | None:
    """Why this machine cannot run the item at all, or None."""
    from django.conf import settings

    if chromium_missing and "page" in getattr(item, "fixturenames", ()):
        return (
            f"Debian chromium not found at {CHROMIUM}: "
            "apt-get install -y chromium to run the browser tests"
        )
    if item.get_closest_marker("celery_worker") and not settings.CELERY_BROKER_URL:
        return "no CELERY_BROKER_URL: the real-worker tests run in .ci/run"
    if item.get_closest_marker("shared_reference") and not SHARED_REFERENCE.is_dir():
        return f"reference data not found at {SHARED_REFERENCE} (../shared)"
    if item.get_closest_marker("postgresql") and not settings.DATABASES["default"][
        "ENGINE"
    ].endswith("postgresql"):
        return "DATABASE_URL is not PostgreSQL: the row-lock race tests run in .ci/run"
    return None


def pytest_collection_modifyitems(config, items):
    # Tests this machine cannot run are deselected and named in the summary, rather than
    # collected and skipped; CI has chromium and a broker, and refuses to run without them.
    chromium_missing = not _chromium_available()
    kept, dropped, reasons = [], [], set()
    for item in items:
        # Whatever drives Playwright's page is a browser test, wherever it lives.
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        reason = _unrunnable_reason(item, chromium_missing)
        if reason is None:
            kept.append(item)
            continue
        if os.environ.get("CI") and item.get_closest_marker("browser"):
            raise pytest.UsageError(f"CI needs Debian chromium at {CHROMIUM}")
        dropped.append(item)
        reasons.add(reason)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
        config._scorecard_not_run = sorted(reasons)


def pytest_sessionfinish(session):
    # Under pytest-xdist the workers collect and the controller prints the summary: each
    # worker hands its reasons back through xdist's workeroutput channel.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["scorecard_not_run"] = getattr(session.config, "_scorecard_not_run", [])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    reasons = getattr(node, "workeroutput", {}).get("scorecard_not_run", [])
    merged = set(getattr(node.config, "_scorecard_not_run", ())) | set(reasons)
    node.config._scorecard_not_run = sorted(merged)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if getattr(config, "workeroutput", None) is not None:
        return
    for reason in getattr(config, "_scorecard_not_run", ()):
        terminalreporter.write_line(f"NOT RUN HERE: {reason}", yellow=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 at production strength costs ~0.3 s per user; tests create hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _worker_media_root(tmp_path_factory):
    # Each pytest-xdist worker (and a serial run) gets its own MEDIA_ROOT below its own
    # basetemp, so nothing a test stores outside the per-test folder lands in a shared var/media.
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("worker-media"))


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path):
    # Uploaded evidence and rendered PDFs go to a per-test folder, never to var/media.
    # The live server runs in this process, so browser tests are covered too. The access
    # matrix's module-wide world keeps the folder its files were stored in.
    if "world" in request.fixturenames:
        return Path(settings.MEDIA_ROOT)
    path = tmp_path / "media"
    settings.MEDIA_ROOT = str(path)
    return path


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


@pytest.fixture
def celery_worker_process(repo_dir, tmp_path):
    """A real `celery worker` on the configured broker, reading this test's database.

    Tests using it commit their rows (django_db(transaction=True)) so the worker sees them.
    """
    from django.conf import settings
    from django.db import connection

    assert settings.CELERY_BROKER_URL, "collection deselects worker tests without a broker"
    db = connection.settings_dict
    environ = dict(os.environ)
    if db["ENGINE"].endswith("postgresql"):
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        environ["DATABASE_URL"] = f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"
    else:
        environ["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    # The worker reads and writes files where this test does (uploads it is to import).
    environ["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    log_path = tmp_path / "celery-worker.log"
    log = log_path.open("w")
    command = [sys.executable, "-m", "celery", "-A", "scorecard", "worker", "--pool", "solo"]
    command += ["--loglevel", "INFO", "--without-gossip", "--without-mingle"]
    process = subprocess.Popen(command, cwd=repo_dir, env=environ, stdout=log, stderr=log)
    from scorecard.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("celery worker exited early:\n" + log_path.read_text())
        if app.control.ping(timeout=1):
            break
    else:
        process.terminate()
        pytest.fail("celery worker did not answer a ping within 60 s:\n" + log_path.read_text())
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def release(response) -> None:
    """Close a test response (a streamed download holds its file open) without the
    request_finished signal closing the database connection of the test's transaction:
    on PostgreSQL that would end the test's connection mid-test."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
