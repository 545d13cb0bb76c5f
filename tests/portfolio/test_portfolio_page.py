"""The portfolio page: one row per AI system with its figures, trend and heat map; its
filters; its query count, constant in the number of systems."""

from datetime import timedelta

import pytest
from django.urls import reverse

from assessments.models import AISystem, Membership, Role
from assessments.selectors.portfolio import Filters, portfolio
from tests.factories import make_member
from tests.portfolio.helpers import START, build

pytestmark = pytest.mark.django_db

URL = reverse("portfolio")


def test_a_system_shows_its_latest_finalised_figures_and_the_trend_of_its_finalisations(
    organisation, categorised, owner
):
    build(organisation, categorised, 2, owner=owner, finalised_scores=(60.0, 72.5))
    finalised, draft_only = portfolio(organisation).rows
    assert finalised.system.name == "System 000"
    assert finalised.latest.revision == 3 and not finalised.latest.is_finalised
    assert finalised.source.revision == 2 and finalised.source.is_finalised
    assert finalised.overall == 72.5
    assert finalised.trend == (60.0, 72.5)
    assert finalised.delta == pytest.approx(12.5)
    assert finalised.last_finalised == START + timedelta(days=15)
    # The draft-only system is scored live: one of eight questions answered 0.5, the
    # others count 0, so D1-C1 = 25, D1 = 12.5, overall = 6.25.
    assert draft_only.source == draft_only.latest and not draft_only.source.is_finalised
    assert draft_only.overall == pytest.approx(6.25)
    assert draft_only.trend == () and draft_only.delta is None
    assert draft_only.last_finalised is None
    # Exposure: Data = 100 - mean(25, 0) = 87.5; Model = 100 - mean(0, 0) = 100.
    assert draft_only.exposure == {"Data": pytest.approx(87.5), "Model": pytest.approx(100.0)}


def test_a_system_without_assessments_is_listed_without_figures(organisation, categorised):
    AISystem.objects.create(organisation=organisation, name="Unassessed")
    (row,) = portfolio(organisation).rows
    assert row.latest is None and row.source is None and row.result is None
    assert row.overall is None and row.exposure == {} and row.trend == ()


def test_the_page_lists_every_system_with_links_and_a_heat_map_in_words(
    client, organisation, categorised, owner
):
    build(organisation, categorised, 2, owner=owner)
    client.force_login(owner)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    rows = portfolio(organisation).rows
    for row in rows:
        assert reverse("assessment_detail", args=[row.latest.pk]) in html
    assert reverse("assessment_detail", args=[rows[0].source.pk]) in html  # "figures from"
    assert '<th scope="col">Data</th>' in html and '<th scope="col">Model</th>' in html
    assert "87.50 (severe)" in html  # the value and its band, not colour alone
    assert 'class="heat heat-severe"' in html
    assert 'id="heat-data"' in html  # the numbers beside the map
    assert "Finalised scores of System 000, oldest first: 60.00, 70.00" in html
    assert "+10.00" in html
    assert f'href="{URL}"' in html  # the navigation bar links to the portfolio


def test_the_query_count_is_the_same_for_10_and_200_systems(
    client, organisation, categorised, owner, django_assert_num_queries
):
    client.force_login(owner)
    build(organisation, categorised, 10, owner=owner)
    with django_assert_num_queries(5):
        assert len(portfolio(organisation).rows) == 10
    # Page: session, user, membership; the catalogs in use (lifecycle choices); the five
    # reads of the portfolio; the navigation menu's memberships; the members (owner
    # choices); the session's save (savepoint, update, release).
    with django_assert_num_queries(14):
        assert client.get(URL).status_code == 200
    more = build(organisation, categorised, 190, owner=owner, prefix="More")
    assert AISystem.objects.filter(organisation=organisation).count() == 200 == 10 + len(more)
    with django_assert_num_queries(5):
        assert len(portfolio(organisation).rows) == 200
    with django_assert_num_queries(14):
        response = client.get(URL)
    assert response.content.decode().count('<td class="heat heat-') == 400


def test_filters_narrow_by_owner_lifecycle_stage_and_autonomy(
    client, organisation, categorised, owner, assessor
):
    build(organisation, categorised, 14, owner=owner)
    AISystem.objects.filter(name="System 005").update(owner=assessor)
    names = lambda **f: [r.system.name for r in portfolio(organisation, Filters(**f)).rows]  # noqa: E731
    assert names(owner_id=assessor.pk) == ["System 005"]
    # Autonomy is i % 6, not stated for multiples of 7; lifecycle "runtime" for multiples of 3.
    assert names(autonomy="2") == ["System 002", "System 008"]
    assert names(autonomy="none") == ["System 000", "System 007"]
    assert names(lifecycle_stage="runtime") == [f"System {i:03d}" for i in (0, 3, 6, 9, 12)]
    client.force_login(owner)
    html = client.get(URL, {"autonomy": "none", "lifecycle_stage": "runtime"}).content.decode()
    assert "System 000" in html and "System 007" not in html and "System 003" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"owner": "999999"}, "Choose an owner from the list of members."),
        ({"owner": "not-a-number"}, "Choose an owner from the list of members."),
        ({"autonomy": "9"}, "Choose an autonomy level from L0 to L5, or not stated."),
        ({"lifecycle_stage": "retirement"}, "retirement is not a lifecycle stage"),
    ],
)
def test_an_invalid_filter_is_a_form_error_and_lists_every_system(
    client, organisation, categorised, owner, query, message
):
    build(organisation, categorised, 3, owner=owner)
    client.force_login(owner)
    response = client.get(URL, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "The filters were not applied" in html
    assert all(f"System {i:03d}" in html for i in range(3))


def test_a_member_of_another_organisation_as_owner_is_not_a_choice(
    client, organisation, other_organisation, categorised, owner, outsider
):
    build(organisation, categorised, 1, owner=owner)
    client.force_login(owner)
    html = client.get(URL, {"owner": outsider.pk}).content.decode()
    assert "Choose an owner from the list of members." in html


def test_an_auditor_limited_to_named_assessments_is_refused_the_portfolio(
    client, organisation, categorised, owner
):
    build(organisation, categorised, 2, owner=owner)
    limited = make_member(organisation, Role.AUDITOR, "limited@audit.example")
    membership = Membership.objects.get(user=limited)
    membership.limited_to.add(portfolio(organisation).rows[0].latest)
    client.force_login(limited)
    for url in (URL, reverse("portfolio_export", args=["csv"])):
        response = client.get(url)
        assert response.status_code == 403
        assert b"System 001" not in response.content
    assert client.post(reverse("portfolio_report_request")).status_code == 403


def test_only_the_current_organisations_systems_are_listed(
    client, organisation, other_organisation, categorised, owner, outsider
):
    build(organisation, categorised, 1, owner=owner)
    AISystem.objects.create(organisation=other_organisation, name="Globex system")
    client.force_login(owner)
    html = client.get(URL).content.decode()
    assert "System 000" in html and "Globex system" not in html
