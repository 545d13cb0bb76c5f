"""Rescoring finalised assessments adds snapshots beside the old ones and never edits them."""

import dataclasses
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

import scorecard.scoring
from assessments.models import Answer, ScoreSnapshot
from assessments.scoring import (
    current_result,
    rescore_finalised,
    score_assessment,
    take_snapshot,
)
from assessments.tasks import rescore_framework
from tests.factories import make_assessment, make_framework
from tests.scoring_service.conftest import answer_all, finalise

pytestmark = pytest.mark.django_db


def _raw_row(snapshot_id):
    """The stored row exactly as the database holds it, JSON text included."""
    table = ScoreSnapshot._meta.db_table
    # Cast to text on PostgreSQL so the JSON is compared as stored bytes, not as parsed data.
    result = "result::text" if connection.vendor == "postgresql" else "result"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {result}, result_hash, catalog_hash, methodology_version, reason, "  # noqa: S608
            f"created_at, supersedes_id FROM {table} WHERE id = %s",
            [snapshot_id],
        )
        row = cursor.fetchone()
    assert isinstance(row[0], str)
    return row


@pytest.fixture
def stale(assessment):
    """A finalised assessment whose snapshot no longer matches what the engine computes now,
    as after a change to the engine: the snapshot was taken with different answers."""
    answer_all(assessment)
    old = take_snapshot(assessment=assessment)
    Answer.objects.filter(assessment=assessment, question__ref="D1-C1.q1").update(
        option_label="Optimised", value=1.0
    )
    return finalise(assessment), old


def test_unchanged_result_adds_no_snapshot(assessment):
    answer_all(assessment)
    take_snapshot(assessment=assessment)
    finalise(assessment)

    assert rescore_finalised(framework=assessment.framework) == []
    assert ScoreSnapshot.objects.filter(assessment=assessment).count() == 1


def test_changed_result_adds_a_snapshot_beside_the_untouched_old_one(stale):
    assessment, old = stale
    before = _raw_row(old.pk)

    created = rescore_finalised(framework=assessment.framework)

    assert len(created) == 1
    new = ScoreSnapshot.objects.get(pk=created[0].pk)
    assert new.reason == "rescore"
    assert new.supersedes_id == old.pk
    assert new.result_hash != old.result_hash
    assert _raw_row(old.pk) == before
    assert current_result(assessment) == score_assessment(assessment)
    assert current_result(assessment).overall > old.result["overall"]


def test_rescoring_twice_adds_nothing_the_second_time(stale):
    assessment, _old = stale
    assert len(rescore_finalised(framework=assessment.framework)) == 1

    assert rescore_finalised(framework=assessment.framework) == []
    assert ScoreSnapshot.objects.filter(assessment=assessment).count() == 2


def test_a_new_methodology_version_adds_a_snapshot(assessment, monkeypatch):
    answer_all(assessment)
    old = take_snapshot(assessment=assessment)
    finalise(assessment)
    before = _raw_row(old.pk)
    real = scorecard.scoring.score

    def next_version(*args):
        return dataclasses.replace(real(*args), methodology_version="1.2")

    monkeypatch.setattr(scorecard.scoring, "score", next_version)
    created = rescore_finalised(framework=assessment.framework)

    assert [s.methodology_version for s in created] == ["1.2"]
    assert created[0].supersedes_id == old.pk
    assert _raw_row(old.pk) == before


def test_only_finalised_assessments_of_that_framework_are_rescored(stale, organisation, framework):
    assessment, _old = stale
    draft = make_assessment(organisation, framework)
    answer_all(draft)
    other_framework = make_framework(slug="other-fw")
    elsewhere = make_assessment(organisation, other_framework)
    answer_all(elsewhere)
    finalise(elsewhere)

    created = rescore_finalised(framework=framework)

    assert [s.assessment_id for s in created] == [assessment.pk]
    assert not draft.snapshots.exists()
    assert not elsewhere.snapshots.exists()


def test_finalised_assessment_without_snapshot_gets_its_first(assessment):
    answer_all(assessment)
    finalise(assessment)

    created = rescore_finalised(framework=assessment.framework)

    assert len(created) == 1
    assert created[0].supersedes_id is None
    assert created[0].reason == "rescore"


def test_task_rescores_and_is_idempotent(stale):
    assessment, old = stale

    first = rescore_framework.delay(assessment.framework_id).get()
    second = rescore_framework.delay(assessment.framework_id).get()

    assert first["created"] == 1
    assert ScoreSnapshot.objects.get(pk=first["snapshots"][0]).supersedes_id == old.pk
    assert second == {"framework": assessment.framework_id, "created": 0, "snapshots": []}


def test_task_for_a_deleted_framework_does_nothing():
    assert rescore_framework.delay(987654).get() == {
        "framework": 987654, "created": 0, "snapshots": []
    }  # fmt: skip


def test_task_is_late_acknowledged_and_time_limited():
    assert rescore_framework.acks_late is True
    assert 0 < rescore_framework.soft_time_limit < rescore_framework.time_limit


def test_rescore_command(stale):
    assessment, _old = stale
    stdout = io.StringIO()

    call_command("rescore_assessments", "test-fw", "1.0", stdout=stdout)

    assert "1 new snapshot(s)" in stdout.getvalue()
    with pytest.raises(CommandError, match="does not exist"):
        call_command("rescore_assessments", "test-fw", "7.0", stdout=io.StringIO())
