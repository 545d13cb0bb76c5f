"""A finalised assessment cannot change, whatever the route: services, ORM, bulk writes."""

import pytest

from assessments.models import (
    Answer,
    Assessment,
    AssessmentFinalised,
    AssessmentStatus,
    DomainAssignment,
    Evidence,
    ReviewComment,
)
from assessments.services import workflow
from assessments.services.assignments import assign_domains
from assessments.services.guards import WorkflowError
from assessments.services.upgrade import UpgradeError, apply_upgrade, plan_upgrade
from scorecard.models import Domain
from tests.workflow.helpers import answer_all, make_next_version, question

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalised(assessment, owner, auditor):
    answer_all(assessment)
    workflow.submit(assessment=assessment, user=owner)
    thread = workflow.add_comment(
        assessment=assessment, question=question(assessment, "D1-C1.q1"), user=auditor, body="?"
    )
    workflow.resolve(comment=thread, user=owner)
    return workflow.finalise(assessment=assessment, user=owner)


def test_services_refuse_every_change_to_a_finalised_assessment(finalised, owner, auditor):
    thread = ReviewComment.objects.get()
    calls = [
        lambda: workflow.submit(assessment=finalised, user=owner),
        lambda: workflow.add_comment(
            assessment=finalised, question=question(finalised, "D1-C1.q1"), user=auditor, body="x"
        ),
        lambda: workflow.reply(comment=thread, user=owner, body="x"),
        lambda: workflow.resolve(comment=thread, user=owner, resolved=False),
        lambda: workflow.return_to_draft(assessment=finalised, user=owner, message="x"),
        lambda: workflow.finalise(assessment=finalised, user=owner),
        lambda: assign_domains(
            assessment=finalised,
            user=owner,
            assignments={Domain.objects.filter(framework=finalised.framework).first(): owner},
        ),
    ]
    for call in calls:
        with pytest.raises(WorkflowError):
            call()
    finalised.refresh_from_db()
    assert finalised.status == AssessmentStatus.FINALISED
    assert ReviewComment.objects.count() == 1 and ReviewComment.objects.get().resolved
    assert not DomainAssignment.objects.exists()


def test_upgrade_of_a_finalised_assessment_is_refused(finalised, owner):
    target = make_next_version()
    with pytest.raises(UpgradeError, match="finalised"):
        plan_upgrade(assessment=finalised, target=target)
    with pytest.raises(UpgradeError, match="finalised"):
        apply_upgrade(assessment=finalised, target=target, user=owner)
    finalised.refresh_from_db()
    assert finalised.framework_id != target.pk


def test_orm_writes_to_a_finalised_assessment_are_refused(finalised, owner):
    answer = Answer.objects.filter(assessment=finalised).first()
    answer.option_label = "Optimised"
    with pytest.raises(AssessmentFinalised):
        answer.save()
    with pytest.raises(AssessmentFinalised):
        answer.delete()
    with pytest.raises(AssessmentFinalised):
        Answer.objects.filter(assessment=finalised).update(value=1.0)
    with pytest.raises(AssessmentFinalised):
        Answer.objects.filter(assessment=finalised).delete()
    with pytest.raises(AssessmentFinalised):
        Evidence.objects.create(
            assessment=finalised,
            question=question(finalised, "D1-C1.q1"),
            kind="link",
            url="https://example.org/policy",
        )
    with pytest.raises(AssessmentFinalised):
        ReviewComment.objects.bulk_create(
            [ReviewComment(assessment=finalised, author=owner, body="late")]
        )
    finalised.title = "Renamed"
    with pytest.raises(AssessmentFinalised):
        finalised.save()
    assert Answer.objects.filter(assessment=finalised, option_label="Optimised").count() == 0
    assert Answer.objects.filter(assessment=finalised).count() == 8
    assert Assessment.objects.get(pk=finalised.pk).title != "Renamed"
