"""Background work of the assessments app. Tasks are thin: they take ids and call a service."""

from celery import shared_task
from django.db import OperationalError


@shared_task(
    ignore_result=False,
    acks_late=True,
    soft_time_limit=600,
    time_limit=660,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def rescore_framework(framework_id: int) -> dict:
    """Rescore the finalised assessments of one framework version.

    Safe to run twice or to retry after a crash: a snapshot is only added where the newest
    one differs from the fresh result, so a second run adds nothing.
    """
    from assessments.scoring import rescore_finalised
    from scorecard.models import Framework

    framework = Framework.objects.filter(pk=framework_id).first()
    if framework is None:
        return {"framework": framework_id, "created": 0, "snapshots": []}
    created = rescore_finalised(framework=framework)
    return {
        "framework": framework_id,
        "created": len(created),
        "snapshots": [snapshot.pk for snapshot in created],
    }
