"""Nothing changes or deletes a stored score snapshot, below the ORM too; a rescore adds one."""

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Answer, Assessment, AssessmentStatus, ScoreSnapshot
from assessments.scoring import rescore_finalised, take_snapshot
from tests.factories import make_assessment
from tests.guarantees.conftest import SNAPSHOT_REFUSED, raw, refused, row_of, table
from tests.scoring_service.conftest import answer_all

pytestmark = pytest.mark.django_db


def test_raw_update_of_a_snapshot_is_refused(finalised):
    snapshot = finalised.snapshot
    before = row_of(ScoreSnapshot, snapshot.pk)
    with refused(SNAPSHOT_REFUSED):
        raw(
            f"UPDATE {table(ScoreSnapshot)} SET result_hash = %s WHERE id = %s",  # noqa: S608
            ["0" * 64, snapshot.pk],
        )
    with refused(SNAPSHOT_REFUSED):
        raw(f"UPDATE {table(ScoreSnapshot)} SET reason = 'edited' WHERE id = %s", [snapshot.pk])  # noqa: S608
    assert row_of(ScoreSnapshot, snapshot.pk) == before


def test_raw_delete_of_a_snapshot_is_refused(finalised):
    with refused(SNAPSHOT_REFUSED):
        raw(f"DELETE FROM {table(ScoreSnapshot)} WHERE id = %s", [finalised.snapshot.pk])  # noqa: S608
    assert ScoreSnapshot.objects.filter(pk=finalised.snapshot.pk).exists()


def test_orm_writes_to_a_snapshot_are_refused(finalised):
    snapshot = finalised.snapshot
    before = row_of(ScoreSnapshot, snapshot.pk)
    with refused(SNAPSHOT_REFUSED):
        ScoreSnapshot.objects.filter(pk=snapshot.pk).update(reason="edited")
    with refused(SNAPSHOT_REFUSED):
        ScoreSnapshot._base_manager.filter(pk=snapshot.pk).update(result={})
    with refused(SNAPSHOT_REFUSED):
        ScoreSnapshot.objects.filter(pk=snapshot.pk).delete()
    with pytest.raises(ValidationError, match="never changed"):
        snapshot.save()
    with pytest.raises(ValidationError, match="never deleted"):
        snapshot.delete()
    assert row_of(ScoreSnapshot, snapshot.pk) == before


def test_an_assessment_with_a_stored_score_cannot_be_deleted(organisation, framework):
    # Deleting it would delete its snapshot, which nothing may do.
    draft = make_assessment(organisation, framework)
    answer_all(draft)
    snapshot = take_snapshot(assessment=draft)
    with refused(SNAPSHOT_REFUSED):
        draft.delete()
    assert ScoreSnapshot.objects.filter(pk=snapshot.pk).exists()
    assert Assessment.objects.filter(pk=draft.pk).exists()


def test_rescoring_adds_a_snapshot_and_leaves_the_old_one(organisation, framework):
    # A snapshot taken before an answer changed, then finalised: the rescore finds it stale.
    assessment = make_assessment(organisation, framework)
    answer_all(assessment)
    old = take_snapshot(assessment=assessment)
    Answer.objects.filter(assessment=assessment, question__ref="D1-C1.q1").update(
        option_label="Optimised", value=1.0
    )
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.FINALISED)
    before = row_of(ScoreSnapshot, old.pk)
    created = rescore_finalised(framework=framework)
    assert [(s.reason, s.supersedes_id) for s in created] == [("rescore", old.pk)]
    assert row_of(ScoreSnapshot, old.pk) == before
    assert ScoreSnapshot.objects.filter(assessment=assessment).count() == 2
