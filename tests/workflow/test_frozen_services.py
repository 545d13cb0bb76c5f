"""The services themselves refuse writes while an assessment is with its reviewers, with
code "frozen" and a message naming who submitted it; nothing is written. They check the
locked row, so a caller holding a stale draft copy is refused too."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentStatus,
    AuditEvent,
    DomainAssignment,
    Evidence,
)
from assessments.services import evidence as evidence_service
from assessments.services import workflow
from assessments.services.answers import AnswerInput, save_answers
from assessments.services.assignments import assign_domains
from assessments.services.guards import AssessmentFrozen, WorkflowError, require_editable
from assessments.services.start import Description, start_from_previous, update_scope
from assessments.services.upgrade import apply_upgrade, plan_upgrade
from scorecard.models import Domain
from tests.workflow.helpers import answer_all, make_next_version, question

pytestmark = pytest.mark.django_db

MESSAGE = "This assessment is with its reviewers (submitted by owner@acme.example on "


@pytest.fixture
def frozen(assessment, owner):
    """A submitted assessment, and the stale draft copy a view read before it was submitted."""
    answer_all(assessment, owner)
    link = evidence_service.add_link(
        assessment=assessment,
        question=question(assessment, "D1-C1.q1"),
        user=owner,
        url="https://example.org/a",
    )
    stale = Assessment.objects.get(pk=assessment.pk)
    workflow.submit(assessment=assessment, user=owner)
    assert stale.status == AssessmentStatus.DRAFT
    return {"stale": stale, "link": link, "target": make_next_version("1.1")}


def counts(pk, media_root) -> tuple:
    files = sorted(p.name for p in Path(media_root).rglob("*") if p.is_file())
    return (
        sorted(Answer.objects.values_list("pk", "version", "option_label", "comment")),
        AnswerChange.objects.count(),
        sorted(Evidence.objects.values_list("pk", flat=True)),
        DomainAssignment.objects.count(),
        AuditEvent.objects.count(),
        Assessment.objects.count(),
        Assessment.objects.values().get(pk=pk),
        files,
    )


def _calls(frozen, owner):
    stale = frozen["stale"]
    q1 = question(stale, "D1-C1.q1")
    return {
        "save_answers": lambda: save_answers(
            assessment=stale,
            user=owner,
            submitted=[AnswerInput(question=q1, option_label="Optimised")],
        ),
        "add_file": lambda: evidence_service.add_file(
            assessment=stale,
            question=q1,
            user=owner,
            upload=SimpleUploadedFile("late.txt", b"Late evidence.\n"),
        ),
        "add_link": lambda: evidence_service.add_link(
            assessment=stale, question=q1, user=owner, url="https://example.org/late"
        ),
        "delete": lambda: evidence_service.delete(evidence=frozen["link"], user=owner),
        "update_scope": lambda: update_scope(
            assessment=stale,
            user=owner,
            description=Description(title="Renamed"),
            scoping={},
            personas=[],
        ),
        "start_from_previous": lambda: start_from_previous(
            previous=stale, user=owner, framework=stale.framework, title="Copy"
        ),
        "assign_domains": lambda: assign_domains(
            assessment=stale,
            user=owner,
            assignments={Domain.objects.get(framework=stale.framework, ref="D1"): owner},
        ),
        "apply_upgrade": lambda: apply_upgrade(
            assessment=stale,
            target=frozen["target"],
            user=owner,
            fingerprint=plan_upgrade(assessment=stale, target=frozen["target"]).fingerprint,
        ),
    }


SERVICES = [
    "save_answers",
    "add_file",
    "add_link",
    "delete",
    "update_scope",
    "start_from_previous",
    "assign_domains",
    "apply_upgrade",
]


@pytest.mark.parametrize("status", [AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW])
@pytest.mark.parametrize("service", SERVICES)
def test_service_refuses_a_frozen_assessment_and_writes_nothing(
    frozen, owner, auditor, service, status, media_root
):
    if status == AssessmentStatus.IN_REVIEW:
        workflow.add_comment(
            assessment=frozen["stale"],
            question=question(frozen["stale"], "D2-C1.q1"),
            user=auditor,
            body="Why?",
        )
    call = _calls(frozen, owner)[service]
    before = counts(frozen["stale"].pk, media_root)
    with pytest.raises(AssessmentFrozen, match=r"with its reviewers \(submitted by") as error:
        call()
    assert error.value.code == "frozen"
    assert str(error.value).startswith(MESSAGE)
    assert isinstance(error.value, WorkflowError)
    assert counts(frozen["stale"].pk, media_root) == before


def test_require_editable_passes_a_draft_and_names_the_reviewer_once_review_started(
    assessment, owner, auditor
):
    require_editable(assessment)  # a draft: no error
    workflow.submit(assessment=assessment, user=owner)
    workflow.add_comment(
        assessment=assessment, question=question(assessment, "D1-C1.q1"), user=auditor, body="?"
    )
    assessment.refresh_from_db()
    with pytest.raises(AssessmentFrozen) as error:
        require_editable(assessment)
    message = str(error.value)
    assert message.startswith(MESSAGE)
    assert "; review started by auditor@audit.example on " in message
    assert message.endswith("); nothing can be changed until it is returned.")
