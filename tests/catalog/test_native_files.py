"""Reading catalog files defensively and writing native YAML deterministically."""

import time

import pytest

from scorecard.catalog.document import normalise_document
from scorecard.catalog.native import dump_yaml, parse_data, read_data_file
from scorecard.catalog.problems import CatalogInvalid
from tests.catalog.helpers import SMALL

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)


def problems_of(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(CatalogInvalid) as caught:
        read_data_file(path)
    return caught.value.lines(), str(path)


def test_billion_laughs_is_refused_fast_and_clearly(tmp_path):
    started = time.perf_counter()
    lines, path = problems_of(tmp_path, "bomb.yaml", BILLION_LAUGHS)
    assert time.perf_counter() - started < 1
    assert lines == [
        f"{path}: line 1, column 4: invalid YAML: anchors and aliases are not allowed "
        "in catalog files"
    ]


def test_malformed_yaml_reports_its_line(tmp_path):
    lines, path = problems_of(tmp_path, "bad.yaml", "format: x\nframework:\n  name: [a, b\n")
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: line 4, column 1: invalid YAML:")


def test_malformed_json_reports_its_line(tmp_path):
    lines, path = problems_of(tmp_path, "bad.json", '{\n  "catalog": {,}\n}')
    assert lines == [
        f"{path}: line 2, column 15: invalid JSON: "
        "Expecting property name enclosed in double quotes"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("dup.yaml", "a: 1\nb: 2\na: 3\n", "line 3, column 1: invalid YAML: duplicate key 'a'"),
        ("dup.json", '{"a": 1, "a": 2}', "invalid JSON: duplicate key 'a'"),
        ("nan.json", '{"a": NaN}', "invalid JSON: NaN is not a number catalogs accept"),
        (
            "tag.yaml",
            "a: !!python/object:os.system ls\n",
            "line 1, column 4: invalid YAML: could not determine a constructor",
        ),
        ("bytes.yaml", b"a: \xff\xfe\n", "not UTF-8 text (byte 3 cannot be decoded)"),
    ],
)
def test_ambiguous_or_unsafe_content_is_refused(tmp_path, name, content, message):
    lines, path = problems_of(tmp_path, name, content)
    assert len(lines) == 1 and lines[0].startswith(f"{path}: {message}")


@pytest.mark.parametrize(
    ("name", "content"),
    [("deep.yaml", "[" * 200 + "]" * 200), ("deep.json", "[" * 5000 + "]" * 5000)],
)
def test_absurd_nesting_is_refused(tmp_path, name, content):
    lines, _ = problems_of(tmp_path, name, content)
    assert "nested deeper than 64 levels" in lines[0]


def test_a_file_over_the_limit_is_refused_before_parsing(tmp_path, settings):
    settings.CATALOG_MAX_BYTES = 1024
    lines, path = problems_of(tmp_path, "big.yaml", "a: " + "x" * 2000)
    assert lines == [f"{path}: larger than the 1024-byte limit (CATALOG_MAX_BYTES)"]


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CatalogInvalid) as caught:
        read_data_file(tmp_path / "nope.yaml")
    assert caught.value.lines() == [
        f"{tmp_path / 'nope.yaml'}: cannot read: No such file or directory"
    ]


def test_yes_no_and_dates_stay_text_but_true_false_are_booleans():
    data = parse_data(
        b"label: Yes\nother: off\nwhen: 2025-01-31\nflag: true\nn: 0.5\n",
        source="x",
        suffix=".yaml",
    )
    assert data == {"label": "Yes", "other": "off", "when": "2025-01-31", "flag": True, "n": 0.5}


def test_exported_yaml_is_deterministic_block_style_and_reads_back_the_same():
    doc = normalise_document(read_data_file(SMALL))
    text = dump_yaml(doc)
    assert text == dump_yaml(normalise_document(read_data_file(SMALL)))
    assert "{" not in text.split("domains:")[1].replace("{}", "")  # block style below the header
    assert "Policies — überblick" in text
    assert "&" not in text and "*" not in text
    assert text.index("framework:") < text.index("scale:") < text.index("domains:")
    assert parse_data(text.encode(), source="x", suffix=".yaml") == doc
