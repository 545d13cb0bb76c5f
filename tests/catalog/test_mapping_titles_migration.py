"""Migration 0009 adds `titles` to mapping schemes on a database holding a published catalog:
the scheme is kept with no titles, and its table stays locked both ways, though SQLite
rebuilds it (dropping its triggers) to add and to remove the column."""

import pytest
from django.db import IntegrityError, connection

from tests.catalog.migration_helpers import migrate_to, migrate_to_latest

BEFORE = [("scorecard", "0008_oscal_fidelity")]
AFTER = [("scorecard", "0009_mapping_titles")]
UPDATE = 'UPDATE "scorecard_mappingscheme" SET name = %s WHERE framework_id = %s'


@pytest.fixture
def old_scheme(transactional_db):
    """A published framework with one mapping scheme, written with the schema of 0007."""
    apps = migrate_to(BEFORE)
    Framework = apps.get_model("scorecard", "Framework")
    MappingScheme = apps.get_model("scorecard", "MappingScheme")
    framework = Framework.objects.create(slug="old", name="Old", version="1")
    MappingScheme.objects.create(framework=framework, ref="owasp-llm", name="OWASP LLM Top 10")
    Framework.objects.filter(pk=framework.pk).update(status="published")
    yield framework.pk
    migrate_to_latest()


def test_the_scheme_is_kept_without_titles_and_stays_locked(old_scheme):
    apps = migrate_to(AFTER)
    scheme = apps.get_model("scorecard", "MappingScheme").objects.get(ref="owasp-llm")
    assert (scheme.name, scheme.titles) == ("OWASP LLM Top 10", {})
    with pytest.raises(IntegrityError, match="published or retired"), connection.cursor() as c:
        c.execute(UPDATE, ["x", old_scheme])


def test_going_back_to_0007_keeps_the_table_locked(old_scheme):
    migrate_to(AFTER)
    migrate_to(BEFORE)
    with pytest.raises(IntegrityError, match="published or retired"), connection.cursor() as c:
        c.execute(UPDATE, ["x", old_scheme])
