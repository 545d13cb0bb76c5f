"""Evidence in place: with htmx, upload, link and removal answer with the question's evidence
block alone (the page and its unsaved answers stay); without JS they return to the question,
where a refusal is shown beside it and nowhere else."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assessment, Evidence
from tests.questionnaire.helpers import page_url, question

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TEXT = b"Plain text evidence.\n"


def upload_url(assessment, ref="D1-C1.q1"):
    return reverse("evidence_upload", args=[assessment.pk, ref])


def test_htmx_upload_answers_with_the_evidence_block_only(editor, rich, media_root):
    q = question(rich.framework, "D1-C1.q1")
    response = editor.post(
        upload_url(rich),
        {"file": SimpleUploadedFile("notes.txt", TEXT), "description": "Runbook"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<div")  # a fragment, no page around it
    assert "<html" not in html and "questionnaire-form" not in html
    assert f'<div class="evidence mt-2" id="q{q.pk}-evidence">' in html
    assert "Uploaded notes.txt as evidence for DM1-1.1 (D1-C1.q1)." in html
    assert "notes.txt</a>" in html and "— Runbook" in html
    assert Evidence.objects.get(assessment=rich).filename == "notes.txt"
    # The success is said in the block, not kept for the next page's banner.
    assert "Uploaded notes.txt" not in editor.get(page_url(rich)).content.decode()


def test_htmx_refused_file_shows_its_reason_in_the_block_only(editor, rich):
    q = question(rich.framework, "D1-C1.q1")
    response = editor.post(
        upload_url(rich), {"file": SimpleUploadedFile("x.pdf", b"<html>hi</html>")}, **HTMX
    )
    # 200 so that htmx swaps it in; the block says what was refused and why.
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="q{q.pk}-evidence-error"' in html and "HTML, SVG and XML" in html
    assert f'aria-describedby="q{q.pk}-evidence-error"' in html
    assert "There is a problem" not in html and "<html" not in html
    assert not Evidence.objects.exists()


def test_htmx_link_and_removal_answer_with_the_block(editor, rich):
    q = question(rich.framework, "D1-C1.q1")
    link_url = reverse("evidence_link", args=[rich.pk, q.ref])
    html = editor.post(link_url, {"url": "https://wiki.example.org/policy"}, **HTMX).content
    assert b"Added a link as evidence for DM1-1.1 (D1-C1.q1)." in html
    link = Evidence.objects.get(assessment=rich)
    delete_url = reverse("evidence_delete", args=[rich.pk, link.pk])
    response = editor.post(delete_url, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="q{q.pk}-evidence"' in html
    assert (
        "Removed https://wiki.example.org/policy from the evidence of DM1-1.1 (D1-C1.q1)." in html
    )
    assert not Evidence.objects.exists()


def test_htmx_upload_to_a_finalised_assessment_is_refused_in_the_block(editor, rich):
    Assessment.objects.filter(pk=rich.pk).update(status="finalised")
    response = editor.post(upload_url(rich), {"file": SimpleUploadedFile("a.txt", TEXT)}, **HTMX)
    html = response.content.decode()
    assert "finalised and cannot be changed" in html and "evidence-error" in html
    assert not Evidence.objects.exists()


def test_the_page_posts_evidence_with_htmx_into_the_question_block(editor, rich):
    q = question(rich.framework, "D1-C1.q1")
    html = editor.get(page_url(rich)).content.decode()
    url = upload_url(rich)
    assert (
        f'hx-post="{url}" hx-encoding="multipart/form-data" hx-target="#q{q.pk}-evidence" '
        'hx-swap="outerHTML"' in html
    )


def test_without_js_a_refused_file_returns_to_the_question_with_the_reason(editor, rich):
    q = question(rich.framework, "D1-C1.q1")
    other = question(rich.framework, "D1-C1.q2")
    response = editor.post(upload_url(rich), {"file": SimpleUploadedFile("x.pdf", b"<html>")})
    assert response.status_code == 302
    assert response["Location"] == page_url(rich) + f"#q{q.pk}-evidence"
    html = editor.get(response["Location"]).content.decode()
    assert f'id="q{q.pk}-evidence-error"' in html and "HTML, SVG and XML" in html
    assert f'id="q{other.pk}-evidence-error"' not in html
    # Beside the question only: no page banner, and nothing was stored.
    assert "There is a problem" not in html
    assert 'role="status">' not in html.split('<main id="main"')[1].split("<nav")[0]
    assert not Evidence.objects.exists()
    # Shown once: reloading the page no longer shows it.
    assert f'id="q{q.pk}-evidence-error"' not in editor.get(page_url(rich)).content.decode()


@pytest.mark.parametrize("already_attached", [1, 6])
def test_an_in_place_link_costs_the_same_queries_whatever_the_evidence_attached(
    editor, rich, already_attached, django_assert_num_queries
):
    # The block is redrawn from one read of the question's evidence, not one per item.
    q = question(rich.framework, "D1-C1.q1")
    link_url = reverse("evidence_link", args=[rich.pk, q.ref])
    for number in range(already_attached):
        editor.post(link_url, {"url": f"https://wiki.example.org/page-{number}"}, **HTMX)
    with django_assert_num_queries(QUERIES_PER_IN_PLACE_LINK):
        response = editor.post(link_url, {"url": "https://wiki.example.org/last"}, **HTMX)
    links = response.content.decode().count('<a href="https://wiki.example.org/')
    assert links == already_attached + 1
    assert Evidence.objects.filter(assessment=rich).count() == already_attached + 1


# Read off the statements once and checked by hand: session, user, assessment, membership,
# question; savepoint, the locked assessment row, the finalised-guard check, the insert, its
# audit event, release; the block's one read of the evidence; the session's idle-timeout
# save in its own savepoint (3).
QUERIES_PER_IN_PLACE_LINK = 15
