"""Scoring against the database: loading a large catalog, and rescoring many assessments.

The engine alone on 1,000 controls / 3,000 questions is measured in test_engine_bench.py;
these add the queries, the (de)serialisation and the snapshot writes around it.
Run with `make bench` (--benchmark-only); the assertions only check sanity and the one
hard limit: rescoring 1,000 finalised assessments must finish within a minute.
"""

import time

import pytest

from assessments.models import AISystem, Answer, Assessment, AssessmentStatus, ScoreSnapshot
from assessments.scoring import rescore_finalised, score_assessment
from scorecard.loader import clear_catalog_cache, load_catalog
from scorecard.models import Question
from tests.factories import make_assessment, make_framework, make_organisation
from tests.scoring_service.conftest import answer_all

pytest.importorskip("pytest_benchmark")
pytestmark = pytest.mark.django_db

RESCORE_ASSESSMENTS = 1000
RESCORE_LIMIT_SECONDS = 60.0


@pytest.fixture
def large(db):
    """1,000 controls and 3,000 questions in 10 domains, with one fully answered draft."""
    framework = make_framework(
        slug="large", domains=10, controls_per_domain=100, questions_per_control=3
    )
    assessment = make_assessment(make_organisation(), framework)
    answer_all(assessment)
    return Assessment.objects.select_related("framework").get(pk=assessment.pk)


def test_load_and_score_1000_controls_cold(benchmark, large):
    def cold():
        clear_catalog_cache()
        return score_assessment(large)

    result = benchmark(cold)

    assert len(result.controls) == 1000
    assert result.applicable_questions == 3000


def test_score_1000_controls_with_cached_catalog(benchmark, large):
    load_catalog(large.framework)

    result = benchmark(score_assessment, large)

    assert result.completeness == 100.0


def _finalised_population(framework, count):
    """`count` answered, finalised assessments, each with a stale snapshot to supersede."""
    organisation = make_organisation()
    questions = list(
        Question.objects.filter(framework=framework).order_by("pk").values_list("pk", "type")
    )
    labels = {"scale": [("Ad hoc", 0.25), ("Established", 0.75)], "yes_no": [("Yes", 1.0)],
              "choice": [("Some", 0.5), ("All", 1.0)]}  # fmt: skip
    systems = AISystem.objects.bulk_create(
        AISystem(organisation=organisation, name=f"System {i}") for i in range(count)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(organisation=organisation, framework=framework, title=f"System {i}",
                   system=systems[i], personas=["personaBuilder"] if i % 2 else [])
        for i in range(count)
    )  # fmt: skip
    rows = []
    for i, assessment in enumerate(assessments):
        for j, (qid, qtype) in enumerate(questions):
            if (i + j) % 11 == 0:
                continue  # some questions left unanswered
            label, value = labels[qtype][(i + j) % len(labels[qtype])]
            rows.append(Answer(assessment=assessment, question_id=qid, option_label=label,
                               value=value))  # fmt: skip
    Answer.objects.bulk_create(rows, batch_size=5000)
    Assessment.objects.filter(pk__in=[a.pk for a in assessments]).update(
        status=AssessmentStatus.FINALISED
    )
    ScoreSnapshot.objects.bulk_create(
        ScoreSnapshot(assessment=a, methodology_version="0.9", catalog_hash="0" * 64,
                      result_hash="0" * 64, result={"format": "scorecard-result/0"})
        for a in assessments
    )  # fmt: skip
    return len(rows)


def test_rescore_1000_finalised_assessments(benchmark):
    # About three times the bundled catalog: 100 controls, 300 questions.
    framework = make_framework(
        slug="rescore", domains=10, controls_per_domain=10, questions_per_control=3
    )
    answers = _finalised_population(framework, RESCORE_ASSESSMENTS)
    assert answers > 250_000

    started = time.perf_counter()
    created = benchmark.pedantic(
        rescore_finalised, kwargs={"framework": framework}, rounds=1, iterations=1
    )
    elapsed = time.perf_counter() - started

    assert len(created) == RESCORE_ASSESSMENTS
    assert elapsed < RESCORE_LIMIT_SECONDS
    # Nothing changed since: the second pass reads and compares, and adds nothing.
    started = time.perf_counter()
    assert rescore_finalised(framework=framework) == []
    benchmark.extra_info["second_pass_seconds"] = round(time.perf_counter() - started, 2)
    benchmark.extra_info["answers"] = answers
