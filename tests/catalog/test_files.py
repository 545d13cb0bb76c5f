"""The shared import entry point for uploads (bytes already in memory)."""

import pytest
from django.db import connection

from scorecard.catalog.files import export_framework, import_bytes
from scorecard.catalog.problems import CatalogInvalid
from scorecard.models import Control, Framework, FrameworkStatus
from tests.catalog.helpers import DATA, SMALL

pytestmark = pytest.mark.django_db


def test_an_uploaded_native_file_imports_as_a_draft():
    framework = import_bytes(SMALL.read_bytes(), filename="small.yaml")
    assert (framework.slug, framework.status) == ("small-test-catalog", FrameworkStatus.DRAFT)
    assert Control.objects.filter(framework=framework).count() == 3


def test_an_uploaded_oscal_file_is_recognised_and_can_be_published():
    data = (DATA / "mini-oscal.json").read_bytes()
    framework = import_bytes(data, filename="catalog.json", publish=True, slug="mini")
    assert (framework.slug, framework.status) == ("mini", FrameworkStatus.PUBLISHED)


def test_a_bad_upload_names_the_upload_and_writes_nothing(settings):
    settings.CATALOG_MAX_BYTES = 1024
    with pytest.raises(CatalogInvalid) as caught:
        import_bytes(SMALL.read_bytes(), filename="small.yaml")
    assert caught.value.lines() == [
        "small.yaml: larger than the 1024-byte limit (CATALOG_MAX_BYTES)"
    ]
    with pytest.raises(CatalogInvalid) as caught:
        import_bytes(b"format: scorecard-catalog/1\n", filename="up.yaml")
    assert "up.yaml: framework: required field is missing" in caught.value.lines()
    assert Framework.objects.count() == 0


@pytest.mark.parametrize("fmt", ["cosai-rm", "finos-aigf"])
def test_a_folder_format_cannot_be_uploaded_as_one_file(fmt):
    with pytest.raises(CatalogInvalid) as caught:
        import_bytes(b"a: 1\n", filename="controls.yaml", fmt=fmt)
    assert caught.value.lines() == [f"controls.yaml: {fmt} is not a format of single files"]


def test_saving_leaves_the_connection_batch_limit_as_it_was():
    before = connection.features.max_query_params
    import_bytes(SMALL.read_bytes(), filename="small.yaml")
    assert connection.features.max_query_params == before


def test_exporting_in_an_unknown_format_is_refused():
    framework = import_bytes(SMALL.read_bytes(), filename="small.yaml")
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export_framework(framework, fmt="xml")
