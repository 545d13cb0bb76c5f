"""Large admin uploads are imported by a Celery task (inline in tests) with a progress page."""

import os
from datetime import timedelta

import pytest
import yaml
from django.conf import settings as django_settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from scorecard.catalog import files, import_queue
from scorecard.models import CatalogImport, CatalogImportStatus, Control, Framework, Question
from scorecard.tasks import import_catalog_file
from tests.benchmarks.catalog_generator import counts, native_catalog
from tests.catalog.helpers import catalog_row_counts

pytestmark = pytest.mark.django_db


def _import_url() -> str:
    return reverse("admin:scorecard_framework_import")


def _status_url(job: CatalogImport) -> str:
    return reverse("admin:scorecard_framework_import_status", args=[job.pk])


def _yaml(doc: dict) -> bytes:
    return yaml.safe_dump(doc, sort_keys=False).encode()


def _post(client, name: str, data: bytes, **fields):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    body = {"file": upload, "format": "", "version": "", **fields}
    return client.post(_import_url(), body)


@pytest.fixture
def small_threshold(settings):
    # Every test file here is a few kilobytes: anything over 100 bytes goes to the worker.
    settings.CATALOG_IMPORT_INLINE_BYTES = 100


def test_a_large_upload_is_imported_by_the_task_and_the_page_links_the_draft(
    editor_client, editor, small_threshold, django_capture_on_commit_callbacks
):
    doc = native_catalog(controls=12, questions=2, domains=2, sub_domains=1, prose_words=5)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _post(editor_client, "my catalog.yaml", _yaml(doc))
    job = CatalogImport.objects.get()
    assert len(callbacks) == 1
    assert response.status_code == 302 and response["Location"] == _status_url(job)
    job.refresh_from_db()
    assert job.status == CatalogImportStatus.DONE
    assert (job.file_name, job.requested_by, job.problems) == ("my catalog.yaml", editor, [])
    assert job.finished_at is not None
    framework = Framework.objects.get(slug="generated-native")
    assert job.framework == framework
    # Counted in the document here, not by the importer: 12 controls of 2 questions.
    assert counts(doc) == {"controls": 12, "questions": 24}
    assert Control.objects.filter(framework=framework).count() == 12
    assert Question.objects.filter(framework=framework).count() == 24
    # The upload was stored under a generated name and is gone now.
    assert job.stored_name == f"catalog-imports/{job.pk.hex}.upload"
    assert not default_storage.exists(job.stored_name)
    entry = LogEntry.objects.get(object_id=str(framework.pk))
    assert (entry.user, entry.action_flag) == (editor, ADDITION)
    page = editor_client.get(response["Location"]).content.decode()
    change_url = reverse("admin:scorecard_framework_change", args=[framework.pk])
    assert f'href="{change_url}"' in page and "hx-get" not in page


def test_a_small_upload_is_still_imported_during_the_request(
    editor_client, django_capture_on_commit_callbacks
):
    doc = native_catalog(controls=2, questions=1, domains=1, sub_domains=0, prose_words=3)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _post(editor_client, "small.yaml", _yaml(doc))
    framework = Framework.objects.get()
    assert response["Location"] == reverse("admin:scorecard_framework_change", args=[framework.pk])
    assert callbacks == [] and not CatalogImport.objects.exists()


