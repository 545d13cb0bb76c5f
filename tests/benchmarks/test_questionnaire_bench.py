"""Rendering a questionnaire page of 40 questions, half of them answered, with evidence.

Run with `make bench` (--benchmark-only). The target is under 100 ms per page, with the
catalog caches warm as they are in a running server. The view is called directly: the test
client would add its own cost of copying every template context it records.
"""

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from assessments.models import Answer, Evidence, EvidenceKind
from assessments.views.questionnaire import questionnaire_page
from scorecard.models import Question
from tests.factories import make_assessment, make_framework

pytest.importorskip("pytest_benchmark")

pytestmark = pytest.mark.django_db


def test_questionnaire_page_of_40_questions(benchmark, owner, organisation):
    framework = make_framework(slug="bench", domains=4, controls_per_domain=20)
    assessment = make_assessment(organisation, framework, created_by=owner)
    page = list(Question.objects.filter(framework=framework, control__domain__ref="D1"))
    assert len(page) == 40
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            question=q,
            option_label="Partial" if q.type == "scale" else "",
            value=0.5 if q.type == "scale" else None,
            comment="Reviewed in the last quarter.",
            updated_by=owner,
        )
        for q in page[::2]
    )
    Evidence.objects.bulk_create(
        Evidence(
            assessment=assessment,
            question=q,
            kind=EvidenceKind.LINK,
            url="https://wiki.example.org/policy",
        )
        for q in page[::4]
    )
    url = reverse("questionnaire_page", args=[assessment.pk, "D1"])
    factory = RequestFactory()

    def render():
        request = factory.get(url)
        request.user = owner
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        response = questionnaire_page(request, assessment_id=assessment.pk, domain_ref="D1")
        assert response.status_code == 200
        return response

    response = benchmark.pedantic(render, rounds=30, iterations=1, warmup_rounds=3)
    assert response.content.count(b'<fieldset class="question') == 40
    assert benchmark.stats.stats.mean < 0.100
