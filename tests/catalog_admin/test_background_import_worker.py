"""The background catalog import through a real Celery worker and broker (-m celery_worker).

As in tests/test_celery_worker.py, the worker reads this test's database (the rows are
committed: transaction=True) and, through the fixture, this test's MEDIA_ROOT, where the
upload is stored. Queued after commit, the task reaches the worker at once.
"""

import time

import pytest
import yaml
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from scorecard.catalog import import_queue
from scorecard.models import CatalogImport, CatalogImportStatus, Control
from tests.benchmarks.catalog_generator import native_catalog

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _wait_until_finished(job: CatalogImport, timeout: float = 60) -> CatalogImport:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.5)
    pytest.fail(f"the import is still {job.status} after {timeout} s: {job.progress}")


def test_a_queued_import_is_run_by_a_real_worker(celery_worker_process):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    doc = native_catalog(controls=5, questions=1, domains=1, sub_domains=0, prose_words=3)
    upload = SimpleUploadedFile("worker.yaml", yaml.safe_dump(doc, sort_keys=False).encode())
    job = _wait_until_finished(import_queue.queue_import(upload=upload, user=None))
    assert job.status == CatalogImportStatus.DONE, job.problems
    assert Control.objects.filter(framework=job.framework).count() == 5
    assert not default_storage.exists(job.stored_name)