def test_a_queued_import_shows_its_progress_and_polls(
    editor_client, small_threshold, django_capture_on_commit_callbacks
):
    doc = native_catalog(controls=3, questions=1, domains=1, sub_domains=0, prose_words=3)
    with django_capture_on_commit_callbacks(execute=False):
        _post(editor_client, "queued.yaml", _yaml(doc))
    job = CatalogImport.objects.get()
    assert job.status == CatalogImportStatus.QUEUED
    assert default_storage.exists(job.stored_name)
    page = editor_client.get(_status_url(job)).content.decode()
    assert "Waiting for a worker" in page and 'hx-trigger="every 2s"' in page
    assert 'role="status"' in page and "htmx-2.min.js" in page
    shown = page.split("?shown=")[1].split('"')[0]
    unchanged = editor_client.get(f"{_status_url(job)}?shown={shown}", HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 204
    CatalogImport.objects.filter(pk=job.pk).update(
        status=CatalogImportStatus.RUNNING, progress="Checking the catalog"
    )
    changed = editor_client.get(f"{_status_url(job)}?shown={shown}", HTTP_HX_REQUEST="true")
    panel = changed.content.decode()
    assert changed.status_code == 200 and "Checking the catalog" in panel
    assert panel.lstrip().startswith('<div id="import-status"')  # the panel alone
    assert not Framework.objects.exists()


def test_a_bad_large_file_fails_with_every_problem_and_writes_nothing(
    editor_client, small_threshold, django_capture_on_commit_callbacks
):
    doc = native_catalog(controls=4, questions=1, domains=1, sub_domains=0, prose_words=3)
    controls = doc["domains"][0]["controls"]
    controls[1]["id"] = controls[0]["id"]
    controls[2]["risks"] = ["no-such-risk"]
    before = catalog_row_counts()
    with django_capture_on_commit_callbacks(execute=True):
        _post(editor_client, "broken.yaml", _yaml(doc))
    job = CatalogImport.objects.get()
    assert job.status == CatalogImportStatus.FAILED and job.framework is None
    assert job.problems == [
        {
            "source": "",
            "path": "domains[0].controls[1].id",
            "message": 'duplicate control id "C-0" (first used at domains[0].controls[0])',
        },
        {
            "source": "",
            "path": "domains[0].controls[2].risks[0]",
            "message": 'unknown risk "no-such-risk"',
        },
    ]
    assert catalog_row_counts() == before
    assert not default_storage.exists(job.stored_name)
    page = editor_client.get(_status_url(job)).content.decode()
    assert "2 problems found; nothing was written" in page
    assert "<code>domains[0].controls[1].id</code>" in page and "hx-get" not in page


def test_the_failed_page_lists_what_the_inline_import_lists(
    editor_client, settings, django_capture_on_commit_callbacks
):
    data = b"format: scorecard-catalog/1\nframework: [unclosed\n" + b"# padding\n" * 20
    inline = _post(editor_client, "bad.yaml", data)
    settings.CATALOG_IMPORT_INLINE_BYTES = 100
    with django_capture_on_commit_callbacks(execute=True):
        _post(editor_client, "bad.yaml", data)
    job = CatalogImport.objects.get()
    [problem] = inline.context["problems"]
    assert problem.path.startswith("line ") and "invalid YAML" in problem.message
    assert job.problems == [{"source": "", "path": problem.path, "message": problem.message}]
    assert not Framework.objects.exists()


def test_running_the_task_again_does_nothing(
    editor_client, small_threshold, django_capture_on_commit_callbacks
):
    doc = native_catalog(controls=3, questions=1, domains=1, sub_domains=0, prose_words=3)
    with django_capture_on_commit_callbacks(execute=True):
        _post(editor_client, "twice.yaml", _yaml(doc))
    job = CatalogImport.objects.get()
    assert job.status == CatalogImportStatus.DONE
    finished = (job.finished_at, job.framework_id, job.progress)
    outcome = import_catalog_file.delay(str(job.pk)).get()
    assert outcome == {"import": str(job.pk), "status": "done", "framework": job.framework_id}
    job.refresh_from_db()
    assert (job.finished_at, job.framework_id, job.progress) == finished
    assert Framework.objects.count() == 1 and LogEntry.objects.count() == 1


def _queued(name: str, data: bytes, **fields) -> CatalogImport:
    upload = SimpleUploadedFile(name, data)
    return import_queue.queue_import(upload=upload, user=None, **fields)


def test_an_import_claimed_by_a_live_worker_is_left_to_it(django_capture_on_commit_callbacks):
    doc = native_catalog(controls=2, questions=1, domains=1, sub_domains=0, prose_words=3)
    with django_capture_on_commit_callbacks(execute=False):
        job = _queued("claimed.yaml", _yaml(doc))
    CatalogImport.objects.filter(pk=job.pk).update(
        status=CatalogImportStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5)
    )
    assert import_catalog_file(str(job.pk))["status"] == "running"
    assert not Framework.objects.exists() and default_storage.exists(job.stored_name)
    # One left running for an hour lost its worker: a retry takes it over and finishes it.
    CatalogImport.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    assert import_catalog_file(str(job.pk))["status"] == "done"
    assert Framework.objects.count() == 1


def test_the_options_of_the_page_reach_the_import(django_capture_on_commit_callbacks):
    doc = native_catalog(controls=2, questions=1, domains=1, sub_domains=0, prose_words=3)
    with django_capture_on_commit_callbacks(execute=True):
        job = _queued("other.json", b"\n" + _yaml(doc), version="7.5", fmt="native")
    job.refresh_from_db()
    # A .json name means JSON, as inline; the YAML inside is then refused as JSON.
    assert job.status == CatalogImportStatus.FAILED
    assert job.problems[0]["message"].startswith("invalid JSON")
    with django_capture_on_commit_callbacks(execute=True):
        job = _queued("other.yaml", _yaml(doc), version="7.5", fmt="native")
    job.refresh_from_db()
    assert (job.status, job.framework.version) == (CatalogImportStatus.DONE, "7.5")


def test_an_upload_that_vanished_fails_clearly(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = _queued("gone.yaml", b"format: x\n")
    default_storage.delete(job.stored_name)
    assert import_catalog_file(str(job.pk))["status"] == "failed"
    job.refresh_from_db()
    assert job.problems == [
        {
            "source": "",
            "path": "",
            "message": "the uploaded file is no longer stored; upload it again",
        }
    ]


def test_the_stored_name_never_comes_from_the_users_file_name(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = _queued("../../etc/passwd.yaml", b"format: x\n")
    assert job.file_name == "passwd.yaml"
    assert job.stored_name == f"catalog-imports/{job.pk.hex}.upload"


def test_an_unknown_import_is_a_404(editor_client):
    url = reverse(
        "admin:scorecard_framework_import_status", args=["00000000-0000-0000-0000-000000000000"]
    )
    assert editor_client.get(url).status_code == 404


def test_the_progress_page_is_for_those_who_may_import(
    staff_client, client, editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = _queued("x.yaml", b"format: x\n")
    assert staff_client.get(_status_url(job)).status_code == 403
    response = client.get(_status_url(job))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert editor_client.post(_status_url(job)).status_code == 405


def test_the_import_reports_each_step_as_it_starts():
    doc = native_catalog(controls=2, questions=1, domains=1, sub_domains=0, prose_words=3)
    steps: list[str] = []
    files.import_bytes(_yaml(doc), filename="steps.yaml", progress=steps.append)
    assert steps == ["Reading the file", "Checking the catalog", "Writing the new version"]


@pytest.mark.skipif(
    bool({"CATALOG_MAX_BYTES", "CATALOG_IMPORT_INLINE_BYTES"} & set(os.environ)),
    reason="the limits are set in the environment",
)
def test_the_default_limits_are_32_mib_per_file_and_1_mib_inline():
    assert django_settings.CATALOG_MAX_BYTES == 32 * 1024 * 1024
    assert django_settings.CATALOG_IMPORT_INLINE_BYTES == 1024 * 1024
