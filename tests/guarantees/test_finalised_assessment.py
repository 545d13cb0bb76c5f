"""A finalised assessment keeps its status and content, and its answers, evidence, review
comments, answer history, assignments and submission snapshots stay as they were, below the
ORM too. Finalising, reopening as a new revision and signing off keep working."""

import pytest
from django.db import transaction

from assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentFinalised,
    AssessmentStatus,
    DomainAssignment,
    Evidence,
    ReviewComment,
    ScoreSnapshot,
    SignOff,
    Submission,
    User,
)
from assessments.services import workflow
from assessments.services.revisions import start_revision
from tests.factories import make_assessment
from tests.guarantees.conftest import (
    ASSESSMENT_REFUSED,
    PART_REFUSED,
    copy_row,
    db_pk,
    q,
    raw,
    refused,
    row_of,
    table,
)
from tests.scoring_service.conftest import answer_all

pytestmark = pytest.mark.django_db

# Each protected table, the row of the world it is tested on, and a column change to try.
PARTS = {
    "answer": (Answer, "comment", "Edited afterwards"),
    "change": (AnswerChange, "changed_at", "2020-01-01 00:00:00"),
    "evidence": (Evidence, "description", "Edited afterwards"),
    "comment": (ReviewComment, "body", "Edited afterwards"),
    "assignment": (DomainAssignment, "assignee_id", "owner"),
    "submission": (Submission, "answer_set_hash", "0" * 64),
}
by_part = pytest.mark.parametrize("part", sorted(PARTS))


def _value(world, value):
    return world.owner.pk if value == "owner" else value


def assessment_row(world) -> dict:
    return row_of(Assessment, world.assessment.pk)


def test_raw_sql_cannot_un_finalise_change_or_delete_the_assessment(finalised):
    before = assessment_row(finalised)
    pk = db_pk(Assessment, finalised.assessment.pk)
    with refused(ASSESSMENT_REFUSED):
        raw(f"UPDATE {table(Assessment)} SET status = 'draft' WHERE id = %s", [pk])  # noqa: S608
    with refused(ASSESSMENT_REFUSED):
        raw(f"UPDATE {table(Assessment)} SET title = 'Renamed' WHERE id = %s", [pk])  # noqa: S608
    with refused(ASSESSMENT_REFUSED):
        raw(f"DELETE FROM {table(Assessment)} WHERE id = %s", [pk])  # noqa: S608
    assert assessment_row(finalised) == before


def test_queryset_update_to_draft_is_refused_with_the_domain_error(finalised):
    before = assessment_row(finalised)
    # The domain error replaces the database's; the transaction is spoilt as by any
    # database error, hence the savepoint.
    with (
        pytest.raises(AssessmentFinalised, match="finalised and cannot be changed"),
        transaction.atomic(),
    ):
        Assessment.objects.filter(pk=finalised.assessment.pk).update(status="draft")
    with refused(ASSESSMENT_REFUSED):
        Assessment._base_manager.filter(pk=finalised.assessment.pk).update(status="draft")
    assert assessment_row(finalised) == before
    assert before["status"] == AssessmentStatus.FINALISED


def test_deleting_a_finalised_assessment_is_refused(finalised):
    with pytest.raises(AssessmentFinalised):
        finalised.assessment.delete()
    with pytest.raises(AssessmentFinalised), transaction.atomic():
        Assessment.objects.filter(pk=finalised.assessment.pk).delete()
    with refused(PART_REFUSED):
        Assessment._base_manager.filter(pk=finalised.assessment.pk).delete()
    assert Answer.objects.filter(assessment=finalised.assessment).count() == 8


@by_part
def test_raw_update_of_a_finalised_assessments_row_is_refused(finalised, part):
    model, column, value = PARTS[part]
    row = getattr(finalised, part)
    before = row_of(model, row.pk)
    with refused(PART_REFUSED):
        raw(
            f"UPDATE {table(model)} SET {q(column)} = %s WHERE id = %s",  # noqa: S608
            [_value(finalised, value), db_pk(model, row.pk)],
        )
    assert row_of(model, row.pk) == before


@by_part
def test_raw_delete_of_a_finalised_assessments_row_is_refused(finalised, part):
    model, _, _ = PARTS[part]
    row = getattr(finalised, part)
    before = row_of(model, row.pk)
    with refused(PART_REFUSED):
        raw(f"DELETE FROM {table(model)} WHERE id = %s", [db_pk(model, row.pk)])  # noqa: S608
    assert row_of(model, row.pk) == before


@by_part
def test_raw_insert_into_a_finalised_assessment_is_refused(finalised, part):
    model, _, _ = PARTS[part]
    count = model.objects.filter(assessment=finalised.assessment).count()
    with refused(PART_REFUSED):
        raw(*copy_row(model, getattr(finalised, part).pk))
    assert model.objects.filter(assessment=finalised.assessment).count() == count


