"""What a team hands to its reviewers: a snapshot of the answer set at each submission.

The snapshot maps every question ref that has an answer or evidence to the answer's content
(`Answer.CONTENT_FIELDS`, by model field name) and its evidence list. Its hash is the SHA-256
of the canonical JSON of that mapping (keys sorted, no spaces, UTF-8), so two submissions
with the same answers and evidence have the same hash, whoever submitted them and when. The
submission's audit event records that hash, and the review diff compares snapshots.
"""

from __future__ import annotations

import hashlib
import json

from django.db.models import Max
from django.utils import timezone

from assessments.models import Answer, Assessment, Evidence, Submission

EVIDENCE_FIELDS = Submission.EVIDENCE_FIELDS


def canonical_json(data) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def answer_set_hash(answers: dict) -> str:
    return hashlib.sha256(canonical_json(answers)).hexdigest()


def answer_set(assessment: Assessment) -> dict[str, dict]:
    """ref -> {content fields..., "evidence": [...]}: two queries, whatever the size."""
    snapshot: dict[str, dict] = {}
    for answer in Answer.objects.filter(assessment=assessment).select_related("question"):
        snapshot[answer.question.ref] = {**answer.content(), "evidence": []}
    empty = {name: getattr(Answer(), name) for name in Answer.CONTENT_FIELDS}
    for item in Evidence.objects.filter(assessment=assessment).select_related("question"):
        entry = snapshot.setdefault(item.question.ref, {**empty, "evidence": []})
        entry["evidence"].append({name: getattr(item, name) for name in EVIDENCE_FIELDS})
    for entry in snapshot.values():
        # Sorted, so the order files were uploaded in never changes the hash.
        entry["evidence"].sort(key=lambda e: [e[name] for name in EVIDENCE_FIELDS])
    return snapshot


def record_submission(*, assessment: Assessment, user) -> Submission:
    """Store the answer set as the assessment's next submission. Call on the locked row."""
    answers = answer_set(assessment)
    last = Submission.objects.filter(assessment=assessment).aggregate(n=Max("sequence"))["n"]
    return Submission.objects.create(
        assessment=assessment,
        sequence=(last or 0) + 1,
        submitted_by=user,
        submitted_at=assessment.submitted_at or timezone.now(),
        answers=answers,
        answer_set_hash=answer_set_hash(answers),
    )


def note_review_started(*, assessment: Assessment, user, at) -> None:
    """The reviewer who opened the review of the latest submission, for the banner."""
    latest = Submission.objects.filter(assessment=assessment).order_by("-sequence")[:1]
    Submission.objects.filter(pk__in=list(latest.values_list("pk", flat=True))).update(
        review_started_by=user, review_started_at=at
    )
