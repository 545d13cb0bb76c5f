"""Fixtures of the questionnaire tests: stored files go to a temporary MEDIA_ROOT."""

import pytest


@pytest.fixture(autouse=True)
def fresh_caches():
    # Primary keys are reused between tests on SQLite; start every test with cold caches.
    from assessments.services import answers
    from scorecard.loader import clear_catalog_cache

    clear_catalog_cache()
    answers._options_cache.clear()
    yield
    clear_catalog_cache()
    answers._options_cache.clear()


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(client, owner):
    return login(client, owner)
