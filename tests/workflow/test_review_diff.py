"""The review page shows, per question, what changed since the previous submission, and can
filter to the changed questions; a first submission says there is nothing to compare with."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.selectors.review_diff import QuestionChange, review_diff
from assessments.services import evidence as evidence_service
from assessments.services import workflow
from assessments.services.answers import AnswerInput, save_answers
from tests.factories import make_assessment, make_framework
from tests.workflow.helpers import answer_all, question

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_caches():
    from scorecard.loader import clear_catalog_cache

    clear_catalog_cache()
    yield
    clear_catalog_cache()


def returned(assessment, owner, auditor):
    """Submitted, reviewed and sent back: the team may change it again."""
    workflow.submit(assessment=assessment, user=owner)
    workflow.add_comment(
        assessment=assessment, question=question(assessment, "D1-C1.q1"), user=auditor, body="?"
    )
    workflow.return_to_draft(assessment=assessment, user=auditor, message="Please revisit.")


@pytest.fixture
def resubmitted(assessment, owner, auditor):
    """Two submissions; between them D1-C1.q1 changed answer and comment, D1-C1.q2 gained
    a link and D2-C1.q1 lost one."""
    answer_all(assessment, owner)
    old_link = evidence_service.add_link(
        assessment=assessment,
        question=question(assessment, "D2-C1.q1"),
        user=owner,
        url="https://example.org/old",
    )
    returned(assessment, owner, auditor)
    save_answers(
        assessment=assessment,
        user=owner,
        submitted=[
            AnswerInput(
                question=question(assessment, "D1-C1.q1"),
                option_label="Optimised",
                comment="Now automated",
                justification="Evidence of D1-C1.q1",
            )
        ],
    )
    evidence_service.add_link(
        assessment=assessment,
        question=question(assessment, "D1-C1.q2"),
        user=owner,
        url="https://example.org/new",
    )
    evidence_service.delete(evidence=old_link, user=owner)
    workflow.submit(assessment=assessment, user=owner)
    return assessment


def test_the_diff_lists_old_and_new_answer_comment_and_evidence(resubmitted):
    diff = review_diff(resubmitted)
    assert (diff.submission.sequence, diff.previous.sequence) == (2, 1)
    changed = {row.ref: row for row in diff.changed_rows}
    assert sorted(changed) == ["D1-C1.q1", "D1-C1.q2", "D2-C1.q1"]
    assert changed["D1-C1.q1"] == QuestionChange(
        ref="D1-C1.q1",
        text="Question 1 about Control D1-1?",
        domain="Domain 1",
        in_catalog=True,
        old="Partial",
        new="Optimised",
        old_comment="Why D1-C1.q1",
        new_comment="Now automated",
    )
    assert changed["D1-C1.q2"].evidence_added == ("https://example.org/new",)
    assert changed["D1-C1.q2"].answer_changed is False
    assert changed["D2-C1.q1"].evidence_removed == ("https://example.org/old",)
    # Every question of the submission is listed, changed or not, in catalog order.
    assert [row.ref for row in diff.rows][:4] == ["D1-C1.q1", "D1-C1.q2", "D1-C2.q1", "D1-C2.q2"]
    assert len(diff.rows) == 8


def test_the_review_page_shows_the_change_and_filters_to_changed_questions(
    client, resubmitted, auditor
):
    client.force_login(auditor)
    path = reverse("assessment_review", args=[resubmitted.pk])
    page = client.get(path).content.decode()
    assert "3 questions changed" in page
    assert "<del>Partial</del> → <ins>Optimised</ins>" in page
    assert "<del>Why D1-C1.q1</del> → <ins>Now automated</ins>" in page
    assert "Evidence added" in page and "https://example.org/new" in page
    assert "Evidence removed" in page and "https://example.org/old" in page
    assert f'href="{path}?changed=1#review-diff"' in page
    assert 'id="change-d1-c2q1"' in page  # unchanged, listed when showing all

    only = client.get(path, {"changed": "1"}).content.decode()
    assert 'id="change-d1-c1q1"' in only and 'id="change-d2-c1q1"' in only
    assert 'id="change-d1-c2q1"' not in only
    assert "Show all 8 questions" in only


def test_a_first_submission_says_there_is_nothing_to_compare_with(
    client, assessment, owner, auditor
):
    answer_all(assessment, owner)
    workflow.submit(assessment=assessment, user=owner)
    client.force_login(auditor)
    page = client.get(reverse("assessment_review", args=[assessment.pk])).content.decode()
    assert "This is the first submission: there is nothing earlier to compare with." in page
    assert "?changed=1" not in page
    assert review_diff(assessment).changed_rows == []


def test_a_never_submitted_assessment_says_so(client, assessment, owner):
    client.force_login(owner)
    page = client.get(reverse("assessment_review", args=[assessment.pk])).content.decode()
    assert "Nothing has been submitted for review yet." in page


@pytest.mark.parametrize("questions_per_control", [2, 6])
def test_review_page_queries_do_not_grow_with_the_answer_set(
    client, organisation, owner, auditor, questions_per_control, django_assert_num_queries
):
    framework = make_framework(
        slug=f"size-{questions_per_control}",
        domains=3,
        controls_per_domain=3,
        questions_per_control=questions_per_control,
    )
    assessment = make_assessment(organisation, framework, created_by=owner)
    answer_all(assessment, owner)
    returned(assessment, owner, auditor)
    workflow.submit(assessment=assessment, user=owner)
    client.force_login(auditor)
    # Session, user, assessment, membership; threads, replies, questions of the threads;
    # the two latest submissions and their questions; the navigation's memberships; the
    # session's save (savepoint, update, release).
    with django_assert_num_queries(13):
        response = client.get(reverse("assessment_review", args=[assessment.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="review-change') == 9 * questions_per_control
