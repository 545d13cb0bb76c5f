"""Fixtures of the questionnaire tests: stored files go to a temporary MEDIA_ROOT."""

import pytest


@pytest.fixture(autouse=True)
def fresh_caches():
    # Primary keys are reused between tests on SQLite; start every test with cold caches.
    # (The loader's one cache also holds the answer options.)
    from scorecard.loader import clear_catalog_cache

    clear_catalog_cache()
    yield
    clear_catalog_cache()


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(client, owner):
    return login(client, owner)
