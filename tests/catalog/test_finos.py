"""The FINOS AI Governance Framework importer, on a small checkout written in the test
(tests/catalog/finos_fixture.py, every expected value worked out by hand)."""

import datetime
import io
import shutil

import pytest
import yaml
from django.core.management import CommandError, call_command

from scorecard.catalog.defaults import default_scale, default_tiers, implementation_question
from scorecard.catalog.document import validate_document
from scorecard.catalog.files import export_framework, import_path, read_document
from scorecard.catalog.finos import finos_to_document
from scorecard.catalog.mappings import untitled_references
from scorecard.catalog.problems import CatalogInvalid
from scorecard.catalog.prose import render_html
from scorecard.catalog.store import save_document
from scorecard.catalog.stored_document import framework_to_document
from scorecard.models import Control, Framework, FrameworkStatus, MappingScheme
from tests.catalog.finos_fixture import COMMIT, MI_2_DESCRIPTION, write_finos
from tests.catalog.helpers import DATA


@pytest.fixture
def checkout(tmp_path):
    return write_finos(tmp_path / "ai-governance-framework")


@pytest.fixture
def doc(checkout):
    return finos_to_document(checkout)


def controls(doc):
    return {c["id"]: c for d in doc["domains"] for c in d["controls"]}


def risk(doc, ref):
    return next(r for r in doc["risks"] if r["id"] == ref)


def test_mitigations_become_controls_in_one_domain_per_type(doc):
    assert [(d["id"], d["name"], [c["id"] for c in d["controls"]]) for d in doc["domains"]] == [
        ("PREV", "Preventive", ["mi-2"]),
        ("DET", "Detective", ["mi-10"]),
    ]
    mi_2 = controls(doc)["mi-2"]
    assert mi_2["name"] == "Keep a model inventory"
    # ri-1 is listed twice in the file: the first is kept.
    assert mi_2["risks"] == ["ri-1", "ri-2"]
    assert mi_2["mappings"] == {"iso-42001": ["A-6-2-3", "A-9-9"], "owasp-llm": ["llm01-2025"]}
    assert mi_2["questions"] == [] and controls(doc)["mi-10"]["questions"] == []
    assert controls(doc)["mi-10"]["description"] == "Alert on spend."


def test_the_markdown_body_becomes_catalog_prose_and_renders_escaped(doc):
    description = controls(doc)["mi-2"]["description"]
    assert description == MI_2_DESCRIPTION
    html = render_html(description)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<p><strong>Purpose</strong></p>" in html


def test_risks_keep_their_type_summary_and_links(doc):
    assert [r["id"] for r in doc["risks"]] == ["ri-1", "ri-2"]
    ri_1 = risk(doc, "ri-1")
    assert (ri_1["name"], ri_1["category"]) == ("Prompt trickery", "Security")
    assert ri_1["description"] == "Inputs that **steer** the model."
    assert ri_1["long_description"] == (
        "**Description**\n\nRead {{ref:link-1}} or an old page (http://example.org/old)."
    )
    assert ri_1["references"] == [
        {"type": "link", "id": "link-1", "title": "a paper", "url": "https://example.org/paper"}
    ]
    html = render_html(ri_1["long_description"], ri_1["references"])
    assert '<a href="https://example.org/paper" rel="noopener noreferrer external">a paper</a>' in (
        html
    )
    assert ri_1["mappings"] == {
        "finos-aigf-type": ["SEC"],
        "owasp-llm": ["llm01-2025"],
        "nist-sp-800-53r5": ["si-10"],
    }
    ri_2 = risk(doc, "ri-2")
    assert (ri_2["category"], ri_2["description"], ri_2["long_description"]) == (
        "Operational",
        "Plain text only.",
        "",
    )
    assert ri_2["mappings"] == {"finos-aigf-type": ["OP"]}


def test_each_reference_list_becomes_a_scheme_with_its_titles(doc):
    schemes = {s["id"]: s for s in doc["mapping_schemes"]}
    assert list(schemes) == ["finos-aigf-type", "iso-42001", "nist-sp-800-53r5", "owasp-llm"]
    iso = schemes["iso-42001"]
    assert (iso["name"], iso["base_uri"], iso["document_uri"], iso["applies_to"]) == (
        "ISO/IEC 42001",
        "https://www.iso.org/standard/81230.html",
        "https://www.iso.org/standard/81230.html",
        ["controls"],
    )
    assert iso["titles"] == {
        "A-6-2-3": "A.6.2.3 Design documentation",
        "A-7-2": "A.7.2 Data for development",
    }
    # The list's own description is not copied: ours is.
    assert "Not our words" not in iso["description"]
    assert (schemes["nist-sp-800-53r5"]["base_uri"], schemes["owasp-llm"]["applies_to"]) == (
        "",
        ["controls", "risks"],
    )
    assert schemes["finos-aigf-type"]["titles"] == {
        "SEC": "Security",
        "OP": "Operational",
        "RC": "Regulatory and compliance",
    }


