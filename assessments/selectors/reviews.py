"""Reads of review threads: the review page, the questionnaire's comment partials, the
finalise check. A thread is a top-level comment; its replies share its resolved state."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from assessments.models import Assessment, ReviewComment
from scorecard.models import Question


def commentable_question(assessment: Assessment, ref: str) -> Question | None:
    """A question of the assessment's own catalog version (the only ones open to comment)."""
    return Question.objects.filter(framework_id=assessment.framework_id, ref=ref).first()


def open_threads(assessment: Assessment) -> QuerySet[ReviewComment]:
    """Unresolved top-level comments, with what the finalise page prints of them."""
    return ReviewComment.objects.filter(
        assessment=assessment, parent__isnull=True, resolved=False
    ).select_related("question", "author")


def open_thread_count(assessment: Assessment) -> int:
    return ReviewComment.objects.filter(
        assessment=assessment, parent__isnull=True, resolved=False
    ).count()


def review_threads(assessment: Assessment) -> dict[int | None, list[ReviewComment]]:
    """Top-level comments by question id (None: general comments), replies prefetched.

    The questionnaire page hands `threads.get(question.pk, [])` to
    `assessments/workflow/_question_comments.html`. Two queries, whatever the size.
    """
    replies = ReviewComment.objects.select_related("author")
    threads: dict[int | None, list[ReviewComment]] = defaultdict(list)
    comments = (
        ReviewComment.objects.filter(assessment=assessment, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )
    for comment in comments:
        threads[comment.question_id].append(comment)
    return dict(threads)


@dataclass(frozen=True)
class ReviewPage:
    general: list[ReviewComment]
    # Questions in catalog order, each with `review_comments` (its threads) and
    # `in_catalog` (False for a question of the catalog version before an upgrade).
    questions: list[Question]
    open_count: int


def review_page(assessment: Assessment) -> ReviewPage:
    """Every thread of the assessment, general notes first, then by question in catalog order."""
    threads = review_threads(assessment)
    general = threads.pop(None, [])
    questions = list(
        Question.objects.filter(pk__in=threads)
        .select_related("control__domain")
        .order_by("framework_id", "control__domain__position", "control__position", "position")
    )
    for question in questions:
        question.review_comments = threads[question.pk]
        question.in_catalog = question.framework_id == assessment.framework_id
    open_count = sum(
        not comment.resolved for comments in [general, *threads.values()] for comment in comments
    )
    return ReviewPage(general=general, questions=questions, open_count=open_count)
