"""Submission snapshots: the answer set a team handed to its reviewers, one per submit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.models.assessment import (
    ASSESSMENT_PART_FROZEN,
    AssessmentPart,
    AssessmentPartQuerySet,
)
from scorecard.models import triggers

USER = settings.AUTH_USER_MODEL


class SubmissionQuerySet(AssessmentPartQuerySet):
    def latest_for(self, assessment) -> Submission | None:
        return (
            self.filter(assessment=assessment)
            .select_related("submitted_by", "review_started_by")
            .order_by("-sequence")
            .first()
        )


class Submission(AssessmentPart):
    """What the team handed to its reviewers: the answer set at one "Submit for review".

    `answers` maps each question ref to its answer's content (Answer.CONTENT_FIELDS) and its
    evidence; `answer_set_hash` is the SHA-256 of that mapping as canonical JSON
    (assessments/services/submissions.py), also written into the submission's audit event.
    The review diff compares a submission with the one before it.
    """

    # What a snapshot keeps of each piece of evidence: enough to say what was added or removed.
    EVIDENCE_FIELDS = ("kind", "filename", "url", "description", "sha256")

    sequence = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField(default=dict)
    answer_set_hash = models.CharField(max_length=64)
    # Who opened the review (the first reviewer comment) and when: the "who holds it" banner.
    review_started_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_started_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "sequence"], name="one_submission_per_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"Submission {self.sequence} of {self.assessment_id}"


# Like every other part of the assessment, fixed once it is finalised.
triggers.protect(ASSESSMENT_PART_FROZEN, Submission)
