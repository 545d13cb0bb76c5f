"""Two people pressing "Create the PDF scorecard" at the same moment queue one render.

Each request runs in its own thread with its own database connection, released together
by a barrier; the service's lock on the assessment row makes the second wait and then
find the first one's Report. Only PostgreSQL has that row lock, so the module is
deselected on SQLite. Several rounds, so that a lucky ordering cannot make it pass.
"""

from __future__ import annotations

from functools import partial

import pytest
from django.urls import reverse

from assessments.models import Report, ReportStatus
from assessments.reports import service
from tests.accounts.test_races import logged_in, race
from tests.factories import make_assessment, make_framework, make_member, make_organisation

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

ROUNDS = 6
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def queued(monkeypatch):
    """The ids handed to the worker; nothing renders (the race is about queuing)."""
    ids: list[str] = []

    class Task:
        @staticmethod
        def delay(report_id):
            ids.append(report_id)

    monkeypatch.setattr(service, "render_report", Task)
    return ids


def test_two_requests_at_once_queue_one_render(queued):
    framework = make_framework(slug="race-pdf")
    for round_ in range(ROUNDS):
        organisation = make_organisation(f"race-pdf-{round_}")
        owner = make_member(organisation, "owner", f"owner{round_}@race.example")
        assessor = make_member(organisation, "assessor", f"assessor{round_}@race.example")
        assessment = make_assessment(organisation, framework, created_by=owner)
        path = reverse("report_request", kwargs={"assessment_id": assessment.pk})
        clients = [logged_in(owner), logged_in(assessor)]
        responses = race(*(partial(c.post, path, **HTMX) for c in clients))

        assert [r.status_code for r in responses] == [200, 200], f"round {round_}"
        reports = list(Report.objects.filter(assessment=assessment))
        assert len(reports) == 1, f"round {round_}: {len(reports)} reports"
        assert reports[0].status == ReportStatus.QUEUED
        assert queued.count(str(reports[0].pk)) == 1
        # Both people see the one render's progress.
        status = reverse("report_status", kwargs={"report_id": reports[0].pk})
        for response in responses:
            assert f'hx-get="{status}?shown=queued"' in response.content.decode()
    assert len(queued) == ROUNDS
