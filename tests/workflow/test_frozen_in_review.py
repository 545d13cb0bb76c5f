"""Frozen while in review: every answer, evidence, scope and assignment URL of a submitted
or in-review assessment refuses the team's POST with a clear message and writes nothing.

The URLs are listed literally below. The same POSTs succeed on a draft (the last test), so
the refusals are the freeze's doing and not bad test data.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentStatus,
    AuditEvent,
    DomainAssignment,
    Evidence,
    ReviewComment,
    Submission,
)
from assessments.services import evidence as evidence_service
from assessments.services import workflow
from assessments.services.upgrade import plan_upgrade
from scorecard.models import Domain
from tests.questionnaire.helpers import load_form, name, option_key
from tests.workflow.helpers import answer_all, make_next_version, question

pytestmark = pytest.mark.django_db

FROZEN = "This assessment is with its reviewers (submitted by owner@acme.example on "
UNTIL = "nothing can be changed until it is returned."
START_FROM_UNTIL = "start from it once it is returned or finalised."


@pytest.fixture(autouse=True)
def fresh_caches():
    from scorecard.loader import clear_catalog_cache

    clear_catalog_cache()
    yield
    clear_catalog_cache()


@pytest.fixture
def world(client, assessment, owner, assessor, auditor):
    """An answered assessment with a stored file, a link and an assignment, and the POST
    data of each write URL, read while it was still a draft."""
    answer_all(assessment, owner)
    q1 = question(assessment, "D1-C1.q1")
    stored = evidence_service.add_file(
        assessment=assessment,
        question=q1,
        user=owner,
        upload=SimpleUploadedFile("policy.txt", b"Our policy.\n"),
    )
    DomainAssignment.objects.create(
        assessment=assessment,
        domain=Domain.objects.get(framework=assessment.framework, ref="D1"),
        assignee=assessor,
    )
    target = make_next_version("1.1")
    client.force_login(owner)
    page = load_form(client, assessment, "D1")
    page[name(q1, "choice")] = option_key(q1, "Optimised")
    d2 = Domain.objects.get(framework=assessment.framework, ref="D2")
    requests = {
        "questionnaire_page": (
            reverse("questionnaire_page", args=[assessment.pk, "D1"]),
            lambda: page,
        ),
        "evidence_upload": (
            reverse("evidence_upload", args=[assessment.pk, q1.ref]),
            lambda: {"file": SimpleUploadedFile("more.txt", b"More evidence.\n")},
        ),
        "evidence_link": (
            reverse("evidence_link", args=[assessment.pk, q1.ref]),
            lambda: {"url": "https://example.org/runbook", "description": "Runbook"},
        ),
        "evidence_delete": (
            reverse("evidence_delete", args=[assessment.pk, stored.pk]),
            dict,
        ),
        "assessment_scoping": (
            reverse("assessment_scoping", args=[assessment.pk]),
            lambda: {
                "title": "Renamed system",
                "deployment_stage": "pilot",
                "personas": ["personaBuilder"],
                "action": "save",
            },
        ),
        "assessment_start_from": (
            reverse("assessment_start_from", args=[assessment.pk]),
            lambda: {"framework": assessment.framework_id, "title": "Copied system"},
        ),
        "assessment_assign": (
            reverse("assessment_assign", args=[assessment.pk]),
            lambda: {f"domain_{d2.pk}": str(owner.pk)},
        ),
        "assessment_upgrade": (
            reverse("assessment_upgrade", args=[assessment.pk]),
            lambda: {
                "target": target.pk,
                "fingerprint": plan_upgrade(assessment=assessment, target=target).fingerprint,
            },
        ),
    }
    client.logout()
    return {"assessment": assessment, "requests": requests, "owner": owner, "auditor": auditor}


# Who may POST where at all (the role table): the others get 403 before any freeze check.
OWNER_ONLY = {"assessment_assign", "assessment_upgrade"}
URLS = [
    "questionnaire_page",
    "evidence_upload",
    "evidence_link",
    "evidence_delete",
    "assessment_scoping",
    "assessment_start_from",
    "assessment_assign",
    "assessment_upgrade",
]


def freeze(world, status: str) -> Assessment:
    assessment = world["assessment"]
    workflow.submit(assessment=assessment, user=world["owner"])
    if status == AssessmentStatus.IN_REVIEW:
        workflow.add_comment(
            assessment=assessment,
            question=question(assessment, "D2-C1.q1"),
            user=world["auditor"],
            body="Where is the evidence?",
        )
    assessment.refresh_from_db()
    assert assessment.status == status
    return assessment


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())


def state(assessment, media_root) -> dict:
    """Everything a write could touch."""
    row = Assessment.objects.filter(pk=assessment.pk).values().get()
    return {
        "assessment": row,
        "assessments": Assessment.objects.count(),
        "answers": sorted(
            (a.question_id, tuple(sorted(a.as_record().items())), a.version)
            for a in Answer.objects.filter(assessment=assessment)
        ),
        "answer_changes": AnswerChange.objects.count(),
        "evidence": sorted(Evidence.objects.values_list("pk", "question_id", "description")),
        "assignments": sorted(
            DomainAssignment.objects.values_list("assessment_id", "domain_id", "assignee_id")
        ),
        "audit": AuditEvent.objects.count(),
        "submissions": Submission.objects.count(),
        "files": stored_files(media_root),
    }


@pytest.mark.parametrize("status", [AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW])
@pytest.mark.parametrize("persona", ["assessor", "owner"])
@pytest.mark.parametrize("url_name", URLS)
def test_team_post_to_a_frozen_assessment_is_refused_and_writes_nothing(
    client, world, status, persona, url_name, request, media_root
):
    assessment = freeze(world, status)
    path, data = world["requests"][url_name]
    client.force_login(request.getfixturevalue(persona))  # (a login is audited too)
    before = state(assessment, media_root)
    response = client.post(path, data())
    if persona == "assessor" and url_name in OWNER_ONLY:
        assert response.status_code == 403
    else:
        assert response.status_code == 409
        page = response.content.decode()
        assert FROZEN in page
        assert (START_FROM_UNTIL if url_name == "assessment_start_from" else UNTIL) in page
        if status == AssessmentStatus.IN_REVIEW:
            assert "review started by auditor@audit.example on " in page
    assert state(assessment, media_root) == before


@pytest.mark.parametrize("url_name", URLS)
def test_the_same_posts_write_on_a_draft(client, world, url_name, media_root):
    # The control experiment: each request above changes something when not frozen.
    assessment = world["assessment"]
    path, data = world["requests"][url_name]
    client.force_login(world["owner"])
    before = state(assessment, media_root)
    response = client.post(path, data())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert state(assessment, media_root) != before


def test_review_comments_and_replies_stay_allowed_while_frozen(client, world, assessor):
    assessment = freeze(world, AssessmentStatus.IN_REVIEW)
    thread = ReviewComment.objects.get(parent=None, question__isnull=False)
    client.force_login(assessor)
    response = client.post(
        reverse("review_comment_reply", args=[assessment.pk, thread.pk]),
        {"body": "Attached to D1-C1.q1."},
    )
    assert response.status_code == 302
    assert ReviewComment.objects.filter(parent=thread, author=assessor).count() == 1
    client.force_login(world["auditor"])
    response = client.post(
        reverse("review_comment_add", args=[assessment.pk, "D1-C1.q2"]), {"body": "And this?"}
    )
    assert response.status_code == 302
    assert ReviewComment.objects.filter(question__ref="D1-C1.q2").count() == 1


def test_returning_it_unfreezes_it(client, world):
    assessment = freeze(world, AssessmentStatus.IN_REVIEW)
    workflow.return_to_draft(assessment=assessment, user=world["auditor"], message="Fix D1.")
    path, data = world["requests"]["evidence_link"]
    client.force_login(world["owner"])
    response = client.post(path, data())
    assert response.status_code == 302
    assert Evidence.objects.filter(url="https://example.org/runbook").count() == 1


@pytest.mark.parametrize(
    "url_name", ["questionnaire_page", "assessment_scoping", "assessment_assign"]
)
def test_frozen_pages_are_read_only_with_who_holds_it(client, world, url_name):
    assessment = freeze(world, AssessmentStatus.IN_REVIEW)
    path, _ = world["requests"][url_name]
    client.force_login(world["owner"])
    page = client.get(path).content.decode()
    assert 'id="frozen-banner"' in page
    assert FROZEN in page and "review started by auditor@audit.example" in page
    assert '<form method="post" class="col-lg-8">' not in page  # scope form
    assert "Save assignments" not in page and "Save scope" not in page
    assert "Save draft" not in page
    assert 'type="file"' not in page
    assert assessment.status == AssessmentStatus.IN_REVIEW


def test_overview_of_a_frozen_assessment_offers_no_change(client, world):
    assessment = freeze(world, AssessmentStatus.SUBMITTED)
    client.force_login(world["owner"])
    page = client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    assert FROZEN in page
    for hidden in ("Edit the scope", "Assign domains", "Submit for review", "Start a new"):
        assert hidden not in page
    assert "Finalise…" in page


@pytest.mark.parametrize("url_name", ["evidence_upload", "evidence_link", "evidence_delete"])
def test_in_place_evidence_requests_to_a_frozen_assessment_are_refused_inside_the_question(
    client, world, url_name, media_root, assessor
):
    # htmx swaps only the question's evidence block (a 4xx would not be swapped): the reason
    # is said there, the typed answers on the page stay, and nothing is written.
    assessment = freeze(world, AssessmentStatus.SUBMITTED)
    path, data = world["requests"][url_name]
    client.force_login(assessor)
    before = state(assessment, media_root)
    response = client.post(path, data(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    block = response.content.decode()
    assert FROZEN in block and UNTIL in block
    assert "<html" not in block  # the block alone, not a page
    assert state(assessment, media_root) == before


def test_save_and_next_on_a_frozen_assessment_is_refused_and_goes_nowhere(
    client, world, media_root
):
    assessment = freeze(world, AssessmentStatus.SUBMITTED)
    path, data = world["requests"]["questionnaire_page"]
    client.force_login(world["owner"])
    before = state(assessment, media_root)
    response = client.post(path, {**data(), "then": "D2"})
    assert response.status_code == 409
    assert FROZEN in response.content.decode()
    assert state(assessment, media_root) == before
