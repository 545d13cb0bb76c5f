"""Import through the admin page and OSCAL export, with the code the commands use."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scorecard.catalog import native, stored_document
from scorecard.models import Control, Framework, FrameworkStatus

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:scorecard_framework_import"


def _upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _import(client, name: str, content, **fields):
    body = {"file": _upload(name, content), "format": "", "version": "", **fields}
    return client.post(reverse(IMPORT_URL), body)


def _exported(client, framework: Framework, fmt: str) -> bytes:
    url = reverse("admin:scorecard_framework_export", args=[framework.pk, fmt])
    return client.get(url).content


def test_import_page_offers_a_file_and_a_format(editor_client):
    page = editor_client.get(reverse(IMPORT_URL)).content.decode()
    assert 'type="file"' in page and 'name="format"' in page


def test_importing_a_native_file_creates_a_draft(editor_client, published):
    yaml_text = _exported(editor_client, published.framework, "yaml")
    response = _import(editor_client, "catalog.yaml", yaml_text, version="7.0")
    imported = Framework.objects.get(version="7.0")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:scorecard_framework_change", args=[imported.pk])
    assert imported.status == FrameworkStatus.DRAFT
    assert Control.objects.filter(framework=imported).count() == len(published.controls)


def test_importing_an_existing_version_is_refused_with_its_path(editor_client, published):
    yaml_text = _exported(editor_client, published.framework, "yaml")
    response = _import(editor_client, "catalog.yaml", yaml_text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "framework.version" in page and "already exists" in page
    assert Framework.objects.count() == 1


def test_every_problem_of_a_bad_file_is_listed_and_nothing_is_written(editor_client, published):
    doc = stored_document.framework_to_document(published.framework)
    doc["framework"]["version"] = "9.9"
    controls = doc["domains"][0]["controls"]
    controls[1]["id"] = controls[0]["id"]
    doc["domains"][1]["controls"][0]["personas"] = ["nobody"]
    doc["tiers"][0]["min_score"] = 5
    response = _import(editor_client, "broken.yaml", native.dump_yaml(doc))
    assert response.status_code == 400
    paths = {problem.path for problem in response.context["problems"]}
    assert paths == {
        "domains[0].controls[1].id",
        "domains[1].controls[0].personas[0]",
        "tiers[0].min_score",
    }
    page = response.content.decode()
    assert "3 problems found; nothing was written" in page
    assert not Framework.objects.filter(version="9.9").exists()
    assert Control.objects.count() == len(published.controls)


def test_a_file_that_is_not_yaml_is_reported_with_its_line(editor_client):
    response = _import(editor_client, "broken.yaml", "format: [unclosed\n")
    assert response.status_code == 400
    [problem] = response.context["problems"]
    assert problem.path.startswith("line ") and "invalid YAML" in problem.message
    assert not Framework.objects.exists()


def test_an_oversize_file_is_refused_before_reading(editor_client, settings):
    settings.CATALOG_MAX_BYTES = 1024
    response = _import(editor_client, "big.yaml", "x" * 2000)
    assert response.status_code == 400
    assert "at most 1,024 bytes" in str(response.context["form"].errors["file"])
    assert not Framework.objects.exists()


def test_import_without_a_file_is_a_form_error(editor_client):
    response = editor_client.post(reverse(IMPORT_URL), {"format": "native"})
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


def test_an_unknown_format_choice_is_a_form_error(editor_client):
    response = _import(editor_client, "c.yaml", "format: x", format="docx")
    assert response.status_code == 400
    assert "format" in response.context["form"].errors


def test_staff_without_the_group_cannot_import(staff_client):
    response = _import(staff_client, "c.yaml", "format: x")
    assert response.status_code == 403


def test_oscal_export_downloads_a_catalog_that_imports_back(editor_client, published):
    framework = published.framework
    response = editor_client.get(
        reverse("admin:scorecard_framework_export", args=[framework.pk, "oscal"])
    )
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        'attachment; filename="locked-catalog-1.0.oscal.json"'
    )
    catalog = json.loads(response.content)["catalog"]
    assert catalog["metadata"]["version"] == "1.0"
    response = _import(
        editor_client, "catalog.json", response.content, format="oscal", version="2.0"
    )
    assert response.status_code == 302
    imported = Framework.objects.get(version="2.0")
    refs = set(Control.objects.filter(framework=imported).values_list("ref", flat=True))
    assert len(refs) == len(published.controls)
