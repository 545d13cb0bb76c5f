"""An ATLAS-like and a FINOS-like catalog built as native documents, and an assessment on the
bundled catalog with some answers, for the crosswalk's selector and page.

The answers, worked by hand (every control of the bundled catalog applies: no persona is
selected and the system states no terms, so a control left unanswered scores 0):

    DAT-4 controlTrainingDataSanitization (weight 1): 0.5, 0.5, 0.5        -> 50
    MOD-3 controlAdversarialTrainingAndTesting (1): 0.75, Yes, N/A         -> (0.75 + 1) / 2 = 87.5
    MOD-1 controlInputValidationAndSanitization (2): 0.25, 0.25, No        -> 0.5 / 3 = 16.6667
    INF-8 controlInterComponentTransportSecurity (1): 0.75 three times     -> 75
    APL-9 controlAgentExecutionBounds (1): 1.0 three times                 -> 100
    APL-4 controlAgentPluginPermissions, APL-8 controlAgentCredentialIsolation: all N/A -> N/A
    MOD-2 controlOutputValidationAndSanitization (1), APL-1 (1): unanswered -> 0
"""

from __future__ import annotations

import pytest

from assessments.models import Answer
from scorecard.catalog.bundled import READINESS_FILE, bundled_dir, load_bundled_file
from scorecard.catalog.store import save_document
from scorecard.models import FrameworkStatus, Question
from tests.factories import make_assessment

# mitigation -> the techniques it addresses (ids as ATLAS 5.6.0 gives them for these).
ATLAS_MITIGATIONS = {
    "AML.M0007": ["AML.T0020", "AML.T0010.002"],
    "AML.M0008": ["AML.T0020"],
    "AML.M0001": ["AML.T0020"],
    "AML.M0020": ["AML.T0051"],
    "AML.M0024": ["AML.T0051"],
}
ATLAS_TECHNIQUES = ["AML.T0020", "AML.T0010.002", "AML.T0051", "AML.T0010"]

SCALE = [{"label": "No", "value": 0}, {"label": "Yes", "value": 1}]


def _document(slug: str, name: str, version: str, risks: list, controls: list) -> dict:
    return {
        "format": "scorecard-catalog/1",
        "framework": {"slug": slug, "name": name, "version": version},
        "scale": SCALE,
        "tiers": [{"name": "Low", "min_score": 0}, {"name": "High", "min_score": 50}],
        "risks": risks,
        "domains": [{"id": "all", "name": "All", "controls": controls}] if controls else [],
    }


def _control(cid: str, risks: list[str], mappings: dict) -> dict:
    return {
        "id": cid,
        "name": f"Mitigation {cid}",
        "risks": risks,
        "mappings": mappings,
        "questions": [{"id": f"{cid}.q1", "text": "Is it in place?", "type": "yes_no"}],
    }


def atlas_document(*, version: str = "5.6.0", extra: int = 0) -> dict:
    """ATLAS as its importer stores it: mitigations as controls, techniques as risks, each
    mapped to itself pinned to the version; `extra` more techniques, each with a mitigation
    of its own that nothing else maps."""
    techniques = ATLAS_TECHNIQUES + [f"AML.T9{n:03d}" for n in range(extra)]
    mitigations = dict(ATLAS_MITIGATIONS)
    mitigations.update({f"AML.M9{n:03d}": [f"AML.T9{n:03d}"] for n in range(extra)})
    return _document(
        "mitre-atlas",
        "MITRE ATLAS",
        version,
        [
            {"id": t, "name": f"Technique {t}", "mappings": {"mitre-atlas": [f"{t}@{version}"]}}
            for t in techniques
        ],
        [_control(m, ts, {"mitre-atlas": [f"{m}@{version}"]}) for m, ts in mitigations.items()],
    )


