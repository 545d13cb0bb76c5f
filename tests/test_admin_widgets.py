"""The admin's many-to-many fields are checkbox lists, not Django's two-box picker, and its
list filters never show a link without text. (The browser check of every admin page is
tests/browser/test_every_page.py; these say what replaced what, without a browser.)"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client

from assessments.admin import MembershipForm
from assessments.models import Membership
from scorecard.models import Control, Risk
from tests.browser.site_data import build_site
from tests.factories import make_assessment, make_organisation

pytestmark = pytest.mark.django_db

TWO_BOX_PICKER = "admin/js/SelectFilter2.js"


@pytest.fixture
def site():
    return build_site()


@pytest.fixture
def root(site) -> Client:
    client = Client()
    client.force_login(site.users["admin"])
    return client


def _object_of(model, site) -> int:
    rows = model._default_manager.order_by("pk")
    if any(f.name == "framework" for f in model._meta.fields):
        rows = rows.filter(framework=site.frameworks["draft"])
    return rows.first().pk


def test_no_add_or_change_page_of_the_admin_loads_the_two_box_picker(site, root):
    opened = []
    for model in admin.site._registry:
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        for path in (f"{base}add/", f"{base}{_object_of(model, site)}/change/"):
            response = root.get(path)
            if response.status_code == 403:  # the audit log, invitations: nothing to add
                continue
            assert response.status_code == 200, path
            assert TWO_BOX_PICKER not in response.content.decode(), path
            opened.append(path)
    # Every registered model's change page was opened, whatever the add pages refused.
    assert len(opened) >= len(admin.site._registry)


def test_a_controls_personas_and_risks_are_checkboxes(site, root):
    control = Control.objects.filter(framework=site.frameworks["draft"]).order_by("pk").first()
    html = root.get(f"/admin/scorecard/control/{control.pk}/change/").content.decode()
    # make_framework: two personas, one risk per control (four controls), all offered.
    assert html.count('type="checkbox" name="linked_personas"') == 2
    assert html.count('type="checkbox" name="linked_risks"') == 4
    assert '<div id="id_linked_personas" role="group" aria-label="Personas"' in html
    assert '<div id="id_linked_risks" role="group" aria-label="Risks"' in html


def test_permissions_and_groups_are_checkboxes(site, root):
    group = Group.objects.get(name="Catalog editors")
    group_page = root.get(f"/admin/auth/group/{group.pk}/change/").content.decode()
    assert 'type="checkbox" name="permissions"' in group_page
    user_page = root.get(f"/admin/assessments/user/{site.users['owner'].pk}/change/")
    html = user_page.content.decode()
    assert 'role="group" aria-label="Groups"' in html
    assert 'type="checkbox" name="groups"' in html
    assert 'type="checkbox" name="user_permissions"' in html


def test_an_auditor_is_offered_only_the_assessments_of_their_organisation(site):
    framework = site.frameworks["published"]
    acme = site.world.organisation
    other = make_assessment(make_organisation("initech"), framework, title="Initech pricing")
    membership = Membership.objects.get(user=site.users["auditor"])
    offered = set(MembershipForm(instance=membership).fields["limited_to"].queryset)
    assert offered == set(site.world.organisation.assessments.all())
    assert other not in offered
    assert len(offered) == 4  # the world's two, in review, finalised
    assert all(a.organisation_id == acme.pk for a in offered)


def test_an_auditor_limited_to_another_organisations_assessment_is_refused(site):
    framework = site.frameworks["published"]
    other = make_assessment(make_organisation("initech"), framework, title="Initech pricing")
    auditor = site.users["auditor"]
    membership = Membership.objects.get(user=auditor)
    form = MembershipForm(
        data={
            "user": auditor.pk,
            "organisation": membership.organisation_id,
            "role": "auditor",
            "limited_to": [str(other.pk)],
        },
        instance=membership,
    )
    assert not form.is_valid()
    assert "limited_to" in form.errors
    assert not Membership.objects.get(pk=membership.pk).limited_to.exists()


def test_a_filter_choice_with_an_empty_value_reads_empty(site, root):
    # The published version's risks keep the factory's empty category.
    Risk.objects.filter(framework=site.frameworks["draft"]).update(category="Data")
    html = root.get("/admin/scorecard/risk/").content.decode()
    assert '<a href="?category=">(empty)</a>' in html
    assert '<a href="?category=Data">Data</a>' in html
