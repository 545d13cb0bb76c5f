"""OSCAL profiles are resolved against the catalog they import, or refused with a message
that says what to do; the NIST example catalog round-trips; the export command reports
what OSCAL could not carry."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scorecard.catalog.files import differences, export_framework, import_bytes
from scorecard.catalog.oscal import oscal_to_document
from scorecard.catalog.problems import CatalogInvalid
from scorecard.models import Framework
from tests.catalog.oscal_generated import generated_catalog
from tests.catalog.test_oscal_fidelity import controls_by_id, groups_of

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
NIST_EXAMPLE = REFERENCE / "oscal" / "basic-catalog.json"

CATALOG = generated_catalog(groups=2, controls_per_group=2, enhancements=2)


def profile(**import_rules):
    return {
        "profile": {
            "uuid": "7d1c2f3e-0000-4000-8000-000000000001",
            "metadata": {"title": "Low baseline", "version": "1.0", "oscal-version": "1.1.2"},
            "imports": [{"href": "catalog.json", **import_rules}],
            "modify": {
                "set-parameters": [{"param-id": "f00-1_prm_1", "values": ["every quarter"]}]
            },
        }
    }


def ids(doc):
    return [c["id"] for d in doc["domains"] for c in d["controls"]]


def test_a_profile_picks_controls_with_their_enhancements_and_sets_parameters():
    chosen = profile(
        **{
            "include-controls": [
                {"with-ids": ["f00-1"], "with-child-controls": "yes"},
                {"with-ids": ["f01-2.2"]},
            ],
            "exclude-controls": [{"with-ids": ["f00-1.2"]}],
        }
    )
    doc = oscal_to_document(chosen, catalogs=[CATALOG])
    # f00-1 and its enhancement f00-1.1 (f00-1.2 is excluded); f01-2.2 without its parent.
    assert ids(doc) == ["f00-1", "f00-1.1", "f01-2.2"]
    assert doc["domains"][0]["controls"][1]["enhances"] == "f00-1"
    assert "enhances" not in doc["domains"][1]["controls"][0]
    assert doc["framework"]["name"] == "Low baseline"
    assert "every every quarter." in doc["domains"][0]["controls"][0]["description"]


def test_include_all_keeps_every_control():
    doc = oscal_to_document(profile(**{"include-all": {}}), catalogs=[CATALOG])
    live = [
        ref
        for ref, (_, view) in controls_by_id(CATALOG["catalog"]).items()
        if not any(p["name"] == "status" for p in view.get("props", ()))
    ]
    assert ids(doc) == live


def test_a_profile_without_its_catalog_is_refused_with_what_to_do():
    with pytest.raises(CatalogInvalid) as caught:
        oscal_to_document(profile(**{"include-all": {}}))
    assert caught.value.lines() == [
        "(root): this is an OSCAL profile: give the catalog it imports as well "
        "(import_catalog --catalog FILE), or import a catalog already resolved from it "
        "(oscal-cli or compliance-trestle resolve profiles)"
    ]


def test_what_a_profile_needs_a_full_resolver_for_is_refused_and_nothing_is_written(db):
    altered = profile(**{"include-controls": [{"matching": [{"pattern": "f00-*"}]}]})
    altered["profile"]["modify"]["alters"] = [{"control-id": "f00-1"}]
    with pytest.raises(CatalogInvalid) as caught:
        oscal_to_document(altered, catalogs=[CATALOG, CATALOG])
    assert [p.path for p in caught.value.problems] == [
        "--catalog",
        "profile.modify.alters",
        "profile.imports[0].include-controls[0].matching",
    ]
    with pytest.raises(CatalogInvalid):
        import_bytes(json.dumps(altered).encode(), filename="p.json")
    assert not Framework.objects.exists()


def test_the_import_command_resolves_a_profile_with_catalog(db, tmp_path):
    (tmp_path / "catalog.json").write_text(json.dumps(CATALOG))
    (tmp_path / "profile.json").write_text(
        json.dumps(profile(**{"include-controls": [{"with-ids": ["f01-1", "f01-2"]}]}))
    )
    out = io.StringIO()
    call_command(
        "import_catalog",
        str(tmp_path / "profile.json"),
        "--catalog",
        str(tmp_path / "catalog.json"),
        stdout=out,
    )
    assert out.getvalue().splitlines()[-1] == "low-baseline 1.0"
    with pytest.raises(CommandError, match="give the catalog it imports"):
        call_command("import_catalog", str(tmp_path / "profile.json"), "--version", "2")


@pytest.mark.shared_reference
def test_the_nist_example_catalog_round_trips_field_by_field(db):
    source = json.loads(NIST_EXAMPLE.read_text())
    framework = import_bytes(NIST_EXAMPLE.read_bytes(), filename="basic-catalog.json")
    exported = json.loads(export_framework(framework, fmt="oscal"))
    assert controls_by_id(exported["catalog"]) == controls_by_id(source["catalog"])
    assert groups_of(exported["catalog"]) == groups_of(source["catalog"])
    assert exported["catalog"].get("back-matter") == source["catalog"].get("back-matter")
    assert exported["catalog"]["uuid"] == source["catalog"]["uuid"]


def test_the_export_command_says_nothing_was_left_out_when_the_trip_is_lossless(db, tmp_path):
    framework = import_bytes(json.dumps(CATALOG).encode(), filename="c.json")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "export_catalog",
        framework.slug,
        "--format",
        "oscal",
        "-o",
        str(tmp_path / "o.json"),
        stdout=out,
        stderr=err,
    )
    assert out.getvalue().splitlines()[-1] == (
        "Nothing was left out: reading the export back gives the same catalog."
    )
    assert err.getvalue() == ""


def test_differences_name_the_paths_that_changed():
    old = {"a": [1, {"b": "x"}], "c": 1, "d": [1]}
    new = {"a": [1, {"b": "y"}], "c": 1, "d": [1, 2], "e": True}
    assert differences(old, new) == ["d", "e", "a[1].b"]
