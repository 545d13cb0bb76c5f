"""Background work of the assessments app. Tasks are thin: they take ids and call a service."""

from celery import shared_task
from django.db import OperationalError

from assessments.audit import acting_as
from assessments.reports.render import render_report_to_file
from assessments.scoring import rescore_finalised
from scorecard.models import Framework


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
    framework = Framework.objects.filter(pk=framework_id).first()
    if framework is None:
        return {"framework": framework_id, "created": 0, "snapshots": []}
    with acting_as(None, via="task:rescore_framework"):
        created = rescore_finalised(framework=framework)
    return {
        "framework": framework_id,
        "created": len(created),
        "snapshots": [snapshot.pk for snapshot in created],
    }


@shared_task(
    acks_late=True,
    soft_time_limit=90,
    time_limit=120,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def render_report(report_id: str) -> None:
    """Render a queued PDF report. Safe to retry: a report already done is left as it is,
    and a failure is recorded on the Report (status "failed" and a message), not raised."""
    with acting_as(None, via="task:render_report"):
        render_report_to_file(report_id=report_id)
