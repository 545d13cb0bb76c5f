"""The navigation bar's organisation menu: read once per request, lazily, by the context
processor; the switcher tag and `current_role_can` only format it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from assessments.context_processors import organisation_menu
from assessments.models import Membership, Role
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

NAVBAR = Template(
    "{% load organisations %}{% organisation_switcher %}"
    '{% current_role_can "audit_log" as may_read %}audit:{{ may_read }}'
)


def request_for(user):
    request = RequestFactory().get("/assessments/")
    request.user = user
    request.session = {}
    return request


def test_menu_is_read_only_when_used_and_once_per_request(
    owner, organisation, django_assert_num_queries
):
    second = make_organisation("initech", "Initech")
    Membership.objects.create(user=owner, organisation=second, role=Role.VIEWER)
    request = request_for(owner)
    with django_assert_num_queries(0):
        context = organisation_menu(request)
    with django_assert_num_queries(1):
        names = [m.organisation.name for m in context["organisation_menu"].memberships]
    assert sorted(names) == ["Acme AI", "Initech"]
    with django_assert_num_queries(0):  # a second render in the same request
        assert organisation_menu(request)["organisation_menu"].current.role == Role.OWNER


def test_switcher_and_role_links_format_the_menu_without_a_query(
    owner, organisation, django_assert_num_queries
):
    second = make_organisation("initech", "Initech")
    Membership.objects.create(user=owner, organisation=second, role=Role.VIEWER)
    request = request_for(owner)
    menu = organisation_menu(request)["organisation_menu"]
    menu.memberships  # noqa: B018 - read it here, outside the counted block
    with django_assert_num_queries(0):
        html = NAVBAR.render(Context({"request": request, "organisation_menu": menu}))
    assert "Acme AI (Owner)" in html and "Initech (Viewer)" in html
    assert "audit:True" in html


def test_anonymous_visitors_and_pages_without_the_processor_get_no_menu(
    viewer, django_assert_num_queries
):
    with django_assert_num_queries(0):
        anonymous = request_for(AnonymousUser())
        assert organisation_menu(anonymous)["organisation_menu"].memberships == []
        html = NAVBAR.render(Context({"request": request_for(viewer)}))
    assert "audit:False" in html
    assert "<form" not in html
