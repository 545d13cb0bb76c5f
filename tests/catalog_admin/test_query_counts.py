"""Admin pages cost the same number of queries for a 30- and a 300-control catalog."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.catalog_admin.conftest import build_catalog

pytestmark = pytest.mark.django_db

SIZES = (30, 300)
# Session, user and permission lookups plus one query per inline, filter or count:
# measured at 11-13 per page on SQLite; the margin allows for admin changes, not for rows.
MAX_QUERIES = 20


def _framework_page(catalog) -> str:
    return reverse("admin:scorecard_framework_change", args=[catalog.framework.pk])


def _domain_page(catalog) -> str:
    return reverse("admin:scorecard_domain_change", args=[catalog.domains[0].pk])


def _control_list(catalog) -> str:
    url = reverse("admin:scorecard_control_changelist")
    return f"{url}?framework__id__exact={catalog.framework.pk}"


PAGES = {"framework": _framework_page, "domain": _domain_page, "controls": _control_list}


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_stays_under_the_query_budget(
    editor_client, django_assert_max_num_queries, page, size
):
    # Every control in one domain, so the domain page carries all of them inline.
    catalog = build_catalog(controls=size, domains=1)
    url = PAGES[page](catalog)
    editor_client.get(url)  # warm per-process caches (content types) like a running server
    with django_assert_max_num_queries(MAX_QUERIES):
        response = editor_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_does_not_grow_with_the_catalog(editor_client, page):
    counts = []
    for size in SIZES:
        catalog = build_catalog(slug=f"size-{size}", controls=size, domains=1)
        url = PAGES[page](catalog)
        editor_client.get(url)
        counts.append(_count(editor_client, url))
    print(f"{page}: {dict(zip(SIZES, counts, strict=True))} queries")
    assert counts[0] == counts[1]
