"""Version-pinned mapping references (`AML.M0007@5.0.1`) read with their mapping schemes."""

from scorecard.catalog.document import validate_document
from scorecard.catalog.mappings import (
    check_pins,
    describe,
    known_versions,
    split_pinned,
    untitled_references,
)
from tests.catalog.helpers import generated_document

ATLAS = {
    "id": "mitre-atlas",
    "name": "MITRE ATLAS",
    "version": "5.0.1",
    "version_id": "mitre-atlas@5.0.1",
    "prior_versions": ["mitre-atlas@4.9.0", "other@1"],
    "technique_uri_pattern": "https://atlas.example/techniques/{id}",
}
SCHEMES = {"mitre-atlas": ATLAS, "stride": {"id": "stride", "name": "STRIDE", "version": ""}}


def test_a_pin_splits_into_reference_and_version():
    assert split_pinned("AML.M0007@5.0.1") == ("AML.M0007", "5.0.1")
    assert split_pinned("LLM01:2025") == ("LLM01:2025", None)
    assert split_pinned("Tampering") == ("Tampering", None)
    assert split_pinned("@5") == ("@5", None) and split_pinned("x@") == ("x@", None)


def test_a_scheme_knows_its_version_and_its_prior_ones_of_the_same_family():
    assert known_versions(ATLAS) == {"5.0.1", "4.9.0"}
    assert known_versions(SCHEMES["stride"]) == set()


def test_a_reference_is_described_with_its_scheme_name_version_and_link():
    ref = describe("mitre-atlas", "AML.M0007@5.0.1", SCHEMES)
    assert (ref.scheme_name, ref.reference, ref.version) == ("MITRE ATLAS", "AML.M0007", "5.0.1")
    assert ref.url == "https://atlas.example/techniques/AML.M0007"
    assert ref.label == "MITRE ATLAS AML.M0007 (5.0.1)"
    unknown = describe("iso-42001", "5.2", SCHEMES)
    assert (unknown.label, unknown.url) == ("iso-42001 5.2", "")


def test_pins_to_versions_a_scheme_does_not_give_are_reported_with_their_path():
    found = []
    mappings = {
        "mitre-atlas": ["AML.T0001@5.0.1", "AML.T0002@4.9.0", "AML.T0003@6.0"],
        "stride": ["Tampering"],
        "unlisted": ["x@9"],
    }
    check_pins(("controls", 0), mappings, SCHEMES, lambda path, msg: found.append((path, msg)))
    assert found == [
        (
            ("controls", 0, "mappings", "mitre-atlas", 2),
            '"AML.T0003@6.0" is pinned to mitre-atlas 6.0, a version mapping_schemes does not '
            "give (known: 4.9.0, 5.0.1)",
        )
    ]


TITLED = {
    "mitre-atlas": {**ATLAS, "titles": {"AML.M0007": "Hardening", "AML.M0008@5.0.1": "Pinned"}}
}


def test_a_reference_is_described_with_the_title_its_scheme_gives():
    ref = describe("mitre-atlas", "AML.M0007@5.0.1", TITLED)
    assert ref.title == "Hardening"
    assert ref.label == "MITRE ATLAS AML.M0007 (5.0.1) Hardening"
    assert describe("mitre-atlas", "AML.M0008@5.0.1", TITLED).title == "Pinned"
    assert describe("mitre-atlas", "AML.M0009", TITLED).title == ""


def test_untitled_references_are_those_of_titled_schemes_without_a_title():
    doc = generated_document(2)
    doc["mapping_schemes"] = [{"id": "scheme-a", "name": "A", "titles": {"A.0": "Zero"}}]
    doc["risks"][0]["mappings"] = {"scheme-a": ["A.0", "A.9"], "untitled": ["x"]}
    # Controls C-0 and C-1 map to A.0 and A.1; only schemes with titles are looked at.
    assert untitled_references(doc) == [("scheme-a", "A.9"), ("scheme-a", "A.1")]
    doc["mapping_schemes"][0]["titles"] = {}
    assert untitled_references(doc) == []


def test_titles_of_another_shape_are_refused():
    doc = generated_document(1)
    doc["mapping_schemes"] = [{"id": "a", "name": "A", "titles": {"x": 3, "": "empty key"}}]
    assert {(p.path, p.message) for p in validate_document(doc)} == {
        ("mapping_schemes[0].titles.x", "expected string, got a number (quote it: '3')"),
        # The empty key.
        ("mapping_schemes[0].titles", "must not be empty"),
    }
