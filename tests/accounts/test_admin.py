"""Staff pages for people and organisations: superusers only; catalog editors never see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments import audit
from assessments.models import Membership, Organisation, User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PEOPLE_PAGES = [
    "admin:assessments_user_changelist",
    "admin:assessments_user_add",
    "admin:assessments_organisation_changelist",
    "admin:assessments_organisation_add",
    "admin:assessments_invitation_changelist",
    "admin:assessments_auditevent_changelist",
]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@scorecard.example", password=PASSWORD)


@pytest.mark.parametrize("name", PEOPLE_PAGES)
def test_superuser_manages_people_and_organisations(client, superuser, name):
    client.force_login(superuser)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PEOPLE_PAGES)
def test_catalog_editor_is_refused_people_and_organisations(client, catalog_admin, name):
    client.force_login(catalog_admin)
    assert client.get(reverse(name)).status_code == 403


def test_catalog_editor_does_not_see_them_on_the_admin_index(client, catalog_admin, superuser):
    client.force_login(catalog_admin)
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/assessments/" not in index
    client.force_login(superuser)
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/assessments/user/" in index and "/admin/assessments/organisation/" in index


def test_staff_with_model_permissions_still_cannot_manage_users(client, catalog_admin):
    from django.contrib.auth.models import Permission

    catalog_admin.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="assessments")
    )
    client.force_login(catalog_admin)
    assert client.get(reverse("admin:assessments_user_changelist")).status_code == 403


def test_superuser_creates_a_user_who_logs_in_with_email(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:assessments_user_add"),
        {
            "email": "Fresh@Example.org",
            "full_name": "Fresh Person",
            "usable_password": "true",
            "password1": "a-fresh-passphrase-55",
            "password2": "a-fresh-passphrase-55",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    user = User.objects.get(email="fresh@example.org")
    assert user.check_password("a-fresh-passphrase-55")


def test_superuser_adds_a_member_in_the_organisation_page(client, superuser):
    client.force_login(superuser)
    person = make_user("member@example.org")
    response = client.post(
        reverse("admin:assessments_organisation_add"),
        {
            "name": "Initech",
            "slug": "initech",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": person.pk,
            "memberships-0-role": "owner",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    organisation = Organisation.objects.get(slug="initech")
    assert Membership.objects.get(organisation=organisation).user == person


def test_audit_events_are_read_only_in_the_admin(client, superuser, organisation):
    event = audit.record("login", organisation=organisation, summary="original")
    client.force_login(superuser)
    change = client.get(reverse("admin:assessments_auditevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    assert (
        client.post(
            reverse("admin:assessments_auditevent_change", args=[event.pk]), {"summary": "edited"}
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("admin:assessments_auditevent_delete", args=[event.pk])).status_code
        == 403
    )
    assert client.get(reverse("admin:assessments_auditevent_add")).status_code == 403
    event.refresh_from_db()
    assert event.summary == "original"
