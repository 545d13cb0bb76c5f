"""Running a queued catalog import: the worker's side of `import_queue`.

Safe to run twice or to retry: an import is claimed by one conditional update (queued to
running), so a second delivery of the task finds it claimed or finished and does nothing.
One left running past STALE_AFTER lost its worker and may be claimed again; its import had
not committed (the catalog is written in one transaction), so running it again is sound.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from scorecard.catalog import files
from scorecard.catalog.native import read_bounded
from scorecard.catalog.problems import CatalogInvalid, Problem
from scorecard.models import CatalogImport, CatalogImportStatus, Framework

logger = logging.getLogger(__name__)

# Longer than the task's hard time limit: a running import this old has no worker left.
STALE_AFTER = timedelta(minutes=20)
UNEXPECTED = "the import stopped on an unexpected error; nothing was written"
GONE = "the uploaded file is no longer stored; upload it again"


def run_import(*, import_id: str) -> CatalogImport | None:
    """Import the file of a queued CatalogImport and record how it ended.

    A refused file ends `failed` with every problem, as the import page lists them, and
    nothing written; an accepted one `done` with its new draft. The stored upload is
    deleted either way. An import already claimed or finished is returned untouched.
    """
    job = _claim(import_id)
    if job is None:
        return CatalogImport.objects.filter(pk=import_id).first()
    try:
        framework = files.import_bytes(
            _read_upload(job),
            filename=job.file_name,
            fmt=job.format or None,
            version=job.version or None,
            progress=partial(_progress, job.pk),
        )
    except CatalogInvalid as invalid:
        _finish(job, CatalogImportStatus.FAILED, problems=invalid.problems)
    except Exception:  # a worker error must end the import, not leave it running
        logger.exception("catalog import %s stopped", job.pk)
        _finish(job, CatalogImportStatus.FAILED, problems=[Problem("", UNEXPECTED)])
    else:
        _finish(job, CatalogImportStatus.DONE, framework=framework)
        _log_addition(job, framework)
    finally:
        _delete_upload(job)
    return job


def _claim(import_id: str) -> CatalogImport | None:
    now = timezone.now()
    claimable = Q(status=CatalogImportStatus.QUEUED) | Q(
        status=CatalogImportStatus.RUNNING, started_at__lt=now - STALE_AFTER
    )
    claimed = CatalogImport.objects.filter(claimable, pk=import_id).update(
        status=CatalogImportStatus.RUNNING, started_at=now, progress="Starting"
    )
    return CatalogImport.objects.get(pk=import_id) if claimed else None


def _progress(import_id, text: str) -> None:
    # Written at once (the worker is not inside a transaction here) for the page to poll.
    CatalogImport.objects.filter(pk=import_id).update(progress=text[:200])


def _read_upload(job: CatalogImport) -> bytes:
    try:
        size = default_storage.size(job.stored_name)
        with default_storage.open(job.stored_name, "rb") as handle:
            return read_bounded(handle, settings.CATALOG_MAX_BYTES, size)
    except (OSError, ValueError):
        raise CatalogInvalid([Problem("", GONE)], source=job.file_name) from None


def _finish(
    job: CatalogImport,
    status: str,
    *,
    problems: Sequence[Problem] = (),
    framework: Framework | None = None,
) -> None:
    job.status = status
    job.problems = [
        {"source": problem.source, "path": problem.path, "message": problem.message}
        for problem in problems
    ]
    job.framework = framework
    job.finished_at = timezone.now()
    if framework is not None:
        job.progress = f"Imported as {framework}"
    else:
        job.progress = f"{len(job.problems)} problem(s) found; nothing was written"
    job.save(update_fields=["status", "problems", "framework", "finished_at", "progress"])


def _log_addition(job: CatalogImport, framework: Framework) -> None:
    """The framework's admin history says who imported it, as for an inline import."""
    if job.requested_by_id is None:
        return
    LogEntry.objects.log_actions(
        user_id=job.requested_by_id,
        queryset=[framework],
        action_flag=ADDITION,
        change_message=f"Imported from {job.file_name} in the background.",
        single_object=True,
    )


def _delete_upload(job: CatalogImport) -> None:
    if not job.stored_name:
        return
    try:
        default_storage.delete(job.stored_name)
    except OSError:
        logger.exception("could not delete the upload of catalog import %s", job.pk)
