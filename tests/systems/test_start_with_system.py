"""Starting an assessment picks an AI system of the inventory, or names a new one."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.models import AISystem, Assessment
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db
START = reverse("assessment_start")


def start_data(framework, **fields):
    return {"framework": framework.pk, "deployment_stage": "pilot", **fields}


@pytest.fixture
def system(organisation):
    return AISystem.objects.create(organisation=organisation, name="Fraud scorer")


def test_picking_a_system_assesses_it_under_its_name(client, assessor, framework, system):
    client.force_login(assessor)
    response = client.post(START, start_data(framework, system=str(system.pk)))
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.system == system and assessment.title == "Fraud scorer"
    assert AISystem.objects.count() == 1


def test_a_picked_system_keeps_a_title_given(client, assessor, framework, system):
    client.force_login(assessor)
    client.post(START, start_data(framework, system=str(system.pk), title="Fraud scorer Q3"))
    assessment = Assessment.objects.get()
    assert (assessment.system, assessment.title) == (system, "Fraud scorer Q3")


def test_naming_a_new_system_adds_it_to_the_inventory(client, assessor, framework, system):
    client.force_login(assessor)
    client.post(START, start_data(framework, title="Claims router"))
    created = AISystem.objects.get(name="Claims router")
    assert Assessment.objects.get().system == created


def test_a_system_of_another_organisation_is_refused(
    client, assessor, framework, other_organisation
):
    foreign = AISystem.objects.create(organisation=other_organisation, name="Globex bot")
    client.force_login(assessor)
    response = client.post(START, start_data(framework, system=str(foreign.pk)))
    assert response.status_code == 400
    assert "Choose one of this organisation&#x27;s AI systems." in response.content.decode()
    assert not Assessment.objects.exists()
    assert "Globex bot" not in client.get(START).content.decode()


def selected(html: str) -> list[str]:
    """The selected options of the system picker."""
    picker = re.search(r'<select name="system".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)" selected>', picker)


def test_coming_from_a_system_page_preselects_it(client, assessor, system, other_organisation):
    client.force_login(assessor)
    detail = client.get(reverse("system_detail", args=[system.pk])).content.decode()
    link = f"{START}?system={system.pk}"
    assert f'href="{link}"' in detail
    assert selected(client.get(link).content.decode()) == [str(system.pk)]
    foreign = AISystem.objects.create(organisation=other_organisation, name="Globex bot")
    for value in (str(foreign.pk), "not-a-uuid"):
        assert selected(client.get(f"{START}?system={value}").content.decode()) == [""]


def test_the_assessment_pages_link_their_system(client, owner, organisation, framework, system):
    assessment = make_assessment(organisation, framework, system=system, title="Fraud Q1")
    client.force_login(owner)
    link = f'<a href="{reverse("system_detail", args=[system.pk])}">Fraud scorer</a>'
    assert link in client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    assert link in client.get(reverse("assessment_list")).content.decode()


def test_the_systems_personas_are_the_first_scope_of_its_assessment(
    client, assessor, framework, organisation
):
    # personaUser is in the test catalog, personaGone is not.
    held = AISystem.objects.create(
        organisation=organisation, name="Chat", personas=["personaGone", "personaUser"]
    )
    client.force_login(assessor)
    client.post(START, start_data(framework, system=str(held.pk)))
    assert Assessment.objects.get().personas == ["personaUser"]


def test_a_system_without_personas_starts_with_the_whole_catalog(
    client, assessor, framework, system
):
    client.force_login(assessor)
    client.post(START, start_data(framework, system=str(system.pk)))
    assert Assessment.objects.get().personas == []
