"""The MITRE ATLAS importer on the real ATLAS.yaml in ../shared/reference (read at run time
only; where it is absent, tests/conftest.py deselects this module and names the reason).

Every expected figure is read from the file here with plain yaml.safe_load, not from the
importer.
"""

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from scorecard import services
from scorecard.catalog.atlas import atlas_to_document
from scorecard.catalog.document import iter_domains, validate_document
from scorecard.catalog.native import read_data_file
from scorecard.catalog.question_template import generate_questions
from scorecard.models import (
    Control,
    ControlMapping,
    ControlRisk,
    Framework,
    FrameworkStatus,
    Question,
    Risk,
)

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
ATLAS_FILE = REFERENCE / "mitre-atlas" / "ATLAS.yaml"

pytestmark = pytest.mark.shared_reference


def controls_of(doc):
    return {c["id"]: c for _, domain in iter_domains(doc) for c in domain["controls"]}


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(ATLAS_FILE.read_text(encoding="utf-8"))


def source_counts(raw) -> dict:
    """What the real file holds, counted without the importer."""
    matrices = raw["matrices"]
    mitigations = [m for matrix in matrices for m in matrix["mitigations"]]
    techniques = [t for matrix in matrices for t in matrix["techniques"]]
    links = {(m["id"], t["id"]) for m in mitigations for t in m["techniques"]}
    # The technique links ATLAS indented into ml-lifecycle (mappings, not stage names).
    links |= {(m["id"], e["id"]) for m in mitigations for e in m["ml-lifecycle"] if "id" in e}
    return {
        "mitigations": len(mitigations),
        "techniques": len(techniques),
        "subtechniques": sum("subtechnique-of" in t for t in techniques),
        "links": len(links),
        "attack_mitigations": sum("ATT&CK-reference" in m for m in mitigations),
        "categories": {m["category"][0] for m in mitigations},
        "stages": {s for m in mitigations for s in m["ml-lifecycle"] if isinstance(s, str)},
    }


def test_the_real_file_converts_completely(raw):
    counts = source_counts(raw)
    doc = atlas_to_document(read_data_file(ATLAS_FILE))
    controls = controls_of(doc)
    assert doc["framework"]["version"] == raw["version"] == "5.6.0"
    assert len(controls) == counts["mitigations"]
    assert len(doc["risks"]) == counts["techniques"] > counts["subtechniques"] > 0
    assert sum(len(c["risks"]) for c in controls.values()) == counts["links"]
    assert {d["name"] for d in doc["domains"]} == counts["categories"]
    assert {s["name"] for s in doc["vocabulary"]["lifecycle_stages"]} == counts["stages"]
    assert all(c["mappings"]["mitre-atlas"] == [f"{ref}@5.6.0"] for ref, c in controls.items())
    risks = {r["id"]: r for r in doc["risks"]}
    tactics = {t["id"]: t["name"] for matrix in raw["matrices"] for t in matrix["tactics"]}
    by_id = {t["id"]: t for matrix in raw["matrices"] for t in matrix["techniques"]}
    for ref, technique in by_id.items():
        own = technique.get("tactics") or by_id[technique["subtechnique-of"]]["tactics"]
        assert risks[ref]["mappings"]["mitre-atlas"] == [f"{ref}@5.6.0"]
        assert risks[ref]["mappings"]["mitre-atlas-tactic"] == [f"{t}@5.6.0" for t in own]
        assert risks[ref]["category"] == tactics[own[0]]
        assert "](" not in risks[ref]["description"] and risks[ref]["description"]
    assert validate_document(doc, for_publish=False) == []


@pytest.mark.django_db
def test_the_real_file_imports_as_a_draft_and_publishes_after_generating(raw):
    counts = source_counts(raw)
    out = io.StringIO()
    call_command("import_catalog", str(ATLAS_FILE), "--format", "atlas", stdout=out)
    assert out.getvalue().splitlines()[-1] == "mitre-atlas 5.6.0"
    framework = Framework.objects.get(slug="mitre-atlas", version="5.6.0")
    assert framework.status == FrameworkStatus.DRAFT
    assert Control.objects.filter(framework=framework).count() == counts["mitigations"]
    assert Risk.objects.filter(framework=framework).count() == counts["techniques"]
    assert ControlRisk.objects.filter(framework=framework).count() == counts["links"]
    assert ControlMapping.objects.filter(framework=framework).count() == (
        counts["mitigations"] + counts["attack_mitigations"]
    )
    with pytest.raises(services.CatalogInvalid) as refused:
        services.publish_framework(framework=framework)
    assert len(refused.value.problems) == counts["mitigations"]
    created = generate_questions(framework=framework, text="Is {name} in place?", help="")
    assert created == counts["mitigations"]
    services.publish_framework(framework=framework)
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.PUBLISHED
    mitigation = raw["matrices"][0]["mitigations"][0]
    first = Question.objects.get(framework=framework, ref=f"{mitigation['id']}.q1")
    assert first.text == f"Is {mitigation['name']} in place?"
