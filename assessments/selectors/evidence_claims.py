"""The answers of an assessment with whether each question has evidence, in one query.

The scorecard's list of claims without the evidence an autonomy level expects needs both;
reading them together keeps it to one query, and a draft's live score reuses the answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from assessments.models import Answer, Assessment, Evidence
from scorecard import scoring


@dataclass(frozen=True)
class AnswersWithEvidence:
    answers: tuple[scoring.Answer, ...]
    # Ids (refs) of the answered questions with at least one piece of evidence.
    evidenced: frozenset[str]
    # The text of every answered question, by id, for naming the claiming questions.
    texts: dict[str, str]


def answers_with_evidence(assessment: Assessment) -> AnswersWithEvidence:
    """The stored answers as the engine sees them, and which of them have evidence.

    Evidence on a question nobody answered cannot back a claim, so answers are enough. A
    finalised assessment's answers and evidence are frozen, so this is what was signed off.
    """
    attached = Evidence.objects.filter(
        assessment_id=assessment.pk, question_id=OuterRef("question_id")
    )
    rows = (
        Answer.objects.filter(assessment=assessment)
        .annotate(evidenced=Exists(attached))
        .values_list("question__ref", "question__text", "value", "na", "evidenced")
    )
    answers, evidenced, texts = [], set(), {}
    for ref, text, value, na, has_evidence in rows:
        answers.append(scoring.stored_answer(ref, value, na))
        texts[ref] = text
        if has_evidence:
            evidenced.add(ref)
    return AnswersWithEvidence(tuple(answers), frozenset(evidenced), texts)
