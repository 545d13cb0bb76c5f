"""The organisation's assessment list, the overview page, home, and the catalog preview."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments.models import Answer, Assessment, Membership
from assessments.scoring import take_snapshot
from tests.factories import make_assessment, make_framework, make_user
from tests.questionnaire.helpers import make_rich_framework, question

pytestmark = pytest.mark.django_db

LIST = "/assessments/"


def rows(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)


def answer_all(assessment, label="Optimised", count=None):
    from scorecard.models import Question

    questions = Question.objects.filter(framework=assessment.framework, type="scale")
    for q in questions[:count]:
        Answer.objects.create(assessment=assessment, question=q, option_label=label, value=1.0)


def test_home_sends_members_to_their_assessments(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("assessment_list")


def test_home_welcomes_users_without_organisation(client, catalog_admin):
    client.force_login(catalog_admin)
    assert client.get(reverse("home")).status_code == 200


def test_list_shows_score_tier_completeness_and_framework(client, viewer, organisation, framework):
    assessment = make_assessment(organisation, framework, title="Chatbot")
    answer_all(assessment)
    client.force_login(viewer)
    html = client.get(LIST).content.decode()
    row = html[html.index(">Chatbot<") :].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    # All four scale questions answered "Optimised", the four choice ones not: 50 / 50 %.
    assert cells[0] == "Draft"
    assert cells[1] == "50.00" and cells[3] == "50.00"
    assert cells[2] == "Developing"  # the tier from 30 up to 55
    assert "Test framework test-fw 1.0" in cells[4]


def test_finalised_assessment_shows_its_snapshot(client, owner, organisation, framework):
    assessment = make_assessment(organisation, framework, title="Frozen")
    answer_all(assessment, count=1)
    take_snapshot(assessment=assessment)
    Answer.objects.filter(assessment=assessment).delete()  # the live score would now be 0
    Assessment.objects.filter(pk=assessment.pk).update(status="finalised")
    client.force_login(owner)
    html = client.get(LIST).content.decode()
    row = html[html.index(">Frozen<") :].split("</tr>")[0]
    assert "12.50" in row and "Finalised" in row


def test_list_filters_by_status_framework_and_title(client, owner, organisation, framework):
    other = make_framework(slug="other-fw")
    make_assessment(organisation, framework, title="Fraud model")
    make_assessment(organisation, other, title="Fraud detector")
    submitted = make_assessment(organisation, framework, title="Pricing engine")
    Assessment.objects.filter(pk=submitted.pk).update(status="submitted")
    client.force_login(owner)
    assert sorted(rows(client.get(LIST, {"q": "fraud"}).content.decode())) == [
        "Fraud detector",
        "Fraud model",
    ]
    assert rows(client.get(LIST, {"status": "submitted"}).content.decode()) == ["Pricing engine"]
    assert rows(client.get(LIST, {"framework": other.pk}).content.decode()) == ["Fraud detector"]
    response = client.get(LIST, {"status": "bogus"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_list_is_paginated_by_25(client, owner, organisation, framework):
    for i in range(27):
        make_assessment(organisation, framework, title=f"System {i:02d}")
    client.force_login(owner)
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert len(rows(first)) == 25 and len(rows(second)) == 2
    assert "page 1 of 2" in first and "page=2" in first


def test_list_shows_only_the_current_organisations_assessments(client, outsider, assessment):
    client.force_login(outsider)
    html = client.get(LIST).content.decode()
    assert assessment.title not in html


def test_limited_auditor_sees_only_named_assessments(client, auditor, organisation, framework):
    named = make_assessment(organisation, framework, title="Named one")
    make_assessment(organisation, framework, title="Not named")
    Membership.objects.get(user=auditor).limited_to.add(named)
    client.force_login(auditor)
    assert rows(client.get(LIST).content.decode()) == ["Named one"]


@pytest.mark.parametrize("count", [3, 25])
def test_list_queries_do_not_grow_with_the_page(
    client, owner, organisation, count, django_assert_max_num_queries
):
    framework = make_framework(slug=f"list{count}")
    second = make_framework(slug=f"list{count}", version="2.0")
    for i in range(count):
        assessment = make_assessment(organisation, second if i % 2 else framework)
        answer_all(assessment, count=2)
    finalised = Assessment.objects.filter(organisation=organisation).first()
    take_snapshot(assessment=finalised)
    Assessment.objects.filter(pk=finalised.pk).update(status="finalised")
    client.force_login(owner)
    client.get(LIST)  # warms the per-process catalog cache
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(rows(response.content.decode())) == count


def test_overview_shows_scope_progress_and_workflow(client, owner, organisation):
    framework = make_rich_framework()
    assessment = make_assessment(
        organisation, framework, created_by=owner, personas=["personaBuilder"], purpose="Fraud"
    )
    Answer.objects.create(
        assessment=assessment,
        question=question(framework, "D1-C1.q1"),
        option_label="Partial",
        value=0.5,
        carried_over=True,
    )
    client.force_login(owner)
    html = client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    assert "Model builder" in html and "Fraud" in html
    assert "1 of 6" in html
    assert "1 answer carried over" in html
    assert reverse("questionnaire_page", args=[assessment.pk, "D1"]) in html
    assert reverse("assessment_scoping", args=[assessment.pk]) in html
    assert reverse("assessment_start_from", args=[assessment.pk]) in html
    assert "Review and sign-off" in html  # the workflow partial


def test_viewer_overview_has_no_edit_links(client, viewer, assessment):
    client.force_login(viewer)
    html = client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    assert reverse("assessment_scoping", args=[assessment.pk]) not in html
    assert reverse("assessment_start_from", args=[assessment.pk]) not in html


# --- preview as respondent ---------------------------------------------------------------


def preview_url(framework, domain=None):
    url = reverse("catalog_preview", args=[framework.pk])
    return f"{url}?domain={domain}" if domain else url


def test_catalog_admin_previews_a_draft_read_only(client, catalog_admin):
    # A published version cannot go back to draft (the database refuses): preview a new
    # draft made from it.
    from scorecard.services import new_draft_from

    draft = new_draft_from(framework=make_rich_framework(slug="preview"), version="2.0")
    client.force_login(catalog_admin)
    html = client.get(preview_url(draft, "D1")).content.decode()
    assert "Preview of" in html
    assert "Sub-domain one" in html and "How many models run in production?" in html
    assert 'id="questionnaire-form"' not in html and "Save draft" not in html
    inputs = re.findall(r'<(?:input|textarea)[^>]*form="questionnaire-form"[^>]*>', html)
    assert inputs and all(" disabled" in tag for tag in inputs)
    assert ">D2-C2</span>" in client.get(preview_url(draft, "D2")).content.decode()


def test_preview_needs_the_view_permission(client):
    staff = make_user("staff@scorecard.example", is_staff=True)
    framework = make_framework(slug="perm")
    client.force_login(staff)
    assert client.get(preview_url(framework)).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_framework"))
    staff = type(staff).objects.get(pk=staff.pk)
    client.force_login(staff)
    assert client.get(preview_url(framework)).status_code == 200


def test_preview_of_unknown_domain_is_404(client, catalog_admin, framework):
    client.force_login(catalog_admin)
    assert client.get(preview_url(framework, "NOPE")).status_code == 404


def test_members_cannot_preview(client, owner, framework):
    client.force_login(owner)
    response = client.get(preview_url(framework))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