def test_a_reference_its_list_lacks_is_kept_without_a_title(doc):
    assert "A-9-9" in controls(doc)["mi-2"]["mappings"]["iso-42001"]
    assert untitled_references(doc) == [("iso-42001", "A-9-9")]


def test_the_draft_has_default_scale_and_tiers_and_a_commit_version(doc):
    assert (doc["scale"], doc["tiers"]) == (default_scale(), default_tiers())
    meta = doc["framework"]
    assert (meta["slug"], meta["version"], meta["license"]) == (
        "finos-aigf",
        "finos-0123456",
        "CC-BY-4.0",
    )
    assert COMMIT in meta["source"]
    assert validate_document(doc, for_publish=False) == []
    problems = validate_document(doc, for_publish=True)
    assert {p.message for p in problems} == {"a control needs at least one scored question"}


def test_items_come_in_the_order_of_their_numbers(checkout):
    text = (checkout / RI_2).read_text().replace("title: Drift", "title: Ten")
    (checkout / "docs/_risks/ri-10_ten.md").write_text(text)
    assert [r["id"] for r in finos_to_document(checkout)["risks"]] == ["ri-1", "ri-2", "ri-10"]


def test_source_commit_may_sit_in_the_docs_folder(checkout):
    (checkout / "SOURCE_COMMIT").rename(checkout / "docs" / "SOURCE_COMMIT")
    assert finos_to_document(checkout)["framework"]["version"] == "finos-0123456"


def test_the_docs_folder_is_accepted_too_and_the_date_stands_in_for_a_commit(checkout):
    (checkout / "SOURCE_COMMIT").unlink()
    doc = finos_to_document(checkout / "docs", slug="aigf", version=None)
    assert doc["framework"]["slug"] == "aigf"
    assert doc["framework"]["version"] == f"import-{datetime.date.today():%Y-%m-%d}"
    assert finos_to_document(checkout, version="7")["framework"]["version"] == "7"


@pytest.mark.django_db
def test_it_becomes_publishable_once_every_control_has_a_question(doc):
    for domain in doc["domains"]:
        for control in domain["controls"]:
            control["questions"] = [implementation_question(control["id"])]
    framework = save_document(doc, status=FrameworkStatus.PUBLISHED)
    assert framework.status == FrameworkStatus.PUBLISHED
    assert Control.objects.filter(framework=framework).count() == 2


@pytest.mark.django_db
def test_titles_round_trip_through_the_database_and_the_native_export(doc):
    framework = save_document(doc)
    stored = MappingScheme.objects.get(framework=framework, ref="owasp-llm")
    assert stored.titles == {"llm01-2025": "LLM01:2025 Prompt Injection"}
    back = framework_to_document(framework)
    assert [s["titles"] for s in back["mapping_schemes"]] == [
        s["titles"] for s in doc["mapping_schemes"]
    ]
    exported = yaml.safe_load(export_framework(framework))
    assert exported["mapping_schemes"][1]["titles"]["A-7-2"] == "A.7.2 Data for development"
    exported["framework"]["version"] = "again"
    again = framework_to_document(save_document(exported))
    assert again["mapping_schemes"] == back["mapping_schemes"]
    assert again["risks"] == back["risks"] and again["domains"] == back["domains"]


# --- the command and format detection -------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("import_catalog", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_the_command_detects_the_folder_and_names_untitled_references(checkout):
    lines = run(str(checkout))
    assert lines == [
        "Imported FINOS AI Governance Framework finos-0123456 as draft: 2 controls, 0 questions.",
        "2 control(s) have no scored question yet; add them before publishing.",
        "1 mapping reference(s) are not in their scheme's list of titles and are kept "
        "without one: iso-42001 A-9-9.",
        "finos-aigf finos-0123456",
    ]
    # The docs folder with the format named, and a CoSAI folder still detected as one.
    assert run(str(checkout / "docs"), "--format", "finos-aigf", "--version", "2")[-1] == (
        "finos-aigf 2"
    )
    assert run(str(DATA / "cosai-mini" / "yaml"))[-1] == "cosai-rm rm-0123456"


def test_read_document_picks_finos_for_a_folder_with_mitigations(checkout, tmp_path):
    assert read_document(checkout)["framework"]["slug"] == "finos-aigf"
    with pytest.raises(CatalogInvalid) as caught:
        read_document(tmp_path / "nothing-here", fmt="finos-aigf")
    assert caught.value.lines() == [
        f"{tmp_path / 'nothing-here'}: not a FINOS AI Governance Framework folder "
        "(no docs/_mitigations in it)"
    ]


# --- bad input: a clear error and nothing written -------------------------------------------


def refused(folder) -> list[str]:
    with pytest.raises(CatalogInvalid) as caught:
        import_path(folder, fmt="finos-aigf")
    assert not Framework.objects.exists()
    return caught.value.lines()


