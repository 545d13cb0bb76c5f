"""Display codes: the generator, codes a file gives, and bad codes refused with nothing written."""

import copy

import pytest

from scorecard.catalog.bundled import READINESS_FILE, bundled_dir, readiness_document
from scorecard.catalog.codes import domain_base, fill_codes
from scorecard.catalog.cosai import cosai_to_document
from scorecard.catalog.document import normalise_document, validate_document
from scorecard.catalog.files import export_framework, import_path
from scorecard.catalog.native import read_data_file
from scorecard.catalog.oscal import oscal_to_document
from scorecard.catalog.problems import CatalogInvalid
from scorecard.catalog.store import save_document
from scorecard.catalog.stored_document import framework_to_document
from scorecard.models import Control, Domain, Framework, Question
from tests.catalog.helpers import DATA, SMALL


def domain(name, *, code=None, controls=(), domains=()):
    item = {"name": name, "controls": list(controls), "domains": list(domains)}
    if code is not None:
        item["code"] = code
    return item


def control(*questions, code=None):
    item = {"questions": [dict(q) for q in questions]}
    if code is not None:
        item["code"] = code
    return item


def codes(tree):
    """(domain codes, control codes, question codes) in catalog order."""
    found = ([], [], [])

    def walk(domains):
        for d in domains:
            found[0].append(d["code"])
            for c in d["controls"]:
                found[1].append(c["code"])
                found[2].extend(q["code"] for q in c["questions"])
            walk(d["domains"])

    walk(tree)
    return found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Data", "DAT"),
        ("Model security", "MOD"),
        ("Assurance", "ASU"),  # doubled letters collapse
        ("Application", "APL"),
        ("Überwachung", "UBE"),  # accents dropped
        ("AI", "AI"),
        ("42 — ?", "D"),  # no letters at all
    ],
)
def test_domain_code_is_three_letters_of_the_name(name, expected):
    assert domain_base(name) == expected


def test_controls_are_numbered_within_their_top_level_domain_and_questions_within_controls():
    tree = [
        domain(
            "Data",
            controls=[control({}, {})],
            domains=[domain("Data quality", controls=[control({})])],
        ),
        domain("Model", controls=[control({}), control({}, {}, {})]),
    ]
    assert codes(fill_codes(tree)) == (
        ["DAT", "DA2", "MOD"],
        ["DAT-1", "DAT-2", "MOD-1", "MOD-2"],
        ["DAT-1.1", "DAT-1.2", "DAT-2.1", "MOD-1.1", "MOD-2.1", "MOD-2.2", "MOD-2.3"],
    )


def test_duplicate_domain_names_get_digits_deterministically():
    tree = [domain("Data"), domain("Data"), domain("Database")] + [domain("Data") for _ in range(8)]
    first = codes(fill_codes(tree))[0]
    assert first == ["DAT", "DA2", "DA3", "DA4", "DA5", "DA6", "DA7", "DA8", "DA9", "D10", "D11"]
    assert codes(fill_codes(copy.deepcopy(tree)))[0] == first


def test_codes_given_are_kept_and_generated_ones_avoid_them():
    tree = [
        domain(
            "Data",
            code="DATA",
            controls=[control({"code": "DATA-1.1"}, {}), control({}, code="DATA-1")],
        ),
        domain("Other", code="DAT"),
        domain("Data"),
    ]
    filled = fill_codes(tree)
    assert codes(filled) == (
        ["DATA", "DAT", "DA2"],
        # The first control would be DATA-1, which the second one holds already.
        ["DATA-2", "DATA-1"],
        ["DATA-1.1", "DATA-2.2", "DATA-1.2"],
    )
    assert "code" not in tree[2]  # the input is not changed


def test_a_long_code_is_shortened_so_the_number_still_fits():
    filled = fill_codes([domain("X", code="A" * 24, controls=[control({}), control({})])])
    assert codes(filled)[1:] == (
        ["A" * 22 + "-1", "A" * 22 + "-2"],
        ["A" * 22 + ".1", "A" * 22 + ".2"],
    )


def test_a_file_without_codes_gets_them_generated():
    normal = normalise_document(read_data_file(SMALL))
    assert codes(normal["domains"]) == (
        ["GOV", "POL", "OPE"],
        ["GOV-1", "GOV-2", "OPE-1"],
        ["GOV-1.1", "GOV-2.1", "GOV-2.2", "GOV-2.3", "OPE-1.1", "OPE-1.2"],
    )


def _small_with(**changes):
    doc = read_data_file(SMALL)
    for path, value in changes.items():
        node = doc
        *parts, last = path.split("/")
        for part in parts:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value
    return doc


@pytest.mark.django_db
def test_a_duplicate_code_in_a_file_is_refused_and_nothing_is_written():
    doc = _small_with(
        **{
            "domains/0/controls/0/code": "X-1",
            "domains/1/controls/0/code": "X-1",
            "domains/0/code": "ZZ",
            "domains/1/code": "ZZ",
        }
    )
    with pytest.raises(CatalogInvalid) as refused:
        save_document(doc)
    assert refused.value.lines() == [
        'domains[1].code: duplicate domain code "ZZ" (first used at domains[0])',
        'domains[1].controls[0].code: duplicate control code "X-1" (first used at '
        "domains[0].controls[0])",
    ]
    assert not Framework.objects.exists() and not Domain.objects.exists()


