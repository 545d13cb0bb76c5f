"""A real task through a real Celery worker and broker.

Runs in CI with CELERY_BROKER_URL set (see .ci/run); the worker process reads the
same test database as the test, so it sees committed rows.
"""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_process(repo_dir):
    if not settings.CELERY_BROKER_URL:
        pytest.skip("set CELERY_BROKER_URL to run the worker tests (.ci/run does)")
    db = connection.settings_dict
    environ = dict(os.environ)
    if db["ENGINE"].endswith("postgresql"):
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        environ["DATABASE_URL"] = f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"
    else:
        environ["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "scorecard",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=repo_dir,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    from scorecard.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("celery worker exited early:\n" + process.stdout.read())
        if app.control.ping(timeout=1):
            break
    else:
        process.terminate()
        pytest.fail("celery worker did not answer a ping within 60 s")
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_ping_task_runs_in_a_real_worker(celery_worker_process):
    from scorecard.tasks import ping

    assert not settings.CELERY_TASK_ALWAYS_EAGER
    result = ping.delay().get(timeout=30)
    assert result["database"] == "ok"
    assert result["vendor"] == connection.vendor
    assert result["worker"]
