"""Starting an assessment, scoping it by persona, and starting from a previous one."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    AuditEvent,
    Evidence,
    EvidenceKind,
)
from scorecard.models import Framework, FrameworkStatus, PersonaQuestion
from tests.factories import make_assessment, make_framework
from tests.questionnaire.helpers import page_url, question

pytestmark = pytest.mark.django_db


def test_start_creates_a_draft_in_the_current_organisation(
    client, assessor, framework, organisation
):
    client.force_login(assessor)
    response = client.post(
        reverse("assessment_start"),
        {
            "framework": framework.pk,
            "title": "Claims triage model",
            "purpose": "Routes insurance claims.",
            "system_owner": "Claims team",
            "deployment_stage": "pilot",
        },
    )
    assessment = Assessment.objects.get(title="Claims triage model")
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment_scoping", args=[assessment.pk])
    assert (assessment.organisation, assessment.framework, assessment.status) == (
        organisation,
        framework,
        "draft",
    )
    assert (assessment.deployment_stage, assessment.created_by) == ("pilot", assessor)
    assert AuditEvent.objects.filter(action="assessment.created").count() == 1


def test_start_offers_only_published_versions(client, owner, framework):
    draft = make_framework(slug="draft-fw", published=False)
    client.force_login(owner)
    html = client.get(reverse("assessment_start")).content.decode()
    assert str(framework) in html and str(draft) not in html
    response = client.post(
        reverse("assessment_start"),
        {"framework": draft.pk, "title": "X", "deployment_stage": "pilot"},
    )
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_start_needs_a_title(client, owner, framework):
    client.force_login(owner)
    response = client.post(
        reverse("assessment_start"), {"framework": framework.pk, "deployment_stage": "pilot"}
    )
    assert response.status_code == 400
    # Without a system picked from the inventory, the title names the new one.
    assert "Name the new AI system, or pick one of the inventory." in response.content.decode()
    assert not Assessment.objects.exists()


def test_viewer_cannot_start(client, viewer, framework):
    client.force_login(viewer)
    assert client.get(reverse("assessment_start")).status_code == 403


def _scope_data(assessment, answers: dict[str, str], personas=(), action="save") -> dict:
    data = {
        "title": assessment.title,
        "deployment_stage": "production",
        "action": action,
        "personas": list(personas),
    }
    for question_row in PersonaQuestion.objects.filter(framework=assessment.framework):
        data[f"pq{question_row.pk}"] = answers.get(question_row.persona.ref, "")
    return data


def test_persona_answers_propose_personas_without_saving(client, owner, assessment):
    client.force_login(owner)
    url = reverse("assessment_scoping", args=[assessment.pk])
    data = _scope_data(assessment, {"personaBuilder": "yes", "personaUser": "no"}, action="propose")
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'name="personas" value="personaBuilder"\s+id="id_personas_0" checked>', html)
    assert re.search(r'name="personas" value="personaUser"\s+id="id_personas_1">', html)
    assert "Personas proposed from your answers" in html
    assessment.refresh_from_db()
    assert assessment.personas == []


def test_saving_the_scope_stores_answers_and_chosen_personas(client, owner, assessment):
    client.force_login(owner)
    url = reverse("assessment_scoping", args=[assessment.pk])
    # Proposed would be the builder; the team edits the proposal to the user persona.
    data = _scope_data(assessment, {"personaBuilder": "yes"}, personas=["personaUser"])
    assert client.post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.personas == ["personaUser"]
    assert assessment.scoping == {"personaBuilder": [True], "personaUser": [None]}
    assert assessment.deployment_stage == "production"
    # The builder-only controls (odd ones) are now left out of the questionnaire.
    html = client.get(page_url(assessment)).content.decode()
    assert ">D1-C2</span>" not in html and ">D1-C1</span>" in html


def test_unknown_persona_is_refused(client, owner, assessment):
    client.force_login(owner)
    url = reverse("assessment_scoping", args=[assessment.pk])
    response = client.post(url, _scope_data(assessment, {}, personas=["personaHacker"]))
    assert response.status_code == 400
    assessment.refresh_from_db()
    assert assessment.personas == [] and assessment.deployment_stage == "development"


def test_scope_of_finalised_assessment_cannot_change(client, owner, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(status="finalised")
    client.force_login(owner)
    url = reverse("assessment_scoping", args=[assessment.pk])
    response = client.post(url, _scope_data(assessment, {}, personas=["personaUser"]))
    assert response.status_code == 409
    assessment.refresh_from_db()
    assert assessment.personas == []


@pytest.fixture
def finished(organisation, framework, owner, media_root):
    """A finalised assessment with answers, a comment and file and link evidence."""
    previous = make_assessment(
        organisation, framework, created_by=owner, personas=["personaBuilder"], purpose="Fraud"
    )
    q1, q2 = question(framework, "D1-C1.q1"), question(framework, "D1-C1.q2")
    Answer.objects.create(
        assessment=previous,
        question=q1,
        option_label="Established",
        value=0.75,
        comment="See policy.",
    )
    Answer.objects.create(
        assessment=previous, question=q2, na=True, justification="No training in-house."
    )
    evidence = Evidence(
        assessment=previous, question=q1, kind=EvidenceKind.FILE, filename="policy.pdf", size=9
    )
    evidence.file.save("x", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    Evidence.objects.create(
        assessment=previous, question=q1, kind=EvidenceKind.LINK, url="https://wiki.example.org"
    )
    Assessment.objects.filter(pk=previous.pk).update(status="finalised")
    previous.refresh_from_db()
    return previous


def test_start_from_previous_carries_everything_over_to_confirm(client, assessor, finished):
    client.force_login(assessor)
    url = reverse("assessment_start_from", args=[finished.pk])
    response = client.post(url, {"title": "Fraud model 2026", "framework": finished.framework_id})
    new = Assessment.objects.exclude(pk=finished.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment_detail", args=[new.pk])
    assert (new.title, new.status, new.personas, new.purpose) == (
        "Fraud model 2026",
        "draft",
        ["personaBuilder"],
        "Fraud",
    )
    answers = {a.question.ref: a for a in Answer.objects.filter(assessment=new)}
    assert set(answers) == {"D1-C1.q1", "D1-C1.q2"}
    assert all(a.carried_over for a in answers.values())
    assert answers["D1-C1.q1"].comment == "See policy." and answers["D1-C1.q1"].value == 0.75
    assert answers["D1-C1.q2"].na and answers["D1-C1.q2"].justification
    assert AnswerChange.objects.filter(assessment=new).count() == 2
    copies = Evidence.objects.filter(assessment=new)
    assert {e.kind for e in copies} == {"file", "link"} and all(e.carried_over for e in copies)
    original = Evidence.objects.get(assessment=finished, kind="file")
    copy = copies.get(kind="file")
    assert copy.file.name != original.file.name and copy.file.read() == b"%PDF-1.4\n"
    # The page marks them; the overview counts what still needs confirming.
    assert "Carried over, please confirm" in client.get(page_url(new)).content.decode()
    assert "2 answers carried over" in client.get(response["Location"]).content.decode()


def test_start_from_drops_answers_that_no_longer_fit(client, owner, finished):
    # A new version where the choice question lost N/A and the scale renamed a level.
    newer = make_framework(slug=finished.framework.slug, version="2.0", published=False)
    from scorecard.models import Question, ScaleOption

    Question.objects.filter(framework=newer, ref="D1-C1.q2").update(allow_na=False)
    ScaleOption.objects.filter(framework=newer, label="Established").update(label="Managed")
    Framework.objects.filter(pk=newer.pk).update(status=FrameworkStatus.PUBLISHED)
    client.force_login(owner)
    url = reverse("assessment_start_from", args=[finished.pk])
    response = client.post(url, {"title": "Next", "framework": newer.pk}, follow=True)
    assert "2 answers no longer fit the catalog and were left out." in response.content.decode()
    new = Assessment.objects.get(title="Next")
    assert new.framework_id == newer.pk
    assert not Answer.objects.filter(assessment=new).exists()
    event = AuditEvent.objects.filter(action="assessment.created").latest("created_at")
    assert event.data["answers_dropped"] == ["D1-C1.q1", "D1-C1.q2"]


def test_start_from_refuses_another_frameworks_version(client, owner, finished):
    other = make_framework(slug="other")
    client.force_login(owner)
    url = reverse("assessment_start_from", args=[finished.pk])
    response = client.post(url, {"title": "Next", "framework": other.pk})
    assert response.status_code == 400
    assert Assessment.objects.count() == 1


def test_viewer_cannot_start_from(client, viewer, finished):
    client.force_login(viewer)
    url = reverse("assessment_start_from", args=[finished.pk])
    assert client.post(url, {"title": "X", "framework": finished.framework_id}).status_code == 403
    assert Assessment.objects.count() == 1
