"""The FINOS importer on the real checkout in ../shared/reference/finos-aigf (read at run time
only; skipped where it is absent). Every expected value is read from the files here with
plain yaml, independently of the importer: front matter is what lies between the first two
`---` lines.

SCORECARD_SHARED_REFERENCE may name the reference folder when the checkout does not sit
beside it (a git worktree elsewhere).
"""

import copy
import os
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

from scorecard.catalog.defaults import implementation_question
from scorecard.catalog.document import validate_document
from scorecard.catalog.finos import finos_to_document
from scorecard.catalog.mappings import untitled_references
from scorecard.catalog.prose import render_html
from scorecard.catalog.store import save_document
from scorecard.catalog.stored_document import framework_to_document
from scorecard.models import FrameworkStatus

REFERENCE = Path(
    os.environ.get("SCORECARD_SHARED_REFERENCE")
    or Path(__file__).resolve().parents[2].parent / "shared" / "reference"
)
FINOS = REFERENCE / "finos-aigf"
DOCS = FINOS / "docs"

pytestmark = pytest.mark.skipif(
    not DOCS.is_dir(), reason=f"FINOS reference data not found at {FINOS} (../shared)"
)


def front_matter(path: Path) -> dict:
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    return yaml.safe_load("\n".join(lines[1:end]))


def pages(folder: str) -> dict[str, dict]:
    return {path.name.split("_", 1)[0]: front_matter(path) for path in (DOCS / folder).glob("*.md")}


def reference_lists() -> dict[str, dict]:
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in (DOCS / "_data" / "references").glob("*.yml")
    }


def references_of(front: dict) -> dict[str, list[str]]:
    return {
        key.removesuffix("_references"): list(dict.fromkeys(refs))
        for key, refs in front.items()
        if key.endswith("_references") and refs
    }


@pytest.fixture(scope="module")
def doc():
    return finos_to_document(FINOS)


def controls_of(doc) -> dict[str, dict]:
    return {c["id"]: c for d in doc["domains"] for c in d["controls"]}


def test_every_mitigation_and_risk_arrives(doc):
    mitigations, risks = pages("_mitigations"), pages("_risks")
    assert (len(mitigations), len(risks)) == (23, 23)
    assert sorted(controls_of(doc)) == sorted(mitigations)
    assert sorted(r["id"] for r in doc["risks"]) == sorted(risks)
    names = {ref: front["title"] for ref, front in {**mitigations, **risks}.items()}
    assert {c["id"]: c["name"] for c in controls_of(doc).values()} == {
        ref: names[ref] for ref in mitigations
    }
    commit = (FINOS / "SOURCE_COMMIT").read_text().split()[0]
    assert doc["framework"]["version"] == f"finos-{commit[:7]}"


def test_controls_sit_in_the_domain_of_their_type_and_link_their_risks(doc):
    mitigations = pages("_mitigations")
    by_type = Counter(front["type"] for front in mitigations.values())
    assert {d["id"]: len(d["controls"]) for d in doc["domains"]} == dict(by_type)
    links = {
        ref: list(dict.fromkeys(front.get("mitigates") or ())) for ref, front in mitigations.items()
    }
    assert {ref: c["risks"] for ref, c in controls_of(doc).items()} == links
    assert sum(len(v) for v in links.values()) == sum(
        len(c["risks"]) for c in controls_of(doc).values()
    )


def test_every_reference_is_a_mapping_under_its_list(doc):
    mitigations, risks = pages("_mitigations"), pages("_risks")
    for ref, control in controls_of(doc).items():
        assert control["mappings"] == references_of(mitigations[ref])
    for risk in doc["risks"]:
        expected = {
            "finos-aigf-type": [risks[risk["id"]]["type"]],
            **references_of(risks[risk["id"]]),
        }
        assert risk["mappings"] == expected
    expected_counts = Counter()
    for front in (*mitigations.values(), *risks.values()):
        for stem, refs in references_of(front).items():
            expected_counts[stem] += len(refs)
    found = Counter()
    for item in (*controls_of(doc).values(), *doc["risks"]):
        for scheme, refs in item["mappings"].items():
            if scheme != "finos-aigf-type":
                found[scheme] += len(refs)
    assert found == expected_counts


def test_each_reference_list_is_a_scheme_with_every_title(doc):
    lists = reference_lists()
    schemes = {s["id"]: s for s in doc["mapping_schemes"] if s["id"] != "finos-aigf-type"}
    assert sorted(schemes) == sorted(lists)
    for stem, data in lists.items():
        assert schemes[stem]["name"] == data["title"]
        assert schemes[stem]["base_uri"] == (data.get("source_url") or "")
        assert schemes[stem]["titles"] == {
            key: " ".join(entry["title"].split()) for key, entry in data["entries"].items()
        }


def test_references_missing_from_their_list_are_exactly_those_reported(doc):
    lists = reference_lists()
    missing = []
    for front in (*pages("_risks").values(), *pages("_mitigations").values()):
        for stem, refs in references_of(front).items():
            missing += [(stem, ref) for ref in refs if ref not in lists[stem]["entries"]]
    assert sorted(untitled_references(doc)) == sorted(set(missing))


def test_no_markdown_is_left_in_the_prose(doc):
    texts = [c["description"] for c in controls_of(doc).values()]
    texts += [r[field] for r in doc["risks"] for field in ("description", "long_description")]
    for text in texts:
        assert "](" not in text and "`" not in text
        assert not any(line.startswith(("#", "* ", "|")) for line in text.split("\n"))
    ri_10 = next(r for r in doc["risks"] if r["id"] == "ri-10")
    assert 'href="https://' in render_html(ri_10["long_description"], ri_10["references"])


@pytest.mark.django_db
def test_the_real_checkout_is_stored_and_publishable_once_questioned(doc):
    doc = copy.deepcopy(doc)  # the module's copy stays as imported for the other tests
    assert validate_document(doc, for_publish=False) == []
    started = time.perf_counter()
    draft = save_document(doc)
    stored = framework_to_document(draft)
    assert [s["titles"] for s in stored["mapping_schemes"]] == [
        s["titles"] for s in doc["mapping_schemes"]
    ]
    for domain in doc["domains"]:
        for control in domain["controls"]:
            control["questions"] = [implementation_question(control["id"])]
    doc["framework"]["version"] = "published"
    published = save_document(doc, status=FrameworkStatus.PUBLISHED)
    assert published.status == FrameworkStatus.PUBLISHED
    # Generous: two saves of 23 controls and ~900 titles take well under a second here.
    assert time.perf_counter() - started < 30
