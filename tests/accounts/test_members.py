"""Role changes, removals, auditors limited to named assessments, switching organisations."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.access import visible_assessments
from assessments.models import AuditEvent, Membership
from tests.factories import make_assessment, make_member

pytestmark = pytest.mark.django_db


def role_url(membership) -> str:
    return reverse("member_role", args=[membership.pk])


def role_data(membership, role, limited_to=()) -> dict:
    return {f"m{membership.pk}-role": role, f"m{membership.pk}-limited_to": list(limited_to)}


def test_owner_changes_a_role_and_it_is_audited(client, owner, viewer, organisation):
    membership = viewer.memberships.get()
    client.force_login(owner)
    response = client.post(role_url(membership), role_data(membership, "assessor"))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "assessor"
    event = AuditEvent.objects.get(action="member.role_changed")
    assert event.actor == owner and event.organisation == organisation
    assert event.data["old_role"] == "viewer" and event.data["new_role"] == "assessor"


@pytest.mark.parametrize("role", ["superuser", "god", "", "Owner"])
def test_a_role_that_does_not_exist_is_refused(client, owner, viewer, role):
    membership = viewer.memberships.get()
    client.force_login(owner)
    response = client.post(role_url(membership), role_data(membership, role))
    assert response.status_code == 400
    assert b"Nothing was changed" in response.content
    membership.refresh_from_db()
    assert membership.role == "viewer"
    assert not AuditEvent.objects.filter(action="member.role_changed").exists()


def test_last_owner_cannot_be_demoted(client, owner):
    membership = owner.memberships.get()
    client.force_login(owner)
    response = client.post(role_url(membership), role_data(membership, "viewer"))
    assert response.status_code == 400
    assert b"at least one owner" in response.content
    membership.refresh_from_db()
    assert membership.role == "owner"


def test_last_owner_cannot_be_removed(client, owner):
    membership = owner.memberships.get()
    client.force_login(owner)
    response = client.post(reverse("member_remove", args=[membership.pk]))
    assert response.status_code == 400
    assert b"at least one owner" in response.content
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_owner_may_step_down_when_another_owner_remains(client, owner, organisation):
    make_member(organisation, "owner", "second-owner@acme.example")
    membership = owner.memberships.get()
    client.force_login(owner)
    response = client.post(role_url(membership), role_data(membership, "viewer"))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "viewer"


def test_owner_removes_a_member_and_it_is_audited(client, owner, assessor):
    membership = assessor.memberships.get()
    client.force_login(owner)
    response = client.post(reverse("member_remove", args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(action="member.removed")
    assert event.data == {"email": assessor.email, "role": "assessor"}


@pytest.mark.parametrize("persona", ["viewer", "assessor", "auditor"])
def test_other_roles_cannot_change_roles_or_remove(client, request, persona, owner):
    target = owner.memberships.get()
    client.force_login(request.getfixturevalue(persona))
    assert client.post(role_url(target), role_data(target, "viewer")).status_code == 403
    assert client.post(reverse("member_remove", args=[target.pk])).status_code == 403
    target.refresh_from_db()
    assert target.role == "owner"


def test_owner_of_another_organisation_gets_404_and_changes_nothing(client, viewer, outsider):
    target = viewer.memberships.get()
    client.force_login(outsider)
    assert client.post(role_url(target), role_data(target, "owner")).status_code == 404
    assert client.post(reverse("member_remove", args=[target.pk])).status_code == 404
    target.refresh_from_db()
    assert target.role == "viewer"


def test_auditor_cannot_be_limited_to_another_organisations_assessment(
    client, owner, auditor, other_organisation, framework
):
    foreign = make_assessment(other_organisation, framework)
    membership = auditor.memberships.get()
    client.force_login(owner)
    response = client.post(role_url(membership), role_data(membership, "auditor", [foreign.pk]))
    assert response.status_code == 400
    assert b"valid choice" in response.content
    assert not membership.limited_to.exists()


def test_limited_auditor_sees_only_named_assessments(
    client, owner, auditor, organisation, framework
):
    named = make_assessment(organisation, framework, title="Named system")
    other = make_assessment(organisation, framework, title="Other system")
    membership = auditor.memberships.get()
    client.force_login(owner)
    response = client.post(role_url(membership), role_data(membership, "auditor", [named.pk]))
    assert response.status_code == 302
    assert list(visible_assessments(auditor)) == [named]
    assert set(visible_assessments(owner)) == {named, other}
    event = AuditEvent.objects.get(action="member.role_changed")
    assert event.data["new_limited_to"] == [str(named.pk)]


def test_only_auditors_can_be_limited(client, owner, viewer, assessment):
    membership = viewer.memberships.get()
    client.force_login(owner)
    response = client.post(role_url(membership), role_data(membership, "viewer", [assessment.pk]))
    assert response.status_code == 400
    assert not membership.limited_to.exists()


def test_leaving_the_auditor_role_clears_the_limit(owner, auditor, assessment):
    from assessments.services.accounts import change_role

    membership = auditor.memberships.get()
    change_role(membership=membership, role="auditor", limited_to=[assessment], actor=owner)
    change_role(membership=membership, role="viewer", actor=owner)
    assert not membership.limited_to.exists()


def test_members_page_shows_management_only_to_owners(client, owner, viewer):
    client.force_login(viewer)
    page = client.get(reverse("org_members"))
    assert page.status_code == 200
    assert owner.email.encode() in page.content
    assert b"Invite someone" not in page.content and b"Remove" not in page.content
    client.force_login(owner)
    page = client.get(reverse("org_members"))
    assert b"Invite someone" in page.content and b"Remove" in page.content


def test_user_in_two_organisations_switches_between_roles(client, organisation, other_organisation):
    person = make_member(organisation, "viewer", "both@example.org")
    Membership.objects.create(user=person, organisation=other_organisation, role="owner")
    client.force_login(person)
    page = client.get(reverse("org_members"))
    assert b'name="organisation"' in page.content  # the switcher in the navbar
    assert b"Invite someone" not in page.content  # a viewer in the first organisation

    response = client.post(
        reverse("org_switch"),
        {"organisation": other_organisation.slug, "next": "/organisation/members/"},
    )
    assert response.status_code == 302 and response["Location"] == "/organisation/members/"
    page = client.get(reverse("org_members"))
    assert b"Members of Globex" in page.content and b"Invite someone" in page.content


def test_switching_does_not_follow_an_offsite_next(client, organisation, owner):
    client.force_login(owner)
    response = client.post(
        reverse("org_switch"), {"organisation": "acme", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_switching_to_an_organisation_one_is_not_in_is_404(client, owner, other_organisation):
    client.force_login(owner)
    response = client.post(reverse("org_switch"), {"organisation": other_organisation.slug})
    assert response.status_code == 404
    assert "organisation_id" not in client.session


def test_members_page_queries_do_not_grow_with_members(client, owner, organisation, framework):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("org_members")).status_code == 200
        return len(captured)

    client.force_login(owner)
    make_assessment(organisation, framework)
    small = queries()
    for i in range(15):
        make_member(organisation, "auditor", f"auditor{i}@example.org")
        make_assessment(organisation, framework)
    assert queries() == small


def test_limited_auditor_sees_no_other_assessment_title_on_the_members_page(
    client, owner, auditor, organisation, framework
):
    from assessments.services.accounts import change_role, invite

    own = make_assessment(organisation, framework, title="Kestrel credit model")
    hidden = [
        make_assessment(organisation, framework, title="Heron hiring screener"),
        make_assessment(organisation, framework, title="Osprey claims triage"),
    ]
    change_role(membership=auditor.memberships.get(), role="auditor", limited_to=[own], actor=owner)
    colleague = make_member(organisation, "auditor", "colleague@audit.example")
    change_role(
        membership=colleague.memberships.get(), role="auditor", limited_to=hidden, actor=owner
    )
    invite(
        organisation=organisation,
        email="third@audit.example",
        role="auditor",
        invited_by=owner,
        limited_to=[hidden[1]],
    )
    client.force_login(auditor)
    page = client.get(reverse("org_members"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Heron hiring screener" not in html and "Osprey claims triage" not in html
    assert "Limited to: Kestrel credit model" in html  # their own limit, by name
    assert "colleague@audit.example" in html
    assert html.count("Limited to named assessments") == 1  # the colleague's, without titles
    assert "third@audit.example" not in html  # invitations are for owners only
    # An owner still sees every limit by name.
    client.force_login(owner)
    html = client.get(reverse("org_members")).content.decode()
    assert "Limited to: Heron hiring screener, Osprey claims triage" in html


def test_unlimited_auditor_sees_the_limits_of_others_by_name(
    client, owner, auditor, organisation, framework
):
    from assessments.services.accounts import change_role

    named = make_assessment(organisation, framework, title="Heron hiring screener")
    colleague = make_member(organisation, "auditor", "colleague@audit.example")
    change_role(
        membership=colleague.memberships.get(), role="auditor", limited_to=[named], actor=owner
    )
    client.force_login(auditor)
    html = client.get(reverse("org_members")).content.decode()
    assert "Limited to: Heron hiring screener" in html
    assert "Limited to named assessments" not in html


def test_a_change_to_a_member_removed_meanwhile_is_refused(owner, viewer):
    from django.core.exceptions import ValidationError

    from assessments.services.accounts import change_role, remove_member

    stale = viewer.memberships.get()
    remove_member(membership=stale, actor=owner)
    with pytest.raises(ValidationError, match="no longer a member"):
        change_role(membership=stale, role="assessor", actor=owner)
    assert not Membership.objects.filter(user=viewer).exists()
    assert not AuditEvent.objects.filter(action="member.role_changed").exists()


def test_a_change_by_someone_who_is_no_longer_an_owner_is_refused(owner, assessor, viewer):
    from assessments.services.accounts import NoLongerOwnerError, change_role, remove_member

    # The views check the role first; the service checks again under its locks, because
    # the actor may have been demoted while their request waited.
    with pytest.raises(NoLongerOwnerError):
        change_role(membership=viewer.memberships.get(), role="owner", actor=assessor)
    with pytest.raises(NoLongerOwnerError):
        remove_member(membership=viewer.memberships.get(), actor=assessor)
    assert viewer.memberships.get().role == "viewer"
    assert not AuditEvent.objects.filter(action__startswith="member.").exists()
