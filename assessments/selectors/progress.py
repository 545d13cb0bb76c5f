"""Progress of assessments, as every page shows it: the engine decides what counts
(scored questions of the controls that apply to the assessment's personas; an option or N/A
is an answer), so the questionnaire, the overview and "My work" always agree."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from assessments.models import Answer, Assessment
from assessments.scoring import engine_answers
from scorecard import scoring
from scorecard.loader import load_catalog
from scorecard.models import Domain


def assessment_progress(
    assessment: Assessment,
    answers: list[scoring.Answer] | None = None,
    scope: scoring.Scope | None = None,
) -> tuple[scoring.Progress, dict[str, scoring.Progress]]:
    """Overall and per top-level domain id; reads the answers unless given (one query).

    The scope is the assessment's own unless given: a page showing a stored score passes
    the scope that score was made with, so its progress counts the same controls."""
    if answers is None:
        answers = engine_answers(assessment)
    return scoring.progress(
        load_catalog(assessment.framework),
        assessment.scope if scope is None else scope,
        scoring.answered_ids(answers),
    )


def domain_progress(
    pairs: Iterable[tuple[Assessment, Domain]],
) -> dict[tuple[object, int], scoring.Progress]:
    """Progress under each (assessment, top-level domain) pair, as the questionnaire shows it.

    The engine decides what counts (scored questions of the controls that apply to the
    assessment's personas; an option or N/A is an answer), so "My work" and the
    questionnaire always agree. One query for the answers, plus the catalogs (cached).
    """
    pairs = list(pairs)
    if not pairs:
        return {}
    answers: dict[object, list[scoring.Answer]] = defaultdict(list)
    for assessment_id, ref, value, na in Answer.objects.filter(
        assessment_id__in={a.pk for a, _ in pairs}
    ).values_list("assessment_id", "question__ref", "value", "na"):
        answers[assessment_id].append(scoring.stored_answer(ref, value, na))
    per_assessment: dict[object, dict[str, scoring.Progress]] = {}
    result = {}
    for assessment, domain in pairs:
        if assessment.pk not in per_assessment:
            _, per_assessment[assessment.pk] = assessment_progress(
                assessment, answers[assessment.pk]
            )
        result[(assessment.pk, domain.pk)] = per_assessment[assessment.pk].get(
            domain.ref, scoring.Progress(0, 0)
        )
    return result
