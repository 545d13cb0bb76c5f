"""The portfolio page of 200 AI systems through the test client, beside a trivial page.

Run with `make bench` (--benchmark-only). Half the systems have two finalised assessments
and a draft, half a draft only; the catalog caches are warm as in a running server. The
target is a mean under 150 ms; the trivial page (the login form) in the same run shows what
the test client and middleware cost on their own.
"""

import pytest
from django.urls import reverse

from tests.portfolio.conftest import categorised  # noqa: F401 - the fixture
from tests.portfolio.helpers import build

pytest.importorskip("pytest_benchmark")

pytestmark = pytest.mark.django_db


def test_portfolio_page_of_200_systems(benchmark, client, organisation, owner, categorised):  # noqa: F811
    build(organisation, categorised, 200, owner=owner)
    client.force_login(owner)
    url = reverse("portfolio")

    def render():
        response = client.get(url)
        assert response.status_code == 200
        return response

    response = benchmark.pedantic(render, rounds=20, iterations=1, warmup_rounds=2)
    assert response.content.count(b'<td class="heat heat-') == 400
    assert benchmark.stats.stats.mean < 0.150


def test_trivial_page_for_comparison(benchmark, client):
    url = reverse("login")
    response = benchmark.pedantic(lambda: client.get(url), rounds=20, iterations=1, warmup_rounds=2)
    assert response.status_code == 200
