"""Scoring assessments: live scores, snapshots of finalised ones, and what screens read."""

import dataclasses

import pytest

import assessments.scoring as service
from assessments.models import Answer, Assessment, ScoreSnapshot
from assessments.scoring import (
    current_result,
    score_assessment,
    snapshot_differs,
    snapshot_is_intact,
    take_snapshot,
)
from scorecard import scoring
from scorecard.loader import catalog_hash, load_catalog
from scorecard.models import Question
from scorecard.scoring.serialize import result_from_dict, result_hash, result_to_dict
from tests.factories import make_assessment, make_framework, make_organisation
from tests.scoring_service.conftest import answer_all, finalise

pytestmark = pytest.mark.django_db


def _highest(i, options):
    return max(options, key=lambda o: o[1])


def test_score_uses_answer_values_na_and_personas(assessment):
    answer_all(assessment, skip={"D2-C1.q1"}, na={"D1-C1.q2"})
    # A value left behind on an N/A answer must not count: N/A wins.
    Answer.objects.filter(assessment=assessment, question__ref="D1-C1.q2").update(value=0.5)
    assessment.personas = ["personaUser"]
    assessment.save()

    result = score_assessment(assessment)

    expected_answers = [
        scoring.Answer(ref, None if na else value, na)
        for ref, value, na in Answer.objects.filter(assessment=assessment).values_list(
            "question__ref", "value", "na"
        )
    ]
    assert result == scoring.score(
        load_catalog(assessment.framework), expected_answers, ("personaUser",)
    )
    # Odd controls belong to the builder persona only, so a user scope leaves them out.
    assert sorted(result.controls) == ["D1-C1", "D2-C1"]
    terms = {t.id: t for t in result.controls["D1-C1"].explanation}
    assert terms["D1-C1.q2"].reason == "N/A"
    assert {t.id: t.reason for t in result.controls["D2-C1"].explanation}["D2-C1.q1"] == (
        "unanswered (counts as 0)"
    )
    assert result.personas == ("personaUser",)


def test_draft_is_scored_live(assessment):
    answer_all(assessment, pick=_highest)
    assert current_result(assessment).overall == 100.0

    Answer.objects.filter(assessment=assessment, question__ref="D1-C1.q1").update(
        option_label="Not started", value=0.0
    )

    assert current_result(assessment).overall < 100.0


def test_snapshot_stores_the_full_result_with_its_fingerprints(assessment):
    answer_all(assessment)
    live = score_assessment(assessment)

    snapshot = take_snapshot(assessment=assessment)

    stored = ScoreSnapshot.objects.get(pk=snapshot.pk)
    assert stored.reason == "finalised"
    assert stored.supersedes is None
    assert stored.methodology_version == scoring.METHODOLOGY_VERSION
    assert stored.catalog_hash == catalog_hash(assessment.framework)
    assert stored.result_hash == result_hash(live)
    assert result_from_dict(stored.result) == live
    assert snapshot_is_intact(stored)
    assert not snapshot_differs(stored, live)


def test_finalised_assessment_reads_its_snapshot_not_the_answers(assessment, monkeypatch):
    answer_all(assessment)
    live = score_assessment(assessment)
    take_snapshot(assessment=assessment)
    finalised = finalise(assessment)

    def no_live_scoring(_assessment):
        raise AssertionError("a finalised assessment must not be rescored on display")

    monkeypatch.setattr(service, "score_assessment", no_live_scoring)
    shown = current_result(finalised)

    # A report built from the snapshot prints exactly the live numbers of finalisation.
    assert shown == live
    assert shown.to_json_scores() == live.to_json_scores()
    for cid, control in live.controls.items():
        assert scoring.format_score(shown.controls[cid].score) == scoring.format_score(
            control.score
        )
    assert [g.control for g in shown.gaps] == [g.control for g in live.gaps]
    assert shown.explain("control", "D1-C1") == live.explain("control", "D1-C1")


def test_newest_snapshot_wins(assessment):
    answer_all(assessment)
    first = take_snapshot(assessment=assessment)
    other = dataclasses.replace(score_assessment(assessment), overall=12.5)
    newer = take_snapshot(assessment=assessment, reason="rescore", supersedes=first, result=other)
    finalised = finalise(assessment)

    assert current_result(finalised).overall == 12.5
    assert ScoreSnapshot.objects.get(pk=newer.pk).supersedes_id == first.pk
    assert snapshot_differs(first, other)


def test_finalised_assessment_without_snapshot_is_scored_live(assessment):
    answer_all(assessment, pick=_highest)
    finalised = finalise(assessment)

    assert not finalised.snapshots.exists()
    assert current_result(finalised).overall == 100.0


def test_tampered_snapshot_is_detected(assessment):
    answer_all(assessment)
    snapshot = take_snapshot(assessment=assessment)
    document = result_to_dict(score_assessment(assessment))
    document["overall"] = 99.0
    forged = ScoreSnapshot.objects.create(
        assessment=assessment,
        methodology_version=snapshot.methodology_version,
        catalog_hash=snapshot.catalog_hash,
        result_hash=snapshot.result_hash,
        result=document,
    )

    assert snapshot_is_intact(snapshot)
    assert not snapshot_is_intact(forged)


@pytest.mark.parametrize(("domains", "controls_per_domain"), [(2, 10), (8, 50)])
def test_scoring_query_count_does_not_grow_with_the_catalog(
    domains, controls_per_domain, django_assert_max_num_queries
):
    framework = make_framework(
        domains=domains, controls_per_domain=controls_per_domain, questions_per_control=3
    )
    created = make_assessment(make_organisation(), framework)
    answer_all(created)
    assessment = Assessment.objects.get(pk=created.pk)
    questions = Question.objects.filter(framework=framework).count()

    # Cold cache: the framework row, the system row (its terms scope a 1.1 assessment),
    # eight catalog queries, one query for all answers.
    with django_assert_max_num_queries(11):
        result = score_assessment(assessment)
    assert result.applicable_questions == questions
    # Warm cache: the answers only.
    with django_assert_max_num_queries(1):
        score_assessment(assessment)
    # Snapshot: score, catalog fingerprint (scale and options), insert.
    with django_assert_max_num_queries(4):
        take_snapshot(assessment=assessment)
