"""The real ATLAS and FINOS catalogs, once imported, export to OSCAL that validates and
reads back as the same catalog."""

import json
from pathlib import Path

import pytest
from trestle.oscal.catalog import Catalog

from scorecard.catalog.files import export_framework, import_path, oscal_left_out

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"

pytestmark = [pytest.mark.shared_reference, pytest.mark.django_db]


@pytest.mark.parametrize(
    ("path", "fmt"),
    [("mitre-atlas/ATLAS.yaml", "atlas"), ("finos-aigf", "finos-aigf")],
    ids=["atlas", "finos"],
)
def test_an_imported_ai_catalog_exports_to_valid_oscal_without_loss(path, fmt):
    framework = import_path(REFERENCE / path, fmt=fmt)
    exported = export_framework(framework, fmt="oscal")
    Catalog.model_validate(json.loads(exported)["catalog"])
    assert oscal_left_out(framework, exported) == []
