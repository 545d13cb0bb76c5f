"""The rescore task through a real Celery worker and broker (run with -m celery_worker).

The fixture follows tests/test_celery_worker.py: the worker process reads the same test
database, so the test commits its rows (transaction=True) before queueing the task.
"""

import pytest
from django.conf import settings

from assessments.models import Answer, ScoreSnapshot
from assessments.scoring import take_snapshot
from tests.scoring_service.conftest import answer_all, finalise

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


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