def replace_in(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


MI_2 = "docs/_mitigations/mi-2_keep-a-model-inventory.md"
RI_2 = "docs/_risks/ri-2_drift.md"


@pytest.mark.django_db
def test_a_mitigation_naming_an_unknown_risk_is_refused(checkout):
    replace_in(checkout / MI_2, "  - ri-2\n", "  - ri-99\n")
    assert refused(checkout) == [f'{checkout / MI_2}: mitigates[1]: unknown risk "ri-99"']


@pytest.mark.django_db
def test_malformed_front_matter_is_refused_with_the_line_of_the_file(checkout):
    # The open list on line 3 runs into line 4 ("layout: risk"), whose colon (column 7) is
    # where YAML gives up; the numbers are those of the file, not of the front matter alone.
    replace_in(checkout / RI_2, "title: Drift\n", "title: [Drift\n")
    # libyaml and the pure-Python parser word the rest differently; the place is the same.
    (problem,) = refused(checkout)
    assert problem.startswith(
        f"{checkout / RI_2}: line 4, column 7: front matter: invalid YAML: while parsing a "
        "flow sequence"
    )
    assert "expected ',' or ']'" in problem


@pytest.mark.django_db
def test_an_alias_in_front_matter_is_refused(checkout):
    replace_in(checkout / RI_2, "title: Drift\n", "title: &name Drift\nlayout2: *name\n")
    (line,) = refused(checkout)
    assert line == (
        f"{checkout / RI_2}: line 3, column 8: front matter: invalid YAML: "
        "anchors and aliases are not allowed in catalog files"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no front matter\n", "line 1: no front matter: the file must start with a --- line"),
        ("---\ntitle: x\n", "line 1: the front matter is never closed by a --- line"),
        ("---\n- a list\n---\n", "front matter: expected a mapping of keys to values"),
        (
            "---\ntitle: a\ntitle: b\n---\n",
            "line 3, column 1: front matter: invalid YAML: duplicate key 'title'",
        ),
    ],
)
def test_a_page_without_proper_front_matter_is_refused(checkout, text, expected):
    (checkout / RI_2).write_text(text)
    # Only the page itself: the mitigations naming ri-2 are not also told it is unknown.
    assert refused(checkout) == [f"{checkout / RI_2}: {expected}"]


@pytest.mark.django_db
def test_unknown_types_keys_and_lists_are_refused_together(checkout):
    replace_in(checkout / RI_2, "type: OP\n", "type: XX\nmas-feat_references:\n  - f1\n")
    replace_in(checkout / MI_2, "type: PREV\n", "type: CORR\n")
    (checkout / "docs/_data/references/owasp-llm.yml").unlink()
    known = (
        "iso-42001_references, nist-sp-800-53r5_references, nist-ai-600-1_references, "
        "eu-ai-act_references, owasp-llm_references, owasp-ml_references, "
        "ffiec-itbooklets_references, sr11-7_references, canada-regulations_references"
    )
    assert refused(checkout) == [
        f"{checkout / 'docs/_risks/ri-1_prompt-trickery.md'}: owasp-llm_references: names the "
        "reference list _data/references/owasp-llm.yml, which is missing",
        f"{checkout / RI_2}: type: must be SEC or OP or RC, not 'XX'",
        f"{checkout / RI_2}: mas-feat_references: is not a reference list this importer "
        f"knows ({known})",
        f"{checkout / MI_2}: type: must be PREV or DET, not 'CORR'",
    ]


@pytest.mark.django_db
def test_a_broken_reference_list_is_refused(checkout):
    (checkout / "docs/_data/references/iso-42001.yml").write_text(
        "title: ISO\nsource_url: javascript:alert(1)\nentries:\n  A-1: {url: x}\n"
    )
    path = checkout / "docs/_data/references/iso-42001.yml"
    assert refused(checkout) == [
        f"{path}: source_url: expected an http(s) address",
        f"{path}: entries.A-1.title: required text is missing",
    ]


@pytest.mark.django_db
def test_a_page_over_the_size_limit_is_refused(checkout, settings):
    settings.CATALOG_MAX_BYTES = 1024
    (checkout / RI_2).write_text("---\ntitle: Drift\ntype: OP\n---\n" + "x" * 2000)
    assert refused(checkout) == [
        f"{checkout / RI_2}: larger than the 1024-byte limit (CATALOG_MAX_BYTES)"
    ]


def test_the_command_reports_bad_input_and_writes_nothing(checkout, db):
    replace_in(checkout / MI_2, "  - ri-2\n", "  - ri-99\n")
    with pytest.raises(CommandError, match='mitigates\\[1\\]: unknown risk "ri-99"'):
        run(str(checkout))
    assert not Framework.objects.exists()


def test_a_second_copy_of_an_id_is_refused(checkout):
    shutil.copy(checkout / RI_2, checkout / "docs/_risks/ri-2_copy.md")
    with pytest.raises(CatalogInvalid) as caught:
        finos_to_document(checkout)
    assert caught.value.lines() == [
        f"{checkout / 'docs/_risks/ri-2_drift.md'}: "
        f'id "ri-2" is also the id of {checkout / "docs/_risks/ri-2_copy.md"}'
    ]
