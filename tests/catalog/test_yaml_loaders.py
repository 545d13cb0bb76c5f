"""The libyaml reader gives what the pure-Python catalog loader gives, refusals included.

`safe_yaml.load` reads with libyaml (a plain path straight from its events, and a careful
one through its composer); `load(fast=False)` is the pure loader, whose behaviour the older
tests in test_native_files.py pin. Each input here is read both ways and must come out the
same: the same data, or the same kind of error at the same line and column (the wording of
a syntax error is libyaml's own; the catalog's refusals word the same both ways).
"""

import tracemalloc

import pytest
import yaml

from scorecard.catalog import native, safe_yaml
from scorecard.catalog.problems import CatalogInvalid
from tests.benchmarks.catalog_generator import native_catalog
from tests.catalog.helpers import SMALL
from tests.catalog.test_native_files import BILLION_LAUGHS

pytestmark = pytest.mark.skipif(not safe_yaml.HAS_LIBYAML, reason="PyYAML without libyaml")

REFUSALS = (yaml.composer.ComposerError, yaml.constructor.ConstructorError)

CASES = {
    "plain mapping": "a: 1\nb: text\n",
    "numbers": "i: 12\nh: 0x1F\no: 0o17\nold_octal: 012\nf: 1.5e3\nu: 1_000\ninf: .inf\n",
    "nulls": "a: ~\nb: null\nc:\n",
    "booleans and words": "t: true\nF: FALSE\ny: Yes\nn: no\non: on\noff: Off\n",
    "dates stay text": "d: 2025-01-31\nts: 2025-01-31T10:00:00Z\n",
    "quoted": "a: '12'\nb: \"true\"\nc: 'it''s'\nd: \"tab\\there\"\n",
    "blocks": "lit: |\n  one\n  two\nfold: >\n  one\n  two\nkeep: |+\n  x\n\n",
    "flow": "a: [1, two, {b: 3}]\nc: {}\nd: []\n",
    "unicode": "name: Überblick — ✓\nemoji: 😀\n",
    "scalar root": "just text\n",
    "sequence root": "- 1\n- [2, 3]\n",
    "empty stream": "",
    "comments only": "# nothing here\n",
    "empty document": "---\n",
    "document markers": "---\na: 1\n...\n",
    "version directive": "%YAML 1.1\n---\na: 1\n",
    "int and float keys": "1: one\n2.5: two\nnull: three\n",
    "merge key": "<<: {a: 1, b: 2}\nc: 3\n",
    "explicit str tag": "a: !!str 12\n",
    "explicit int tag": 'a: !!int "7"\n',
    "explicit set": "s: !!set {a, b}\n",
    "explicit binary": "b: !!binary aGVsbG8=\n",
    "non-specific tag": "a: ! 12\n",
    "custom tag": "a: !custom x\n",
    "python tag": "a: !!python/object:os.system ls\n",
    "value key": "=: x\n",
    "anchor": "a: &x 1\n",
    "alias": "a: &x 1\nb: *x\n",
    "anchor on a mapping": "a: &m {b: 1}\n",
    "billion laughs": BILLION_LAUGHS,
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate nested key": "top:\n  - x: 1\n    x: 2\n",
    "1 and true are the same key": "1: a\ntrue: b\n",
    "collection key": "? [a, b]\n: 1\n",
    "mapping key": "? {a: 1}\n: 1\n",
    "second document": "a: 1\n---\nb: 2\n",
    "alias in a second document": "a: 1\n---\nb: &x 2\n",
    "64 levels": "[" * 64 + "]" * 64,
    "65 levels": "[" * 65 + "]" * 65,
    "scalar below 64 levels": "[" * 64 + "x" + "]" * 64,
    "deep mapping": "".join(f"{'  ' * n}k{n}:\n" for n in range(70)) + "  " * 70 + "end\n",
    "unclosed flow": "format: x\nframework:\n  name: [a, b\n",
    "bad indentation": "a: 1\n b: 2\n",
    "tab": "\ta: 1\n",
    "unclosed quote": "a: 'x\n",
    "control character": "a: \x07\n",
}


def outcome(text: str, *, fast: bool):
    try:
        return ("data", safe_yaml.load(text, fast=fast))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        ours = error.problem if isinstance(error, REFUSALS) else None
        return ("error", type(error).__name__, mark.line, mark.column, ours)
    except yaml.YAMLError as error:
        return ("error", type(error).__name__)


