"""The rescore task through a real Celery worker and broker (run with -m celery_worker).

The fixture follows tests/test_celery_worker.py: the worker process reads the same test
database, so the test commits its rows (transaction=True) before queueing the task.
"""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from assessments.models import Answer, ScoreSnapshot
from assessments.scoring import take_snapshot
from tests.scoring_service.conftest import answer_all, finalise

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


def test_rescore_task_runs_in_a_real_worker(celery_worker_process, assessment):
    from assessments.tasks import rescore_framework

    answer_all(assessment)
    old = take_snapshot(assessment=assessment)
    Answer.objects.filter(assessment=assessment, question__ref="D1-C1.q1").update(
        option_label="Optimised", value=1.0
    )
    finalise(assessment)
    assert not settings.CELERY_TASK_ALWAYS_EAGER

    outcome = rescore_framework.delay(assessment.framework_id).get(timeout=60)

    assert outcome["created"] == 1
    new = ScoreSnapshot.objects.get(pk=outcome["snapshots"][0])
    assert (new.assessment_id, new.reason, new.supersedes_id) == (assessment.pk, "rescore", old.pk)
    # Retrying (acks_late redelivery) adds nothing.
    assert rescore_framework.delay(assessment.framework_id).get(timeout=60)["created"] == 0
