"""A stored snapshot's result is parsed once per process: snapshots never change."""

import pytest

from assessments.models import ScoreSnapshot
from assessments.scoring import results_for, snapshot_result, take_snapshot
from scorecard.scoring.serialize import result_from_dict
from tests.scoring_service.conftest import answer_all, finalise

pytestmark = pytest.mark.django_db


def test_the_same_snapshot_is_parsed_once_and_equals_a_fresh_parse(assessment):
    answer_all(assessment)
    snapshot = take_snapshot(assessment=assessment)
    first = snapshot_result(ScoreSnapshot.objects.get(pk=snapshot.pk))
    again = snapshot_result(ScoreSnapshot.objects.get(pk=snapshot.pk))
    assert again is first
    assert first == result_from_dict(snapshot.result)


def test_a_list_reads_the_cached_parse_of_the_newest_snapshot(assessment):
    answer_all(assessment)
    snapshot = take_snapshot(assessment=assessment)
    finalised = finalise(assessment)
    listed = results_for([finalised])[finalised.pk]
    assert listed is snapshot_result(ScoreSnapshot.objects.get(pk=snapshot.pk))
    assert results_for([finalised])[finalised.pk] is listed


def test_another_snapshot_of_the_assessment_is_parsed_on_its_own(assessment):
    answer_all(assessment)
    older = take_snapshot(assessment=assessment)
    newer = take_snapshot(assessment=assessment, reason="rescore", supersedes=older)
    assert snapshot_result(older) is not snapshot_result(newer)
    assert results_for([finalise(assessment)])[assessment.pk] is snapshot_result(newer)
