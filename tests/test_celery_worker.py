"""A real task through a real Celery worker and broker.

Runs in CI with CELERY_BROKER_URL set (see .ci/run); the worker process reads the
same test database as the test, so it sees committed rows.
"""

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_ping_task_runs_in_a_real_worker(celery_worker_process):
    from scorecard.tasks import ping

    assert not settings.CELERY_TASK_ALWAYS_EAGER
    result = ping.delay().get(timeout=30)
    assert result["database"] == "ok"
    assert result["vendor"] == connection.vendor
    assert result["worker"]
