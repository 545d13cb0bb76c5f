"""Handing a large catalog upload to a worker: store it, record it, queue it after commit.

Files over CATALOG_IMPORT_INLINE_BYTES would hold the admin's request for seconds (a
4 MB catalog takes a few), so the admin stores them and a Celery worker imports them
(`import_job.run_import`); the admin then shows the `CatalogImport` row's progress.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from scorecard.models import CatalogImport
from scorecard.tasks import import_catalog_file

# Uploads wait here, under a name made from the import's id, until the import finishes.
UPLOAD_DIR = "catalog-imports"
WAITING = "Waiting for a worker"


def runs_in_background(size: int) -> bool:
    """Whether an upload of `size` bytes is imported by a worker rather than inline."""
    return size > settings.CATALOG_IMPORT_INLINE_BYTES


def queue_import(
    *, upload: UploadedFile, user: AbstractBaseUser | None, fmt: str = "", version: str = ""
) -> CatalogImport:
    """Store `upload`, record a queued import of it, and queue the task once committed.

    The stored file's name is generated: the user's file name is only shown, never used
    as a path. `fmt` and `version` are the import page's options ("" for none).
    """
    import_id = uuid.uuid4()
    stored = default_storage.save(f"{UPLOAD_DIR}/{import_id.hex}.upload", upload)
    try:
        with transaction.atomic():
            queued = CatalogImport.objects.create(
                id=import_id,
                requested_by=user if user is not None and user.pk else None,
                file_name=(upload.name or "upload")[:255],
                size=upload.size,
                stored_name=stored,
                format=fmt,
                version=version,
                progress=WAITING,
            )
            transaction.on_commit(lambda: import_catalog_file.delay(str(import_id)))
    except BaseException:
        default_storage.delete(stored)
        raise
    return queued
