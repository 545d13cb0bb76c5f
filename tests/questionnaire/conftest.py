"""Fixtures of the questionnaire tests: stored files go to a temporary MEDIA_ROOT."""

import pytest

from tests.factories import make_assessment
from tests.questionnaire.helpers import make_rich_framework


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


@pytest.fixture
def rich(organisation, owner):
    """An assessment of the rich framework: sub-domain, every question type, descriptions."""
    return make_assessment(organisation, make_rich_framework(), created_by=owner)


@pytest.fixture
def editor(client, assessor):
    """A client logged in as an assessor, who may answer."""
    client.force_login(assessor)
    return client
