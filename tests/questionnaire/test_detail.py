"""The assessment overview points the team at what is left to do."""

import pytest
from django.urls import reverse

from assessments.models import Answer
from scorecard.models import Question

pytestmark = pytest.mark.django_db


def answer_everything(assessment):
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=q, option_label="Yes", value=1.0)
        for q in Question.objects.filter(
            framework=assessment.framework, type__in=["scale", "choice", "yes_no"]
        )
    )


def test_overview_continues_with_the_first_unfinished_domain(client, assessor, assessment):
    client.force_login(assessor)
    page = client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    assert "Continue with Domain 1" in page
    assert reverse("scorecard", args=[assessment.pk]) in page


def test_overview_of_a_fully_answered_assessment_offers_a_review_not_more_work(
    client, assessor, assessment
):
    answer_everything(assessment)
    client.force_login(assessor)
    page = client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    assert "Continue with" not in page
    assert "Review the answers" in page
