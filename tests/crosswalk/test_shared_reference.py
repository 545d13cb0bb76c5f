"""The matching rule against the real public files in ../shared/reference (read at run time
only; where they are absent, tests/conftest.py deselects this module and says why).

The rule's claims, checked on the sources' own ids: the alias table joins the one scheme
FINOS and the CoSAI Risk Map both use under different ids; every OWASP reference of the Risk
Map matches a key of FINOS's OWASP list; every ATLAS reference the Risk Map pins to 5.0.1 is
an id ATLAS 5.6.0 still has, so dropping the pin loses nothing there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scorecard.scoring.crosswalk_catalogs import SCHEME_ALIASES, canonical_scheme, reference_key

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
COSAI = REFERENCE / "cosai-risk-map" / "yaml"
FINOS = REFERENCE / "finos-aigf" / "docs"
ATLAS = REFERENCE / "mitre-atlas" / "ATLAS.yaml"

pytestmark = pytest.mark.shared_reference


def cosai_references(scheme: str) -> set[str]:
    found = set()
    for name, key in (("controls.yaml", "controls"), ("risks.yaml", "risks")):
        for item in yaml.safe_load((COSAI / name).read_text())[key]:
            found.update((item.get("mappings") or {}).get(scheme) or ())
    return found


def finos_schemes() -> set[str]:
    """The reference-list stems FINOS keys its risks' and mitigations' references by."""
    stems = set()
    for path in [*(FINOS / "_risks").glob("ri-*.md"), *(FINOS / "_mitigations").glob("mi-*.md")]:
        front = yaml.safe_load(path.read_text().split("---")[1])
        stems.update(
            key.removesuffix("_references") for key in front if key.endswith("_references")
        )
    return stems


def test_the_aliases_join_exactly_the_schemes_both_sources_name_differently():
    cosai = {f["id"] for f in yaml.safe_load((COSAI / "frameworks.yaml").read_text())["frameworks"]}
    finos = finos_schemes()
    assert set(SCHEME_ALIASES) <= finos and set(SCHEME_ALIASES.values()) <= cosai
    shared = {canonical_scheme(s) for s in finos} & {canonical_scheme(s) for s in cosai}
    # eu-ai-act is spelled alike in both; OWASP's LLM list needs the alias.
    assert shared == {"eu-ai-act", "owasp-top10-llm"}


def test_every_owasp_reference_of_the_risk_map_matches_a_finos_key():
    entries = yaml.safe_load((FINOS / "_data" / "references" / "owasp-llm.yml").read_text())
    keys = {reference_key("owasp-llm", key) for key in entries["entries"]}
    references = cosai_references("owasp-top10-llm")
    assert references  # LLM01:2025 ...
    assert {r for r in references if reference_key("owasp-top10-llm", r) not in keys} == set()


def test_every_atlas_reference_pinned_to_5_0_1_is_an_id_of_atlas_5_6_0():
    atlas = yaml.safe_load(ATLAS.read_text())
    assert atlas["version"] == "5.6.0"
    matrix = atlas["matrices"][0]
    ids = {x["id"] for x in matrix["techniques"]} | {x["id"] for x in matrix["mitigations"]}
    keys = {reference_key("mitre-atlas", i) for i in ids}
    references = cosai_references("mitre-atlas")
    assert references and all(r.endswith("@5.0.1") for r in references)
    assert {r for r in references if reference_key("mitre-atlas", r) not in keys} == set()
