"""import_catalog, export_catalog and load_bundled_catalogs, good input and bad."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from scorecard.catalog.stored_document import framework_to_document
from scorecard.models import Control, Framework, FrameworkStatus, Option, Question
from tests.catalog.helpers import DATA, SMALL
from tests.catalog.test_native_files import BILLION_LAUGHS

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


def counts():
    return tuple(m.objects.count() for m in (Framework, Control, Question, Option))


def test_import_creates_a_draft_and_ends_with_slug_and_version():
    lines = run("import_catalog", str(SMALL))
    assert lines[-1] == "small-test-catalog 0.1"
    assert lines[0] == "Imported Small test catalog 0.1 as draft: 3 controls, 6 questions."
    assert Framework.objects.get().status == FrameworkStatus.DRAFT


def test_import_with_publish_publishes_and_can_take_another_version():
    assert run("import_catalog", str(SMALL), "--publish", "--version", "9")[-1] == (
        "small-test-catalog 9"
    )
    assert Framework.objects.get(version="9").status == FrameworkStatus.PUBLISHED


def test_the_format_is_detected_for_oscal_files_and_cosai_folders():
    assert run("import_catalog", str(DATA / "mini-oscal.json"))[-1] == (
        "mini-model-safety-catalog 2.0"
    )
    lines = run("import_catalog", str(DATA / "cosai-mini" / "yaml"))
    assert lines[-1] == "cosai-rm rm-0123456"
    assert "3 control(s) have no scored question yet; add them before publishing." in lines


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def small_with(tmp_path, old, new):
    text = SMALL.read_text()
    assert old in text
    return write(tmp_path, "catalog.yaml", text.replace(old, new, 1))


BAD_INPUTS = {
    "malformed YAML": (
        lambda tmp: write(tmp, "catalog.yaml", "format: [\n"),
        "line 2, column 1: invalid YAML",
    ),
    "wrong type": (
        lambda tmp: small_with(tmp, "weight: 2\n    domains:", "weight: heavy\n    domains:"),
        "domains[0].weight: expected number, got a string",
    ),
    "unknown reference": (
        lambda tmp: small_with(tmp, "risks: [riskDrift, riskLeak]", "risks: [riskDrift, riskX]"),
        'domains[1].controls[0].risks[1]: unknown risk "riskX"',
    ),
    "duplicate id": (
        lambda tmp: small_with(tmp, "id: OPS-1\n", "id: GOV-2\n"),
        'domains[1].controls[0].id: duplicate control id "GOV-2" '
        "(first used at domains[0].controls[0])",
    ),
    "alias bomb": (
        lambda tmp: write(tmp, "catalog.yaml", BILLION_LAUGHS),
        "line 1, column 4: invalid YAML: anchors and aliases are not allowed in catalog files",
    ),
    "non-mapping root": (
        lambda tmp: write(tmp, "catalog.yaml", "- a\n- b\n"),
        "(root): expected a mapping at the top level, got a list",
    ),
    "unknown format": (
        lambda tmp: small_with(tmp, "format: scorecard-catalog/1", "format: scorecard-catalog/2"),
        'format: unknown format "scorecard-catalog/2"; expected "scorecard-catalog/1"',
    ),
    "malformed JSON": (
        lambda tmp: write(tmp, "catalog.json", '{"catalog": }'),
        "line 1, column 13: invalid JSON: Expecting value",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_names_file_and_path_and_writes_nothing(case, tmp_path):
    make, expected = BAD_INPUTS[case]
    path = make(tmp_path)
    before = counts()
    with pytest.raises(CommandError) as caught:
        run("import_catalog", str(path))
    assert any(line.startswith(f"{path}: {expected}") for line in str(caught.value).splitlines())
    assert counts() == before


def test_every_problem_is_listed_in_the_error(tmp_path):
    path = small_with(tmp_path, "id: OPS-1\n", "id: GOV-2\n")
    path.write_text(path.read_text().replace("weight: 0.5", "weight: -1"))
    with pytest.raises(CommandError) as caught:
        run("import_catalog", str(path))
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{path} was not imported (2 problem(s)):"
    assert (
        lines[2] == f"{path}: domains[1].controls[0].questions[1].weight: "
        "must be greater than 0 and at most 1000000"
    )


def test_a_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.CATALOG_MAX_BYTES = 1024
    with pytest.raises(CommandError) as caught:
        run("import_catalog", str(SMALL))
    assert f"{SMALL}: larger than the 1024-byte limit (CATALOG_MAX_BYTES)" in str(caught.value)
    assert counts() == (0, 0, 0, 0)


def test_importing_an_existing_version_again_is_refused():
    run("import_catalog", str(SMALL))
    before = counts()
    with pytest.raises(CommandError) as caught:
        run("import_catalog", str(SMALL))
    assert f"{SMALL}: framework.version: small-test-catalog version 0.1 already exists" in str(
        caught.value
    )
    assert counts() == before


def test_publishing_an_incomplete_cosai_import_rolls_everything_back():
    with pytest.raises(CommandError) as caught:
        run("import_catalog", str(DATA / "cosai-mini" / "yaml"), "--publish")
    assert "a control needs at least one scored question" in str(caught.value)
    assert counts() == (0, 0, 0, 0)


def test_a_failed_import_exits_non_zero_with_the_problem_on_stderr(tmp_path, capsys):
    path = write(tmp_path, "catalog.yaml", "- not a catalog\n")
    with pytest.raises(SystemExit) as caught:
        ManagementUtility(["manage.py", "import_catalog", str(path)]).execute()
    assert caught.value.code == 1
    assert f"{path}: (root): expected a mapping" in capsys.readouterr().err


def test_export_defaults_to_the_latest_published_version():
    run("import_catalog", str(SMALL), "--publish")
    run("import_catalog", str(SMALL), "--version", "0.2")
    assert "version: '0.1'" in "\n".join(run("export_catalog", "small-test-catalog"))
    assert "version: '0.2'" in "\n".join(
        run("export_catalog", "small-test-catalog", "--version", "0.2")
    )


def test_export_falls_back_to_the_latest_draft_and_round_trips(tmp_path):
    run("import_catalog", str(SMALL))
    target = tmp_path / "out.yaml"
    assert run("export_catalog", "small-test-catalog", "-o", str(target)) == [
        f"Wrote Small test catalog 0.1 to {target}"
    ]
    assert run("import_catalog", str(target), "--version", "0.3")[-1] == "small-test-catalog 0.3"
    first, again = (Framework.objects.get(version=v) for v in ("0.1", "0.3"))
    first_doc, again_doc = framework_to_document(first), framework_to_document(again)
    again_doc["framework"]["version"] = "0.1"
    assert again_doc == first_doc


def test_the_same_round_trip_through_oscal_gives_the_same_catalog(tmp_path):
    run("import_catalog", str(SMALL))
    target = tmp_path / "out.json"
    assert run("export_catalog", "small-test-catalog", "--format", "oscal", "-o", str(target)) == [
        f"Wrote Small test catalog 0.1 to {target}",
        "Nothing was left out: reading the export back gives the same catalog.",
    ]
    assert run("import_catalog", str(target), "--version", "0.3")[-1] == "small-test-catalog 0.3"
    first, again = (Framework.objects.get(version=v) for v in ("0.1", "0.3"))
    first_doc, again_doc = framework_to_document(first), framework_to_document(again)
    again_doc["framework"]["version"] = "0.1"
    assert again_doc == first_doc


def test_export_as_oscal_writes_json(tmp_path):
    run("import_catalog", str(SMALL))
    target = tmp_path / "out.json"
    run("export_catalog", "small-test-catalog", "--format", "oscal", "-o", str(target))
    catalog = json.loads(target.read_text())["catalog"]
    assert catalog["metadata"]["oscal-version"] == "1.1.2"
    # The domains, then the group that carries the scale, tiers, personas and risks.
    assert [g["id"] for g in catalog["groups"]] == ["GOV", "OPS", "scorecard-definitions"]


def test_export_of_unknown_slug_or_version_fails_and_writes_no_file(tmp_path):
    run("import_catalog", str(SMALL))
    target = tmp_path / "out.yaml"
    with pytest.raises(CommandError, match="no framework with the slug nope"):
        run("export_catalog", "nope", "-o", str(target))
    with pytest.raises(
        CommandError, match=r"small-test-catalog has no version 7 \(versions: 0.1\)"
    ):
        run("export_catalog", "small-test-catalog", "--version", "7", "-o", str(target))
    with pytest.raises(CommandError, match="does not exist"):
        run("export_catalog", "small-test-catalog", "-o", str(tmp_path / "missing" / "x.yaml"))
    assert list(tmp_path.iterdir()) == []


def test_load_bundled_catalogs_publishes_each_once(settings, tmp_path):
    (tmp_path / "fixtures" / "catalogs").mkdir(parents=True)
    shutil.copy(SMALL, tmp_path / "fixtures" / "catalogs" / "small.yaml")
    settings.BASE_DIR = tmp_path
    assert run("load_bundled_catalogs") == [
        "small.yaml: Small test catalog 0.1 loaded and published"
    ]
    assert run("load_bundled_catalogs") == ["small.yaml: Small test catalog 0.1 already loaded"]
    assert Framework.objects.get().status == FrameworkStatus.PUBLISHED


def test_load_bundled_catalogs_reports_a_bad_file_and_loads_the_rest(settings, tmp_path):
    folder = tmp_path / "fixtures" / "catalogs"
    folder.mkdir(parents=True)
    shutil.copy(SMALL, folder / "b-small.yaml")
    (folder / "a-bad.yaml").write_text("format: scorecard-catalog/1\nframework: 3\n")
    settings.BASE_DIR = tmp_path
    with pytest.raises(CommandError) as caught:
        run("load_bundled_catalogs")
    assert f"{folder / 'a-bad.yaml'}: framework: expected object, got a number" in str(caught.value)
    assert Framework.objects.get().slug == "small-test-catalog"


def test_load_bundled_catalogs_loads_the_shipped_catalogs():
    shipped = sorted((REPO / "fixtures" / "catalogs").glob("*.yaml"))
    lines = run("load_bundled_catalogs")
    assert len(lines) == len(shipped)
    assert Framework.objects.filter(status=FrameworkStatus.PUBLISHED).count() == len(shipped)
