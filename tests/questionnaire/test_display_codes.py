"""Headings lead with the display code and the title, with the source id as secondary text:
questionnaire page, answer history, review page, My work and the assignment form."""

import pytest
from django.urls import reverse

from assessments.models import AssessmentStatus, DomainAssignment
from assessments.templatetags.catalog_labels import catalog_code, catalog_label
from scorecard.models import Domain, Question
from tests.questionnaire.helpers import page_url
from tests.workflow.helpers import comment_on, set_status

pytestmark = pytest.mark.django_db

# The factory's first control and question (tests/factories.py): code, title, source id.
CONTROL_HEADING = (
    '<span class="catalog-code">DM1-1</span> Control D1-1 <span class="catalog-ref">D1-C1</span>'
)
QUESTION_LEGEND = (
    '<span class="catalog-code">DM1-1.1</span> Question 1 about Control D1-1? '
    '<span class="catalog-ref">D1-C1.q1</span>'
)


def test_questionnaire_headings_show_code_title_and_source_id(client, owner, assessment):
    client.force_login(owner)
    html = client.get(page_url(assessment, "D1")).content.decode()
    assert CONTROL_HEADING in html
    assert f'<legend class="h6 question-text">{QUESTION_LEGEND}</legend>' in html


def test_domain_heading_and_domain_list_lead_with_the_domain_code(client, owner, assessment):
    client.force_login(owner)
    html = client.get(page_url(assessment, "D1")).content.decode()
    assert (
        '<h1 class="h3" id="domain-D1"><span class="catalog-code">DM1</span> Domain 1 '
        '<span class="catalog-ref">D1</span></h1>'
    ) in html
    assert '<span class="catalog-code">DM2</span> Domain 2</a>' in html


def test_the_catalog_preview_shows_the_domain_code_too(client, django_user_model, assessment):
    admin = django_user_model.objects.create_superuser(
        email="catalog-admin@example.org", password="a-long-passphrase-42"
    )
    client.force_login(admin)
    url = reverse("catalog_preview", args=[assessment.framework_id])
    html = client.get(url).content.decode()
    assert (
        '<span class="catalog-code">DM1</span> Domain 1 <span class="catalog-ref">D1</span>' in html
    )


def test_a_row_without_a_code_shows_its_source_id_in_the_codes_place():
    assert catalog_label("", "Control <1>", "D1-C1") == (
        '<span class="catalog-ref">D1-C1</span> Control &lt;1&gt;'
    )
    assert catalog_code("", "D1-C1.q1") == '<span class="catalog-ref">D1-C1.q1</span>'


def test_answer_history_is_titled_by_code_with_the_source_id(client, owner, assessment):
    client.force_login(owner)
    url = reverse("answer_history", args=[assessment.pk, "D1-C1.q1"])
    html = client.get(url).content.decode()
    assert "<title>History of DM1-1.1 · " in html
    assert (
        '<h1 class="h3">History of <span class="catalog-code">DM1-1.1</span> '
        '<span class="catalog-ref">D1-C1.q1</span></h1>'
    ) in html
    assert f"Control {CONTROL_HEADING}." in html


def test_review_page_names_each_question_by_code_and_source_id(client, owner, auditor, assessment):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    comment_on(assessment, "D1-C1.q1", auditor, body="Which teams?")
    client.force_login(owner)
    html = client.get(reverse("assessment_review", args=[assessment.pk])).content.decode()
    assert (
        '<h3 class="h6"><span class="catalog-code">DM1-1.1</span> '
        '<span class="catalog-ref">D1-C1.q1</span> · Domain 1</h3>'
    ) in html


def test_my_work_shows_domain_and_question_codes(client, assessor, auditor, assessment):
    DomainAssignment.objects.create(
        assessment=assessment,
        domain=Domain.objects.get(framework=assessment.framework, ref="D2"),
        assignee=assessor,
    )
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    comment_on(assessment, "D1-C1.q1", auditor, body="Waiting for you")
    client.force_login(assessor)
    html = client.get(reverse("my_work")).content.decode()
    assert (
        '<td><span class="catalog-code">DM2</span> Domain 2 '
        '<span class="catalog-ref">D2</span></td>'
    ) in html
    assert (
        '<td><span class="catalog-code">DM1-1.1</span> '
        '<span class="catalog-ref">D1-C1.q1</span></td>'
    ) in html


def test_an_error_message_names_the_question_by_code_and_source_id():
    question = Question(ref="controlX.q1", code="DAT-3.1")
    assert question.display_ref == "DAT-3.1 (controlX.q1)"
    assert Question(ref="controlX.q1").display_ref == "controlX.q1"
