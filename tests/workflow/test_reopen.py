"""Reopening a finalised assessment starts the next revision from it."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    AuditEvent,
    DomainAssignment,
    Evidence,
    Membership,
    ReviewComment,
)
from assessments.services import revisions, workflow
from assessments.services.guards import WorkflowError
from assessments.services.revisions import start_revision
from scorecard.models import Domain
from tests.factories import make_member
from tests.workflow.helpers import answer_all, question

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalised(assessment, owner, assessor, auditor):
    answer_all(assessment, owner)
    Answer.objects.filter(assessment=assessment, question__ref="D1-C1.q2").update(carried_over=True)
    evidence = Evidence(
        assessment=assessment,
        question=question(assessment, "D1-C1.q1"),
        kind="file",
        filename="policy.pdf",
        sha256="ab" * 32,
        size=8,
    )
    evidence.file.save("policy.pdf", ContentFile(b"%PDF-1.4"), save=False)
    evidence.save()
    Evidence.objects.create(
        assessment=assessment,
        question=question(assessment, "D1-C2.q1"),
        kind="link",
        url="https://example.org/runbook",
    )
    DomainAssignment.objects.create(
        assessment=assessment,
        domain=Domain.objects.get(framework=assessment.framework, ref="D1"),
        assignee=assessor,
    )
    workflow.submit(assessment=assessment, user=assessor)
    thread = workflow.add_comment(
        assessment=assessment, question=question(assessment, "D1-C1.q1"), user=auditor, body="?"
    )
    workflow.resolve(comment=thread, user=assessor)
    return workflow.finalise(assessment=assessment, user=owner)


def test_reopen_creates_the_next_revision_as_a_draft(finalised, owner):
    new = start_revision(assessment=finalised, user=owner)

    assert new.pk != finalised.pk
    assert (new.revision, new.previous, new.status) == (2, finalised, AssessmentStatus.DRAFT)
    assert (new.title, new.framework, new.personas) == (
        finalised.title,
        finalised.framework,
        finalised.personas,
    )
    assert new.created_by == owner and new.submitted_at is None
    finalised.refresh_from_db()
    assert finalised.status == AssessmentStatus.FINALISED
    event = AuditEvent.objects.get(action="assessment.reopened")
    assert event.target_id == str(new.pk)
    assert event.data["previous"] == str(finalised.pk)


def test_reopen_copies_answers_with_their_comments_as_confirmed(finalised, owner):
    new = start_revision(assessment=finalised, user=owner)
    old = {a.question_id: a for a in Answer.objects.filter(assessment=finalised)}
    copied = {a.question_id: a for a in Answer.objects.filter(assessment=new)}
    assert copied.keys() == old.keys()
    for question_id, answer in copied.items():
        assert answer.as_record() == old[question_id].as_record()
        # The team's own answers stay confirmed; an unconfirmed one stays unconfirmed.
        assert answer.carried_over == old[question_id].carried_over
        assert answer.version == 1
    assert sum(a.carried_over for a in copied.values()) == 1


def test_reopen_leaves_review_comments_with_the_finalised_revision(finalised, owner):
    new = start_revision(assessment=finalised, user=owner)
    assert ReviewComment.objects.filter(assessment=finalised).count() == 1
    assert not ReviewComment.objects.filter(assessment=new).exists()


def test_reopened_evidence_files_are_independent_copies(finalised, owner):
    new = start_revision(assessment=finalised, user=owner)
    old_file = Evidence.objects.get(assessment=finalised, kind="file")
    new_file = Evidence.objects.get(assessment=new, kind="file")
    assert new_file.pk != old_file.pk
    assert new_file.file.name != old_file.file.name
    assert (new_file.sha256, new_file.filename) == (old_file.sha256, old_file.filename)
    assert Evidence.objects.get(assessment=new, kind="link").url == "https://example.org/runbook"

    # Deleting the new revision's evidence (and its stored file) leaves the old one whole.
    new_file.file.delete(save=False)
    new_file.delete()
    assert default_storage.exists(old_file.file.name)
    with old_file.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4"


def test_reopen_copies_domain_assignments_and_named_auditors(finalised, owner, organisation):
    limited = make_member(organisation, "auditor", "named@audit.example")
    Membership.objects.get(user=limited).limited_to.add(finalised)
    new = start_revision(assessment=finalised, user=owner)
    assert list(DomainAssignment.objects.filter(assessment=new).values_list("domain__ref")) == [
        ("D1",)
    ]
    assert new in Membership.objects.get(user=limited).limited_to.all()


def test_reopen_twice_is_refused(finalised, owner):
    start_revision(assessment=finalised, user=owner)
    with pytest.raises(WorkflowError, match="Revision 2 already continues"):
        start_revision(assessment=finalised, user=owner)
    assert Assessment.objects.count() == 2


@pytest.mark.parametrize("who", ["assessor", "auditor", "viewer", "outsider"])
def test_only_owners_reopen(finalised, who, request):
    with pytest.raises(WorkflowError):
        start_revision(assessment=finalised, user=request.getfixturevalue(who))
    assert Assessment.objects.count() == 1


def test_a_failed_reopen_leaves_no_copied_files(finalised, owner, media_root, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(revisions.audit, "record", broken)
    before = {p.name for p in media_root.rglob("*") if p.is_file()}
    with pytest.raises(RuntimeError):
        start_revision(assessment=finalised, user=owner)
    assert {p.name for p in media_root.rglob("*") if p.is_file()} == before
    assert Assessment.objects.count() == 1
