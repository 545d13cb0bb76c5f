"""The per-question history: every change, who made it and when, old → new."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.services.answers import AnswerInput, save_answers
from tests.questionnaire.helpers import question

pytestmark = pytest.mark.django_db


def history_url(assessment, ref):
    return reverse("answer_history", args=[assessment.pk, ref])


def test_history_lists_each_change_with_author_and_values(client, viewer, owner, assessor, rich):
    q = question(rich.framework, "D1-C1.q2")
    save_answers(assessment=rich, user=owner, submitted=[AnswerInput(q, "None", version=0)])
    save_answers(
        assessment=rich,
        user=assessor,
        submitted=[AnswerInput(q, "All", comment="Now everywhere.", version=1)],
    )
    client.force_login(viewer)
    html = client.get(history_url(rich, q.ref)).content.decode()
    assert "<del>None</del> → <ins>All</ins>" in html
    assert "Comment: <del>—</del> → <ins>Now everywhere.</ins>" in html
    assert "assessor@acme.example" in html and "owner@acme.example" in html
    assert html.index("<ins>All</ins>") < html.index("<ins>None</ins>")  # newest first
    assert '<th scope="col">Who</th>' in html


def test_history_of_unknown_question_is_404(client, owner, rich):
    client.force_login(owner)
    assert client.get(history_url(rich, "NOPE")).status_code == 404


def test_outsider_gets_404_for_history(client, outsider, rich):
    client.force_login(outsider)
    assert client.get(history_url(rich, "D1-C1.q1")).status_code == 404
