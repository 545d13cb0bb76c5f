"""Evidence: accepted and refused files, storage, downloads, links and deletion."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assessment, AuditEvent, Evidence
from assessments.services.evidence import EvidenceRejected, inspect_file
from tests.factories import make_assessment
from tests.questionnaire.helpers import page_url, question

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 16


def office(kind: str, macro: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "data", "content_type"),
    [
        ("policy.pdf", PDF, "application/pdf"),
        ("diagram.png", PNG, "image/png"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("notes.txt", "Grüße, plain UTF-8 text.\n".encode(), "text/plain; charset=utf-8"),
        ("inventory.csv", b"model,owner\nfraud,risk team\n", "text/csv; charset=utf-8"),
        ("README.md", b"# Runbook\n\nSteps.\n", "text/markdown; charset=utf-8"),
        ("config.json", b'{"retention_days": 30}', "application/json"),
        ("list.txt", b'["json", "in a text file"]', "text/plain; charset=utf-8"),
        (
            "plan.docx",
            office("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "risks.xlsx",
            office("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_accepted_file_types(filename, data, content_type):
    found = inspect_file(filename, data)
    assert found.content_type == content_type
    assert found.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 60, "not accepted"),
        ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 60, "Programs and scripts"),
        ("run.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "Programs and scripts"),
        ("deploy.txt", b"#!/bin/sh\nrm -rf /\n", "Programs and scripts"),
        ("page.txt", b"<html><script>alert(1)</script></html>", "HTML, SVG and XML"),
        ("logo.md", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "HTML, SVG and XML"),
        ("page.html", b"<html></html>", "not accepted"),
        ("bundle.docx", plain_zip(), "Archives are not accepted"),
        ("macro.docx", office("docx", macro=True), "macros"),
        ("data.txt", b"\x1f\x8b\x08\x00" + b"\x00" * 20, "Archives are not accepted"),
        ("latin1.txt", "caf\xe9".encode("latin-1"), "UTF-8"),
        ("image.pdf", PNG, "but the file is a PNG image"),
        ("policy.png", PDF, "but the file is a PDF document"),
        ("broken.json", b"{not json", "but the file is plain text"),
        ("empty.txt", b"", "empty"),
        ("noext", b"text", "not accepted"),
    ],
)
def test_refused_files_say_why(filename, data, reason):
    with pytest.raises(EvidenceRejected, match=reason):
        inspect_file(filename, data)


def upload_url(assessment, ref="D1-C1.q1"):
    return reverse("evidence_upload", args=[assessment.pk, ref])


def test_upload_stores_file_under_unguessable_name_with_hash(client, assessor, rich, media_root):
    client.force_login(assessor)
    response = client.post(
        upload_url(rich),
        {"file": SimpleUploadedFile("policy.pdf", PDF, "text/html"), "description": "Policy"},
    )
    q = question(rich.framework, "D1-C1.q1")
    assert response.status_code == 302
    assert response["Location"] == page_url(rich) + f"#q{q.pk}"
    evidence = Evidence.objects.get(assessment=rich)
    assert evidence.filename == "policy.pdf"
    assert evidence.content_type == "application/pdf"  # from the content, not the browser
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence.size == len(PDF) and evidence.uploaded_by == assessor
    assert "policy" not in evidence.file.name and len(Path(evidence.file.name).name) == 32
    assert (Path(media_root) / evidence.file.name).read_bytes() == PDF
    assert AuditEvent.objects.filter(action="evidence.added").count() == 1


def _refused_upload(client, assessment, upload, status=None):
    """Without JS a refused file goes back to the question on its page (never a page at the
    upload URL), where the reason is shown beside the question; nothing is stored."""
    response = client.post(upload_url(assessment), {"file": upload})
    assert not Evidence.objects.filter(assessment=assessment).exists()
    if status is not None:
        assert response.status_code == status
        return response.content.decode()
    q = question(assessment.framework, "D1-C1.q1")
    assert response.status_code == 302
    assert response["Location"] == page_url(assessment) + f"#q{q.pk}-evidence"
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def test_too_large_file_is_refused_and_nothing_stored(client, assessor, rich, settings, media_root):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(assessor)
    html = _refused_upload(client, rich, SimpleUploadedFile("big.txt", b"a" * 2048))
    assert "at most 1,024 bytes" in html
    assert not [path for path in Path(media_root).rglob("*") if path.is_file()]


def test_forbidden_type_is_refused_beside_the_question(client, assessor, rich):
    client.force_login(assessor)
    html = _refused_upload(client, rich, SimpleUploadedFile("x.pdf", b"<html>hi</html>"))
    q = question(rich.framework, "D1-C1.q1")
    assert f'id="q{q.pk}-evidence-error"' in html
    assert "HTML, SVG and XML" in html


def test_extension_must_match_content(client, assessor, rich):
    client.force_login(assessor)
    html = _refused_upload(client, rich, SimpleUploadedFile("scan.pdf", PNG))
    assert "the file is a PNG image" in html


def test_upload_to_finalised_assessment_is_refused(client, assessor, rich):
    Assessment.objects.filter(pk=rich.pk).update(status="finalised")
    client.force_login(assessor)
    _refused_upload(client, rich, SimpleUploadedFile("a.pdf", PDF), status=409)


def test_viewer_cannot_upload(client, viewer, rich):
    client.force_login(viewer)
    _refused_upload(client, rich, SimpleUploadedFile("a.pdf", PDF), status=403)


def test_upload_for_question_of_another_framework_is_404(client, assessor, rich):
    client.force_login(assessor)
    response = client.post(
        upload_url(rich, "NO-SUCH.q1"), {"file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert response.status_code == 404


@pytest.fixture
def stored(client, assessor, rich):
    client.force_login(assessor)
    client.post(upload_url(rich), {"file": SimpleUploadedFile("policy.pdf", PDF)})
    client.logout()
    return Evidence.objects.get(assessment=rich)


def download_url(evidence):
    return reverse("evidence_download", args=[evidence.assessment_id, evidence.pk])


@pytest.mark.parametrize("member", ["viewer", "auditor", "owner"])
def test_members_download_as_attachment_and_it_is_audited(client, stored, member, request):
    user = request.getfixturevalue(member)
    client.force_login(user)
    response = client.get(download_url(stored))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="policy.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    event = AuditEvent.objects.get(action="evidence.download")
    assert event.actor == user and event.target_id == str(stored.pk)


def test_outsider_gets_404_for_evidence(client, outsider, stored):
    client.force_login(outsider)
    assert client.get(download_url(stored)).status_code == 404
    assert not AuditEvent.objects.filter(action="evidence.download").exists()


def test_evidence_of_another_assessment_is_404(client, owner, stored, organisation):
    other = make_assessment(organisation, stored.assessment.framework)
    client.force_login(owner)
    url = reverse("evidence_download", args=[other.pk, stored.pk])
    assert client.get(url).status_code == 404


def test_nothing_is_served_from_a_media_url(client, owner, stored, settings):
    client.force_login(owner)
    for prefix in ("/media/", "/", settings.MEDIA_URL or "/"):
        path = f"{prefix.rstrip('/')}/{stored.file.name}"
        assert client.get(path).status_code == 404


def test_link_evidence(client, assessor, rich):
    client.force_login(assessor)
    url = reverse("evidence_link", args=[rich.pk, "D1-C1.q1"])
    response = client.post(url, {"url": "https://wiki.example.org/policy", "description": "Wiki"})
    assert response.status_code == 302
    link = Evidence.objects.get(assessment=rich)
    assert (link.kind, link.url, link.description) == (
        "link",
        "https://wiki.example.org/policy",
        "Wiki",
    )
    html = client.get(page_url(rich)).content.decode()
    assert 'href="https://wiki.example.org/policy" rel="noopener noreferrer nofollow"' in html
    # A link has nothing to download.
    assert client.get(download_url(link)).status_code == 404


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://files.example.org/x", "not a url"])
def test_unsafe_or_invalid_links_are_refused(client, assessor, rich, bad):
    client.force_login(assessor)
    url = reverse("evidence_link", args=[rich.pk, "D1-C1.q1"])
    response = client.post(url, {"url": bad})
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert "Enter a valid URL." in client.get(response["Location"]).content.decode()


def test_delete_removes_row_and_file(
    client, assessor, stored, media_root, django_capture_on_commit_callbacks
):
    path = Path(media_root) / stored.file.name
    assert path.exists()
    client.force_login(assessor)
    url = reverse("evidence_delete", args=[stored.assessment_id, stored.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not Evidence.objects.filter(pk=stored.pk).exists()
    assert not path.exists()
    assert AuditEvent.objects.filter(action="evidence.deleted").count() == 1


def test_viewer_cannot_delete_evidence(client, viewer, stored):
    client.force_login(viewer)
    url = reverse("evidence_delete", args=[stored.assessment_id, stored.pk])
    assert client.post(url).status_code == 403
    assert Evidence.objects.filter(pk=stored.pk).exists()


def test_evidence_of_finalised_assessment_cannot_be_deleted(client, owner, stored):
    Assessment.objects.filter(pk=stored.assessment_id).update(status="finalised")
    client.force_login(owner)
    url = reverse("evidence_delete", args=[stored.assessment_id, stored.pk])
    assert client.post(url).status_code == 409
    assert Evidence.objects.filter(pk=stored.pk).exists()