@pytest.mark.parametrize("name", list(CASES))
def test_libyaml_reads_as_the_pure_loader_reads(name):
    text = CASES[name]
    assert outcome(text, fast=True) == outcome(text, fast=False)


def test_the_rules_hold_as_written():
    # The pure loader's rules, spelled out here so the comparison above compares something.
    assert safe_yaml.load(CASES["booleans and words"]) == {
        "t": True,
        "F": False,
        "y": "Yes",
        "n": "no",
        "on": "on",
        "off": "Off",
    }
    assert safe_yaml.load(CASES["dates stay text"]) == {
        "d": "2025-01-31",
        "ts": "2025-01-31T10:00:00Z",
    }
    for name, line, column, problem in [
        ("alias", 0, 3, safe_yaml.ANCHORS_REFUSED),
        ("65 levels", 0, 64, safe_yaml.TOO_DEEP),
        ("scalar below 64 levels", 0, 64, safe_yaml.TOO_DEEP),
        ("duplicate key", 2, 0, "duplicate key 'a'"),
        ("1 and true are the same key", 1, 0, "duplicate key True"),
        ("collection key", 0, 2, "mapping keys must be plain values"),
        # A merge key is refused like any tag without a constructor of its own.
        (
            "merge key",
            0,
            0,
            "could not determine a constructor for the tag 'tag:yaml.org,2002:merge'",
        ),
    ]:
        assert outcome(CASES[name], fast=True)[2:] == (line, column, problem), name


def test_sixty_four_levels_are_read_and_sixty_five_refused():
    nested = safe_yaml.load(CASES["64 levels"])
    depth = 0
    while isinstance(nested, list):
        depth += 1
        nested = nested[0] if nested else None
    assert depth == 64


def test_a_generated_catalog_reads_back_as_the_document_it_was_written_from():
    doc = native_catalog(controls=40, questions=3, prose_words=12)
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    assert safe_yaml.load(text) == doc
    assert safe_yaml.load(text, fast=False) == doc


def test_a_plain_catalog_never_takes_the_careful_path(monkeypatch):
    def careful(text):
        raise AssertionError("the careful path was taken")

    monkeypatch.setattr(safe_yaml, "check_events", careful)
    assert safe_yaml.load(SMALL.read_text(encoding="utf-8"))["format"] == "scorecard-catalog/1"


def test_an_explicit_tag_takes_the_careful_path(monkeypatch):
    seen = []
    monkeypatch.setattr(safe_yaml, "check_events", seen.append)
    assert safe_yaml.load(CASES["explicit str tag"]) == {"a": "12"}
    assert seen == [CASES["explicit str tag"]]


def test_without_libyaml_the_pure_loader_keeps_every_refusal(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_yaml, "HAS_LIBYAML", False)
    monkeypatch.setattr(safe_yaml, "CParser", None)  # would fail if it were still used
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS)
    with pytest.raises(CatalogInvalid) as caught:
        native.read_data_file(path)
    assert caught.value.lines() == [
        f"{path}: line 1, column 4: invalid YAML: anchors and aliases are not allowed "
        "in catalog files"
    ]
    assert native.read_data_file(SMALL)["format"] == "scorecard-catalog/1"


def test_a_small_file_does_not_cost_a_buffer_of_the_whole_limit(tmp_path, settings):
    settings.CATALOG_MAX_BYTES = 32 * 1024 * 1024
    path = tmp_path / "small.json"
    path.write_text('{"a": 1}')
    tracemalloc.start()
    try:
        assert native.read_data_file(path) == {"a": 1}
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024


class _GrowingFile:
    """A file that holds more than its size said when it was opened."""

    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, size: int) -> bytes:
        chunk = self.data[self.offset : self.offset + size]
        self.offset += len(chunk)
        return chunk


def test_a_file_that_grew_is_still_read_only_up_to_one_byte_past_the_limit():
    assert native.read_bounded(_GrowingFile(b"x" * 50), 100, 10) == b"x" * 50
    assert native.read_bounded(_GrowingFile(b"x" * 500), 100, 10) == b"x" * 101
    assert native.read_bounded(_GrowingFile(b"x" * 500), 100, 400) == b"x" * 101