def finos_document() -> dict:
    """FINOS as its importer stores it: keys of its reference lists verbatim (ri-10's as
    the FINOS source gives them; the others cut down)."""
    risks = [
        {
            "id": "ri-10",
            "name": "Prompt Injection",
            "mappings": {
                "owasp-llm": ["llm01-2025", "llm04-2025", "llm06-2025", "llm10-2025"],
                "eu-ai-act": ["c2-a5", "c3-s2-a15", "c3-s2-a14"],
            },
        },
        {
            "id": "ri-1",
            "name": "Information Leaked To Hosted Model",
            "mappings": {"owasp-llm": ["llm02-2025"]},
        },  # fmt: skip
        {
            "id": "ri-9",
            "name": "Data Poisoning",
            "mappings": {"owasp-llm": ["llm03-2025", "llm04-2025", "llm05-2025"]},
        },  # fmt: skip
        {
            "id": "ri-16",
            "name": "Bias and Discrimination",
            "mappings": {"eu-ai-act": ["c3-s2-a10"]},
        },  # fmt: skip
    ]
    controls = [
        _control(
            "mi-3",
            ["ri-10"],
            {"nist-sp-800-53r5": ["ac-4", "si-10"], "iso-42001": ["A-6-1-3"]},
        ),
        _control("mi-1", ["ri-1"], {"iso-42001": ["A-6-2-3"]}),
    ]
    return _document("finos-aigf", "FINOS AI Governance Framework", "1.0", risks, controls)


def unrelated_document() -> dict:
    """A published catalog that maps only to a scheme the bundled catalog never uses."""
    return _document(
        "nist-800-53-slice",
        "NIST SP 800-53 slice",
        "5",
        [{"id": "r1", "name": "Risk one"}],
        [_control("ac-4", ["r1"], {"nist-sp-800-53r5": ["ac-4"]})],
    )


def publish(doc: dict):
    return save_document(doc, status=FrameworkStatus.PUBLISHED)


def _all_three(control: str, label: str, value: float | None, na: bool = False) -> list:
    return [(f"{control}.q{i}", label, value, na) for i in (1, 2, 3)]


# (question ref, option label, value, N/A) per hand-worked answer above.
ANSWERS = [
    *_all_three("controlTrainingDataSanitization", "Partially in place", 0.5),
    ("controlAdversarialTrainingAndTesting.q1", "Established", 0.75, False),
    ("controlAdversarialTrainingAndTesting.q2", "Yes", 1.0, False),
    ("controlAdversarialTrainingAndTesting.q3", "", None, True),
    ("controlInputValidationAndSanitization.q1", "Ad hoc", 0.25, False),
    ("controlInputValidationAndSanitization.q2", "Ad hoc", 0.25, False),
    ("controlInputValidationAndSanitization.q3", "No", 0.0, False),
    *_all_three("controlInterComponentTransportSecurity", "Established", 0.75),
    *_all_three("controlAgentExecutionBounds", "Measured and improving", 1.0),
    *_all_three("controlAgentPluginPermissions", "", None, na=True),
    *_all_three("controlAgentCredentialIsolation", "", None, na=True),
]


@pytest.fixture
def bundled(db):
    framework, _ = load_bundled_file(bundled_dir() / READINESS_FILE)
    return framework


@pytest.fixture
def answered(bundled, organisation, owner):
    assessment = make_assessment(organisation, bundled, title="Claims triage", created_by=owner)
    questions = dict(Question.objects.filter(framework=bundled).values_list("ref", "pk"))
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            question_id=questions[ref],
            option_label=label,
            value=value,
            na=na,
            justification="Not part of this system." if na else "",
            updated_by=owner,
        )
        for ref, label, value, na in ANSWERS
    )
    return assessment


@pytest.fixture
def others(db):
    """The ATLAS-like and FINOS-like catalogs, published, and one that shares nothing."""
    return {
        "atlas": publish(atlas_document()),
        "finos": publish(finos_document()),
        "unrelated": publish(unrelated_document()),
    }
