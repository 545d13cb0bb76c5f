"""Refusals are explained in the app's own words, not Django's bare defaults."""

import uuid

import pytest


@pytest.mark.django_db
def test_unknown_assessment_gets_the_not_found_page(client, owner):
    client.force_login(owner)
    response = client.get(f"/assessments/{uuid.uuid4()}/")
    assert response.status_code == 404
    assert b"belongs to an organisation you are not a member of" in response.content


@pytest.mark.django_db
def test_wrong_role_gets_the_not_allowed_page_with_the_reason(client, viewer, assessment):
    client.force_login(viewer)
    response = client.get(f"/assessments/{assessment.pk}/scope/")
    assert response.status_code == 403
    assert b"Not allowed" in response.content
    assert b"viewer" in response.content
