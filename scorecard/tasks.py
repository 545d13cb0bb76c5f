"""Operational tasks of the project itself."""

import socket

from celery import shared_task
from django.db import connection


@shared_task(ignore_result=False, acks_late=True, soft_time_limit=10, time_limit=20)
def ping() -> dict:
    """Round-trip through the broker and the worker's database connection.

    Idempotent (it only reads), so it may be acknowledged late and retried.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        database = "ok" if cursor.fetchone() == (1,) else "unexpected"
    return {"worker": socket.gethostname(), "database": database, "vendor": connection.vendor}
