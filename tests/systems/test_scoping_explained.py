"""The scoping page lists every control with whether it applies and the engine's reason.

Catalog: tests/catalog/data/riskmap-fields.yaml, whose vocabulary names compA "Component A"
and the stage "run" "Running"; cListed lists compA and compB, stage run, actor access robot
and outsider; cLiterals says all/none; cSilent states nothing.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import AISystem
from scorecard.catalog.native import read_data_file
from scorecard.catalog.store import save_document
from scorecard.models import FrameworkStatus, Term
from tests.catalog.helpers import DATA
from tests.factories import make_assessment, make_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    return save_document(
        read_data_file(DATA / "riskmap-fields.yaml"), status=FrameworkStatus.PUBLISHED
    )


def _row(html: str, control_id: str) -> str:
    match = re.search(rf'<tr id="scope-{control_id}">(.*?)</tr>', html, re.S)
    assert match, control_id
    return re.sub(r"<[^>]+>", " ", match.group(1))


def _page(client, owner, assessment) -> str:
    client.force_login(owner)
    response = client.get(reverse("assessment_scoping", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _names(framework, *refs):
    return [Term.objects.get(framework=framework, ref=ref).name for ref in refs]


def test_each_control_says_why_it_is_in_or_out(client, owner, organisation, framework):
    system = AISystem.objects.create(
        organisation=organisation, name="Bot", components=["compZ"], lifecycle_stages=["run"]
    )
    assessment = make_assessment(organisation, framework, system=system, title="Bot")
    html = _page(client, owner, assessment)
    (run,) = _names(framework, "run")

    listed = " ".join(_row(html, "cListed").split())
    assert "Out" in listed
    # The first check that narrows: compA and compB are not among the system's components;
    # the stage is shared. Names come from the catalog's vocabulary.
    comp_a, comp_b = _names(framework, "compA", "compB")
    assert f"out: components {comp_a}, {comp_b} not in use" in listed
    assert f"in: lifecycle stage {run}" in listed
    literals = " ".join(_row(html, "cLiterals").split())
    assert "In" in literals
    assert "in: every component; in: no particular lifecycle stage" in literals
    silent = " ".join(_row(html, "cSilent").split())
    assert "in: nothing in the scope narrows it" in silent
    assert "<strong>2</strong> controls in scope, <strong>1</strong> out" in html
    assert "methodology <strong>1.1</strong>" in html


def test_a_1_0_assessment_says_the_system_terms_are_not_read(
    client, owner, organisation, framework
):
    system = AISystem.objects.create(organisation=organisation, name="Old", components=["compZ"])
    assessment = make_assessment(
        organisation, framework, system=system, title="Old", methodology="1.0"
    )
    html = _page(client, owner, assessment)
    assert "methodology <strong>1.0</strong>" in html
    assert "(not read by this methodology)" in html
    assert "Out" not in " ".join(_row(html, "cListed").split())


def _queries_for(client, owner, organisation, domains, controls):
    framework = make_framework(slug=f"fw-{domains}", domains=domains, controls_per_domain=controls)
    system = AISystem.objects.create(
        organisation=organisation, name=f"Bot {domains}", components=["compA"]
    )
    assessment = make_assessment(organisation, framework, system=system, title=system.name)
    _page(client, owner, assessment)  # warms the catalog cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("assessment_scoping", args=[assessment.pk])).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_whatever_the_catalogs_size(client, owner, organisation):
    small = _queries_for(client, owner, organisation, 1, 2)
    large = _queries_for(client, owner, organisation, 6, 20)
    assert small == large