def test_moving_a_draft_answer_into_a_finalised_assessment_is_refused(finalised, organisation):
    draft = make_assessment(organisation, finalised.assessment.framework)
    answer = answer_all(draft)[0]
    answer = Answer.objects.get(assessment=draft, question=answer.question)
    with refused(PART_REFUSED):
        raw(
            f"UPDATE {table(Answer)} SET assessment_id = %s WHERE id = %s",  # noqa: S608
            [db_pk(Assessment, finalised.assessment.pk), answer.pk],
        )
    assert Answer.objects.get(pk=answer.pk).assessment_id == draft.pk


def test_base_manager_writes_to_answers_of_a_finalised_assessment_are_refused(finalised):
    before = row_of(Answer, finalised.answer.pk)
    with refused(PART_REFUSED):
        Answer._base_manager.filter(assessment=finalised.assessment).update(comment="Later")
    with refused(PART_REFUSED):
        Answer._base_manager.filter(assessment=finalised.assessment).delete()
    assert row_of(Answer, finalised.answer.pk) == before


def test_upserting_answers_of_a_finalised_assessment_is_refused(finalised):
    before = row_of(Answer, finalised.answer.pk)
    upsert = Answer(
        assessment=finalised.assessment,
        question=finalised.answer.question,
        option_label="Optimised",
        value=1.0,
    )
    options = {
        "update_conflicts": True,
        "unique_fields": ["assessment", "question"],
        "update_fields": ["option_label", "value"],
    }
    with pytest.raises(AssessmentFinalised):
        Answer.objects.bulk_create([upsert], **options)
    with refused(PART_REFUSED):
        Answer._base_manager.bulk_create([upsert], **options)
    assert row_of(Answer, finalised.answer.pk) == before


# --- deleting users who appear in a finalised assessment --------------------------------------


def test_deleting_the_owner_who_finalised_only_nulls_their_references(finalised):
    before = assessment_row(finalised)
    comment_before = row_of(ReviewComment, finalised.comment.pk)
    finalised.owner.delete()
    after = assessment_row(finalised)
    assert after["finalised_by_id"] is None and after["created_by_id"] is None
    assert {k: v for k, v in after.items() if k not in ("finalised_by_id", "created_by_id")} == {
        k: v for k, v in before.items() if k not in ("finalised_by_id", "created_by_id")
    }
    comment_after = row_of(ReviewComment, finalised.comment.pk)
    assert comment_after["author_id"] is None
    assert comment_after["body"] == comment_before["body"] == "Looks fine."


def test_setting_another_user_instead_of_null_is_still_refused(finalised):
    with refused(ASSESSMENT_REFUSED):
        raw(
            f"UPDATE {table(Assessment)} SET finalised_by_id = %s WHERE id = %s",  # noqa: S608
            [finalised.assessor.pk, db_pk(Assessment, finalised.assessment.pk)],
        )
    assert assessment_row(finalised)["finalised_by_id"] == finalised.owner.pk


def test_deleting_a_user_assigned_a_domain_of_a_finalised_assessment_is_refused(finalised):
    # The assignment would cascade away with the user, so the deletion is refused as a whole.
    with refused(PART_REFUSED):
        finalised.assessor.delete()
    assert User.objects.filter(pk=finalised.assessor.pk).exists()
    assert row_of(AnswerChange, finalised.change.pk)["changed_by_id"] == finalised.assessor.pk
    assert DomainAssignment.objects.filter(pk=finalised.assignment.pk).exists()


# --- the legitimate moves -------------------------------------------------------------------


def test_finalising_froze_the_assessment_and_stored_one_snapshot(finalised):
    stored = assessment_row(finalised)
    assert stored["status"] == AssessmentStatus.FINALISED
    assert stored["finalised_by_id"] == finalised.owner.pk
    assert ScoreSnapshot.objects.filter(assessment=finalised.assessment).count() == 1


def test_reopening_starts_an_editable_revision_and_leaves_the_finalised_one(finalised):
    before = assessment_row(finalised)
    answers_before = list(Answer.objects.filter(assessment=finalised.assessment).values())
    new = start_revision(assessment=finalised.assessment, user=finalised.owner)
    assert new.pk != finalised.assessment.pk
    assert (new.status, new.revision, new.previous_id) == ("draft", 2, finalised.assessment.pk)
    assert Answer.objects.filter(assessment=new).update(comment="Reworked") == 8
    assert assessment_row(finalised) == before
    assert list(Answer.objects.filter(assessment=finalised.assessment).values()) == answers_before


def test_signing_off_a_finalised_assessment_still_works(finalised):
    before = assessment_row(finalised)
    signoff = workflow.sign_off(
        assessment=finalised.assessment, user=finalised.auditor, statement="Checked."
    )
    assert SignOff.objects.get(pk=signoff.pk).snapshot_id == finalised.snapshot.pk
    assert assessment_row(finalised) == before


def test_a_draft_assessment_can_still_be_deleted_with_its_answers(organisation, framework):
    draft = make_assessment(organisation, framework)
    answer_all(draft)
    draft.delete()
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    assert not Answer.objects.filter(assessment_id=draft.pk).exists()
