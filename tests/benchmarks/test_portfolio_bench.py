"""The portfolio page of 200 AI systems, beside a trivial page, both called as views.

Run with `make bench` (--benchmark-only). Half the systems have two finalised assessments
and a draft, half a draft only; the catalog caches are warm as in a running server. The
target is a mean under 150 ms. The views are called directly, as in the questionnaire
benchmark: the test client would add its own cost of copying every template context it
records. The trivial page (the login form) in the same run shows what a request costs on
this machine at the time.
"""

import pytest
from django.contrib.auth.views import LoginView
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from assessments.views.portfolio import portfolio
from tests.portfolio.conftest import categorised  # noqa: F401 - the fixture
from tests.portfolio.helpers import build

pytest.importorskip("pytest_benchmark")

pytestmark = pytest.mark.django_db


def _request(url, user=None):
    request = RequestFactory().get(url)
    if user is not None:
        request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_portfolio_page_of_200_systems(benchmark, organisation, owner, categorised):  # noqa: F811
    build(organisation, categorised, 200, owner=owner)
    url = reverse("portfolio")

    def render():
        response = portfolio(_request(url, owner))
        assert response.status_code == 200
        return response

    response = benchmark.pedantic(render, rounds=20, iterations=1, warmup_rounds=2)
    assert response.content.count(b'<td class="heat heat-') == 400
    assert benchmark.stats.stats.mean < 0.150


def test_trivial_page_for_comparison(benchmark, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    url = reverse("login")
    view = LoginView.as_view()

    def render():
        response = view(_request(url, AnonymousUser()))
        response.render()
        return response

    response = benchmark.pedantic(render, rounds=20, iterations=1, warmup_rounds=2)
    assert response.status_code == 200
