"""Fixtures of the scoring-service tests: a catalog cache emptied around every test."""

import pytest

from assessments.models import Answer, Assessment, AssessmentStatus
from scorecard.loader import clear_catalog_cache
from scorecard.models import Option, Question, ScaleOption


@pytest.fixture(autouse=True)
def _fresh_catalog_cache():
    clear_catalog_cache()
    yield
    clear_catalog_cache()


def answer_all(assessment, *, skip=(), na=(), pick=lambda i, options: options[i % len(options)]):
    """Answer every question of the assessment's framework with bulk writes.

    Questions in `skip` stay unanswered, those in `na` are N/A; the rest get an option chosen
    by `pick(index, [(label, value), ...])`, or a number/text for unscored types.
    """
    framework = assessment.framework
    scale = list(ScaleOption.objects.filter(framework=framework).values_list("label", "value"))
    choices: dict[int, list] = {}
    for qid, label, value in Option.objects.filter(framework=framework).values_list(
        "question_id", "label", "value"
    ):
        choices.setdefault(qid, []).append((label, value))
    rows = []
    for i, question in enumerate(Question.objects.filter(framework=framework).order_by("pk")):
        if question.ref in skip:
            continue
        if question.ref in na:
            rows.append(
                Answer(
                    assessment=assessment,
                    question=question,
                    na=True,
                    justification="Out of scope for this system.",
                )
            )
            continue
        if question.type == "number":
            rows.append(Answer(assessment=assessment, question=question, number=float(i)))
            continue
        if question.type == "text":
            rows.append(Answer(assessment=assessment, question=question, text=f"Note {i}"))
            continue
        options = {
            "scale": scale,
            "yes_no": [("Yes", 1.0), ("No", 0.0)],
            "choice": choices.get(question.pk, []),
        }[question.type]
        label, value = pick(i, options)
        rows.append(
            Answer(assessment=assessment, question=question, option_label=label, value=value)
        )
    Answer.objects.bulk_create(rows)
    return rows


def finalise(assessment):
    """Mark finalised the way the workflow leaves it (its guards are tested elsewhere)."""
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.FINALISED)
    return Assessment.objects.select_related("framework").get(pk=assessment.pk)
