"""The catalog upgrade page: the plan before anything moves, then the move."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.models import Answer, AssessmentStatus
from tests.factories import make_framework
from tests.workflow.helpers import answer_all, make_next_version, set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(framework):
    return make_next_version()


@pytest.fixture
def page(assessment):
    return reverse("assessment_upgrade", kwargs={"assessment_id": assessment.pk})


@pytest.fixture
def owner_client(client, owner, assessment):
    answer_all(assessment, owner)
    client.force_login(owner)
    return client


def framework_of(assessment):
    assessment.refresh_from_db()
    return assessment.framework


def test_page_offers_other_published_versions(owner_client, page, target):
    make_next_version("2.0-draft", publish=False)
    content = owner_client.get(page).content.decode()
    assert f'value="{target.pk}"' in content
    assert "2.0-draft" not in content


def test_plan_is_shown_before_anything_moves(owner_client, page, target, assessment, framework):
    response = owner_client.get(page, {"target": target.pk})
    content = response.content.decode()
    assert response.status_code == 200
    for ref in ("D2-C2.q3", "D2-C2.q2", "D1-C1.q1", "D1-C1.q2"):
        assert ref in content
    assert "Reworded: how mature is it?" in content
    assert framework_of(assessment) == framework


def test_post_applies_the_plan_that_was_shown(owner_client, page, target, assessment):
    plan = owner_client.get(page, {"target": target.pk}).context["plan"]
    response = owner_client.post(page, {"target": target.pk, "fingerprint": plan.fingerprint})
    assert response.status_code == 302
    assert framework_of(assessment) == target
    # 8 answers: one question removed, two answers no longer fit (dropped whole).
    assert Answer.objects.filter(assessment=assessment).count() == 5


def test_a_stale_plan_is_shown_again_and_nothing_moves(
    owner_client, page, target, assessment, framework
):
    plan = owner_client.get(page, {"target": target.pk}).context["plan"]
    Answer.objects.filter(assessment=assessment, question__ref="D2-C2.q2").delete()
    response = owner_client.post(page, {"target": target.pk, "fingerprint": plan.fingerprint})
    assert response.status_code == 409
    assert "changed while you were reading" in response.content.decode()
    assert response.context["plan"].fingerprint != plan.fingerprint
    assert framework_of(assessment) == framework


@pytest.mark.parametrize("kind", ["other slug", "draft"])
def test_upgrade_to_an_unsuitable_version_is_refused(
    owner_client, page, assessment, framework, kind
):
    target = (
        make_framework(slug="other-fw", version="9.0")
        if kind == "other slug"
        else make_next_version("2.0-draft", publish=False)
    )
    shown = owner_client.get(page, {"target": target.pk})
    assert shown.status_code == 400
    assert shown.context["plan"] is None
    response = owner_client.post(page, {"target": target.pk, "fingerprint": "0" * 64})
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302
    assert messages and ("different framework" in messages[0] or "not published" in messages[0])
    assert framework_of(assessment) == framework


def test_upgrade_of_a_finalised_assessment_is_refused(owner_client, page, target, assessment):
    set_status(assessment, AssessmentStatus.FINALISED)
    content = owner_client.get(page).content.decode()
    assert "finalised assessment keeps its catalog version" in content
    response = owner_client.post(page, {"target": target.pk, "fingerprint": "0" * 64})
    assert "finalised" in [str(m) for m in get_messages(response.wsgi_request)][0]
    assert framework_of(assessment) != target


def test_unknown_target_is_a_clear_400(owner_client, page):
    response = owner_client.get(page, {"target": "999999"})
    assert response.status_code == 400
    assert "no such catalog version" in response.content.decode()


def test_assessor_may_not_upgrade(client, assessor, page, target):
    client.force_login(assessor)
    assert client.get(page).status_code == 403
    assert client.post(page, {"target": target.pk, "fingerprint": "x"}).status_code == 403
