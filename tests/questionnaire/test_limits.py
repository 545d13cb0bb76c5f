"""Limits shown, never silently applied: every text field names its maximum (with a live
counter from static/js/char-count.js), the browser is not told to cut it short, and the
server refuses what is too long with a message, writing nothing."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import AssessmentStatus, AuditEvent, Evidence, ReviewComment
from assessments.services import workflow
from assessments.services.guards import WorkflowError
from tests.questionnaire.helpers import (
    answers_snapshot,
    load_form,
    name,
    page_url,
    question,
)

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- shown -----------------------------------------------------------------------------------


def test_every_text_field_of_the_page_names_its_maximum_and_is_not_cut(editor, rich):
    text = question(rich.framework, "D1.1-C1.text")
    q = question(rich.framework, "D1-C1.q2")
    html = editor.get(page_url(rich)).content.decode()
    for field_id, limit in [
        (f"q{text.pk}-text", "20000"),
        (f"q{q.pk}-justification", "20000"),
        (f"q{q.pk}-comment", "20000"),
        (f"q{q.pk}-file-description", "300"),
        (f"q{q.pk}-url-description", "300"),
        (f"q{q.pk}-url", "1000"),
    ]:
        tag = re.search(rf'<(?:textarea|input)[^>]* id="{field_id}"[^>]*>', html).group(0)
        assert f'data-maxlength="{limit}"' in tag, tag
        assert f"{field_id}-limit" in tag  # aria-describedby names the hint
        assert " maxlength=" not in tag  # the browser would cut a pasted text silently
    assert f'<div class="form-text char-limit" id="q{q.pk}-comment-limit">' in html
    assert "Up to 20,000 characters." in html and "Up to 300 characters." in html
    assert "js/char-count.js" in html


def test_review_comment_and_reply_fields_name_their_maximum(client, assessment, auditor):
    q = question(assessment.framework, "D1-C1.q1")
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save(update_fields=["status"])
    comment = ReviewComment.objects.create(
        assessment=assessment, question=q, author=auditor, body="Evidence?"
    )
    client.force_login(auditor)
    html = client.get(reverse("assessment_review", args=[assessment.pk])).content.decode()
    for field_id in (f"comment-{q.pk}", f"reply-{comment.pk}"):
        tag = re.search(rf'<textarea[^>]* id="{field_id}"[^>]*>', html).group(0)
        assert 'data-maxlength="5000"' in tag and " maxlength=" not in tag
        assert f'<div class="form-text char-limit" id="{field_id}-limit">' in html
    assert "Up to 5,000 characters." in html


# --- refused ---------------------------------------------------------------------------------


@pytest.fixture
def in_review(assessment):
    assessment.status = AssessmentStatus.IN_REVIEW
    assessment.save(update_fields=["status"])
    return assessment


def test_a_6000_character_review_comment_is_refused_not_cut(client, in_review, auditor):
    client.force_login(auditor)
    response = client.post(
        reverse("review_comment_add", args=[in_review.pk, "D1-C1.q1"]),
        {"body": "x" * 6000, "next": page_url(in_review)},
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        "The comment is 6,000 characters long; the limit is 5,000. "
        "Shorten it and try again: nothing was saved."
    ]
    assert not ReviewComment.objects.exists()


def test_a_6000_character_reply_is_refused(client, in_review, auditor, owner):
    thread = ReviewComment.objects.create(
        assessment=in_review,
        question=question(in_review.framework, "D1-C1.q1"),
        author=auditor,
        body="Evidence?",
    )
    client.force_login(owner)
    response = client.post(
        reverse("review_comment_reply", args=[in_review.pk, thread.pk]), {"body": "y" * 6000}
    )
    assert messages_of(response) == [
        "The reply is 6,000 characters long; the limit is 5,000. "
        "Shorten it and try again: nothing was saved."
    ]
    assert ReviewComment.objects.count() == 1


def test_a_comment_of_exactly_5000_characters_is_kept_whole(client, in_review, auditor):
    client.force_login(auditor)
    client.post(
        reverse("review_comment_add", args=[in_review.pk, "D1-C1.q1"]), {"body": "z" * 5000}
    )
    assert len(ReviewComment.objects.get().body) == 5000


def test_the_workflow_service_refuses_an_over_long_comment_whole(in_review, auditor):
    """Callers that skip the form get the same refusal, never a shortened comment."""
    with pytest.raises(WorkflowError) as refused:
        workflow.add_comment(
            assessment=in_review,
            question=question(in_review.framework, "D1-C1.q1"),
            user=auditor,
            body="w" * 6000,
        )
    assert refused.value.message.startswith("The comment is 6,000 characters long")
    assert not ReviewComment.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="review").exists()


@pytest.mark.parametrize(
    ("ref", "part", "what"),
    [
        ("D1-C1.q2", "comment", "The comment"),
        ("D1.1-C1.text", "text", "The answer"),
    ],
)
def test_over_long_answer_text_is_refused_beside_the_question(editor, rich, ref, part, what):
    q = question(rich.framework, ref)
    data = load_form(editor, rich)
    data[name(q, part)] = "a" * 20_001
    before = answers_snapshot(rich)
    response = editor.post(page_url(rich), data)
    assert response.status_code == 200
    assert answers_snapshot(rich) == before
    html = response.content.decode()
    assert (
        f'<div class="invalid-feedback" id="q{q.pk}-{part}-error">{what} is 20,001 characters '
        "long; the limit is 20,000. Shorten it and try again: nothing was saved." in html
    )


def test_over_long_justification_is_refused(editor, rich):
    q = question(rich.framework, "D1-C1.q2")
    data = load_form(editor, rich)
    data[name(q, "choice")] = "na"
    data[name(q, "justification")] = "j" * 20_001
    before = answers_snapshot(rich)
    response = editor.post(page_url(rich), data)
    assert response.status_code == 200
    assert answers_snapshot(rich) == before
    assert "The justification is 20,001 characters long" in response.content.decode()


def test_over_long_evidence_description_is_refused(editor, rich, media_root):
    url = reverse("evidence_upload", args=[rich.pk, "D1-C1.q1"])
    response = editor.post(
        url,
        {"file": SimpleUploadedFile("notes.txt", b"Plain text.\n"), "description": "d" * 301},
        HTTP_HX_REQUEST="true",
    )
    assert not Evidence.objects.exists()
    assert "The description is 301 characters long; the limit is 300." in response.content.decode()


def test_over_long_link_is_refused(editor, rich):
    url = reverse("evidence_link", args=[rich.pk, "D1-C1.q1"])
    link = "https://wiki.example.org/" + "p" * 1000
    response = editor.post(url, {"url": link}, HTTP_HX_REQUEST="true")
    assert not Evidence.objects.exists()
    assert "The link is 1,025 characters long; the limit is 1,000." in response.content.decode()


# --- counted as the writer's counter counts ----------------------------------------------------


def test_line_breaks_count_once_as_the_counter_shows(client, in_review, auditor):
    """A browser sends a textarea's line break as CR LF; the counter (and the writer) count
    one character. 4,990 letters and 10 line breaks are 5,000 characters: accepted, whole."""
    body = ("x" * 498 + "\r\n") * 10 + "z" * 10  # 4,980 + 10 letters, 10 breaks
    client.force_login(auditor)
    client.post(reverse("review_comment_add", args=[in_review.pk, "D1-C1.q1"]), {"body": body})
    stored = ReviewComment.objects.get().body
    assert len(stored) == 5010  # whole: 4,990 letters and 10 two-character breaks
    assert stored.endswith("\r\nzzzzzzzzzz")


def test_one_character_over_with_line_breaks_is_refused(client, in_review, auditor):
    body = ("x" * 500 + "\r\n") * 10 + "y"  # 5,000 letters, 10 breaks, 1 more: 5,011
    client.force_login(auditor)
    response = client.post(
        reverse("review_comment_add", args=[in_review.pk, "D1-C1.q1"]), {"body": body}
    )
    assert messages_of(response)[0].startswith("The comment is 5,011 characters long")
    assert not ReviewComment.objects.exists()


def test_the_answers_service_refuses_an_over_long_comment(rich, assessor):
    from assessments.models import Answer
    from assessments.services.answers import AnswerInput, AnswersRejected, save_answers

    q = question(rich.framework, "D1-C1.q1")
    with pytest.raises(AnswersRejected) as refused:
        save_answers(
            assessment=rich,
            user=assessor,
            submitted=[AnswerInput(question=q, comment="c" * 20_001)],
        )
    assert refused.value.by_question == {
        q.pk: [
            "DM1-1.1 (D1-C1.q1): the comment is 20,001 characters long; the limit is 20,000. "
            "Shorten it and try again: nothing was saved."
        ]
    }
    assert not Answer.objects.filter(assessment=rich).exists()