def test_a_duplicate_question_code_is_refused():
    doc = _small_with(
        **{
            "domains/1/controls/0/questions/0/code": "Q",
            "domains/1/controls/0/questions/1/code": "Q",
        }
    )
    assert [str(p) for p in validate_document(doc)] == [
        "domains[1].controls[0].questions[1].code: duplicate question code "
        '"Q" (first used at domains[1].controls[0].questions[0])'
    ]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "DAT 1",
            "must start with an ASCII letter or digit and contain only letters, digits, "
            "dots, hyphens, underscores and brackets",
        ),
        (
            "-DAT",
            "must start with an ASCII letter or digit and contain only letters, digits, "
            "dots, hyphens, underscores and brackets",
        ),
        ("D" * 25, "is longer than 24 characters"),
        ("", "must not be empty"),
        (7, "expected string, got a number (quote it: '7')"),
    ],
)
def test_a_malformed_code_is_refused_with_its_path(code, message):
    doc = _small_with(**{"domains/1/controls/0/code": code})
    assert [str(p) for p in validate_document(doc)] == [f"domains[1].controls[0].code: {message}"]


@pytest.mark.django_db
def test_native_export_and_import_keep_every_code():
    doc = _small_with(**{"domains/1/code": "OPS", "domains/1/controls/0/code": "OPS-9"})
    framework = save_document(doc)
    exported = framework_to_document(framework)
    exported["framework"]["version"] = "again"
    again = save_document(exported)
    assert codes(framework_to_document(again)["domains"]) == (
        ["GOV", "POL", "OPS"],
        ["GOV-1", "GOV-2", "OPS-9"],
        ["GOV-1.1", "GOV-2.1", "GOV-2.2", "GOV-2.3", "OPS-9.1", "OPS-9.2"],
    )
    assert set(Control.objects.filter(framework=again).values_list("code", flat=True)) == {
        "GOV-1",
        "GOV-2",
        "OPS-9",
    }
    assert Question.objects.get(framework=again, ref="OPS-1.2").code == "OPS-9.2"


@pytest.mark.django_db
def test_native_yaml_file_export_and_import_keep_every_code(tmp_path):
    framework = save_document(_small_with(**{"domains/0/code": "G"}))
    path = tmp_path / "exported.yaml"
    path.write_text(export_framework(framework, fmt="native"), encoding="utf-8")
    again = import_path(path, version="from-yaml")
    assert codes(framework_to_document(again)["domains"]) == (
        ["G", "POL", "OPE"],
        ["G-1", "G-2", "OPE-1"],
        ["G-1.1", "G-2.1", "G-2.2", "G-2.3", "OPE-1.1", "OPE-1.2"],
    )


@pytest.mark.django_db
def test_oscal_export_and_import_keep_domain_and_control_codes(tmp_path):
    framework = save_document(
        _small_with(**{"domains/1/code": "OPS", "domains/1/controls/0/code": "OPS-7"})
    )
    path = tmp_path / "exported.json"
    path.write_text(export_framework(framework, fmt="oscal"), encoding="utf-8")
    again = framework_to_document(import_path(path, fmt="oscal", slug="again"))
    domain_codes, control_codes, question_codes = codes(again["domains"])
    assert domain_codes == ["GOV", "POL", "OPS"]
    assert control_codes == ["GOV-1", "GOV-2", "OPS-7"]
    # The questions travel in our OSCAL namespace, codes and all.
    assert question_codes == codes(framework_to_document(framework)["domains"])[2]


def test_an_oscal_label_becomes_the_code_and_an_unusable_one_is_generated_instead():
    catalog = {
        "uuid": "0b7c3c55-8a3e-4f0e-9d0c-5d3f1e1b2a61",
        "metadata": {"title": "Labels", "version": "1", "oscal-version": "1.1.2"},
        "groups": [
            {
                "id": "ac",
                "title": "Access control",
                "props": [{"name": "label", "value": "AC"}],
                "controls": [
                    {"id": "ac-1", "title": "One", "props": [{"name": "label", "value": "AC-1"}]},
                    {"id": "ac-2", "title": "Two", "props": [{"name": "label", "value": "AC 2"}]},
                    {"id": "ac-3", "title": "Three", "props": [{"name": "label", "value": "AC-1"}]},
                ],
            }
        ],
    }
    doc = normalise_document(oscal_to_document({"catalog": catalog}))
    assert codes(doc["domains"]) == (
        ["AC"],
        ["AC-1", "AC-2", "AC-3"],
        ["AC-1.1", "AC-2.1", "AC-3.1"],
    )


def test_a_cosai_import_gets_codes_for_every_domain_and_control():
    doc = normalise_document(cosai_to_document(DATA / "cosai-mini" / "yaml", readiness=None))
    # Categories "Governance things" and "Operating things"; the Risk Map has no codes.
    assert codes(doc["domains"])[:2] == (["GOV", "OPE"], ["GOV-1", "OPE-1", "OPE-2"])


def _without_codes(domains):
    for domain in domains:
        domain.pop("code", None)
        for control in domain["controls"]:
            control.pop("code", None)
            for question in control["questions"]:
                question.pop("code", None)
        _without_codes(domain["domains"])


def test_the_bundled_catalog_carries_a_code_on_every_domain_control_and_question():
    doc = readiness_document()
    domain_codes, control_codes, question_codes = codes(doc["domains"])
    assert domain_codes == ["DAT", "INF", "MOD", "APL", "ASU", "GOV"]
    assert control_codes[:3] == ["DAT-1", "DAT-2", "DAT-3"]
    assert question_codes[:2] == ["DAT-1.1", "DAT-1.2"]
    assert (len(set(control_codes)), len(set(question_codes))) == (35, 102)
    # The file's codes are the generator's, so a migrated copy reads the same.
    raw = read_data_file(bundled_dir() / READINESS_FILE)
    _without_codes(raw["domains"])
    assert codes(normalise_document(raw)["domains"]) == (
        domain_codes,
        control_codes,
        question_codes,
    )
