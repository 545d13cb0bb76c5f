"""Each submission stores the answer set it handed to the reviewers, and its hash; the
audit event of the submission records that hash."""

from __future__ import annotations

import hashlib

import pytest

from assessments.models import Answer, AuditEvent, Submission
from assessments.services import evidence as evidence_service
from assessments.services import workflow
from assessments.services.answers import AnswerInput, save_answers
from tests.workflow.helpers import question

pytestmark = pytest.mark.django_db

# The canonical JSON of the answer set built in `answered` below, written out by hand:
# keys sorted, no spaces; the answer's content fields and its evidence.
EXPECTED_JSON = (
    '{"D1-C1.q1":{"comment":"Why","evidence":[{"description":"Policy","filename":"",'
    '"kind":"link","sha256":"","url":"https://example.org/p"}],"justification":"",'
    '"na":false,"number":null,"option_label":"Partial","text":"","value":0.5}}'
)


@pytest.fixture
def answered(assessment, owner):
    q1 = question(assessment, "D1-C1.q1")
    Answer.objects.create(
        assessment=assessment, question=q1, option_label="Partial", value=0.5, comment="Why"
    )
    evidence_service.add_link(
        assessment=assessment,
        question=q1,
        user=owner,
        url="https://example.org/p",
        description="Policy",
    )
    return assessment


def test_a_submission_stores_the_answer_set_and_its_hash(answered, owner):
    workflow.submit(assessment=answered, user=owner)
    submission = Submission.objects.get(assessment=answered)
    assert submission.sequence == 1
    assert submission.submitted_by == owner
    assert submission.answers == {
        "D1-C1.q1": {
            "option_label": "Partial",
            "value": 0.5,
            "number": None,
            "text": "",
            "na": False,
            "justification": "",
            "comment": "Why",
            "evidence": [
                {
                    "kind": "link",
                    "filename": "",
                    "url": "https://example.org/p",
                    "description": "Policy",
                    "sha256": "",
                }
            ],
        }
    }
    assert submission.answer_set_hash == hashlib.sha256(EXPECTED_JSON.encode()).hexdigest()


def test_the_audit_event_of_the_submission_records_the_answer_set_hash(answered, owner):
    workflow.submit(assessment=answered, user=owner)
    event = AuditEvent.objects.get(action="assessment.submitted")
    assert event.data["answer_set_hash"] == hashlib.sha256(EXPECTED_JSON.encode()).hexdigest()
    assert event.data["submission"] == 1


def _resubmit(assessment, owner, auditor):
    workflow.add_comment(
        assessment=assessment,
        question=question(assessment, "D1-C1.q1"),
        user=auditor,
        body="Check it.",
    )
    workflow.return_to_draft(assessment=assessment, user=auditor, message="Look again.")


def test_the_hash_stays_when_nothing_changed_between_submissions(answered, owner, auditor):
    workflow.submit(assessment=answered, user=owner)
    _resubmit(answered, owner, auditor)
    workflow.submit(assessment=answered, user=owner)
    first, second = Submission.objects.filter(assessment=answered).order_by("sequence")
    assert second.sequence == 2
    assert first.answer_set_hash == second.answer_set_hash


def test_the_hash_changes_when_one_answer_changes(answered, owner, auditor):
    workflow.submit(assessment=answered, user=owner)
    _resubmit(answered, owner, auditor)
    q1 = question(answered, "D1-C1.q1")
    save_answers(
        assessment=answered,
        user=owner,
        submitted=[AnswerInput(question=q1, option_label="Partial", comment="Why not")],
    )
    workflow.submit(assessment=answered, user=owner)
    first, second = Submission.objects.filter(assessment=answered).order_by("sequence")
    changed = EXPECTED_JSON.replace('"comment":"Why"', '"comment":"Why not"')
    assert second.answer_set_hash == hashlib.sha256(changed.encode()).hexdigest()
    assert first.answer_set_hash != second.answer_set_hash


def test_the_reviewer_who_opens_the_review_is_kept_on_the_submission(answered, owner, auditor):
    workflow.submit(assessment=answered, user=owner)
    assert Submission.objects.get().review_started_by is None
    workflow.add_comment(
        assessment=answered, question=question(answered, "D1-C1.q2"), user=auditor, body="?"
    )
    workflow.add_comment(
        assessment=answered, question=question(answered, "D1-C2.q1"), user=owner, body="!"
    )
    submission = Submission.objects.get()
    assert submission.review_started_by == auditor
    assert submission.review_started_at is not None
