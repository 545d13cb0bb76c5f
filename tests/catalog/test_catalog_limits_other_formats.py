"""OSCAL and CoSAI Risk Map imports are held to the same limits, reported at their own paths."""

import json
import shutil

import pytest

from scorecard.catalog import files
from scorecard.catalog.problems import CatalogInvalid
from scorecard.models import (
    Control,
)
from tests.catalog.helpers import DATA, catalog_row_counts, generated_oscal
from tests.catalog.limits_helpers import (
    ID_RULE,
    WEIGHT_RANGE,
    import_file,
    refused,
)

pytestmark = pytest.mark.django_db


# --- OSCAL and CoSAI Risk Map imports ----------------------------------------------------


def oscal_with(*, weight: str | None = None, control_id: str | None = None, group_id=None):
    catalog = generated_oscal(2)
    group = catalog["catalog"]["groups"][0]
    control = group["controls"][0]
    if weight is not None:
        control["props"].append({"name": "weight", "ns": "urn:scorecard:oscal", "value": weight})
    if control_id is not None:
        control["id"] = control_id
    if group_id is not None:
        group["id"] = group_id
    return json.dumps(catalog).encode()


OSCAL_CONTROL = "catalog.groups[0].controls[0]"


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("nan", "weight must be a finite number, not nan"),
        ("inf", "weight must be a finite number, not inf"),
        ("-inf", "weight must be a finite number, not -inf"),
        ("1e308", f"weight {WEIGHT_RANGE}"),
        ("0", f"weight {WEIGHT_RANGE}"),
        ("-1", f"weight {WEIGHT_RANGE}"),
        ("1000001", f"weight {WEIGHT_RANGE}"),
        ("heavy", "weight expected a number, got 'heavy'"),
    ],
)
def test_an_oscal_weight_prop_outside_the_limits_is_refused_at_its_oscal_path(weight, message):
    lines = refused(import_file, oscal_with(weight=weight), "catalog.json")
    assert lines == [f"{OSCAL_CONTROL}.props[1].value: {message}"]


def test_an_oscal_weight_of_1000000_imports():
    framework = files.import_bytes(oscal_with(weight="1000000"), filename="catalog.json")
    assert Control.objects.get(framework=framework, ref="c-0").weight == 1e6


@pytest.mark.parametrize("ident", ["a/b", "a b", "é"])
def test_an_oscal_control_or_group_id_outside_the_portable_characters_is_refused(ident):
    lines = refused(import_file, oscal_with(control_id=ident), "catalog.json")
    assert lines == [f"{OSCAL_CONTROL}.id: {ID_RULE}"]
    lines = refused(import_file, oscal_with(group_id=ident), "catalog.json")
    assert lines == [f"catalog.groups[0].id: {ID_RULE}"]


def test_an_empty_oscal_control_id_is_refused():
    lines = refused(import_file, oscal_with(control_id=""), "catalog.json")
    assert lines == [f"{OSCAL_CONTROL}.id: required text is missing"]


def test_an_oscal_id_of_the_portable_characters_imports():
    framework = files.import_bytes(oscal_with(control_id="a.b-c_1"), filename="catalog.json")
    assert Control.objects.filter(framework=framework, ref="a.b-c_1").exists()


@pytest.mark.parametrize("ident", ["GOV/1", "GOV 1", "GOVé"])
def test_a_cosai_control_id_outside_the_portable_characters_is_refused(tmp_path, ident):
    folder = tmp_path / "yaml"
    shutil.copytree(DATA / "cosai-mini" / "yaml", folder)
    controls = folder / "controls.yaml"
    controls.write_text(controls.read_text().replace("id: GOV-1", f"id: '{ident}'"))
    before = catalog_row_counts()
    with pytest.raises(CatalogInvalid) as caught:
        files.import_path(folder)
    assert catalog_row_counts() == before
    assert [str(problem) for problem in caught.value.problems] == [
        f"{controls}: controls[0].id: {ID_RULE}"
    ]
