"""Operational tasks of the project itself."""

import socket

from celery import shared_task
from django.db import OperationalError, connection

from scorecard.catalog.import_job import run_import


@shared_task(ignore_result=False, acks_late=True, soft_time_limit=10, time_limit=20)
def ping() -> dict:
    """Round-trip through the broker and the worker's database connection.

    Idempotent (it only reads), so it may be acknowledged late and retried.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        database = "ok" if cursor.fetchone() == (1,) else "unexpected"
    return {"worker": socket.gethostname(), "database": database, "vendor": connection.vendor}


@shared_task(
    ignore_result=False,
    acks_late=True,
    soft_time_limit=600,
    time_limit=660,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def import_catalog_file(import_id: str) -> dict:
    """Import a catalog file the admin queued (scorecard.catalog.import_queue).

    Safe to run twice or to retry: an import already claimed or finished is left alone.
    """
    job = run_import(import_id=import_id)
    status = job.status if job is not None else "missing"
    return {"import": import_id, "status": status, "framework": job and job.framework_id}
