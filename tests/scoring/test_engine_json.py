"""The published JSON shape of a score and the one rounding rule every screen uses."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.scoring import (
    Answer,
    Catalog,
    Control,
    Domain,
    Question,
    Risk,
    Tier,
    format_score,
    score,
)

TOP_LEVEL_KEYS = [
    "overall",
    "tier",
    "gated",
    "gated_by",
    "completeness",
    "domains",
    "controls",
    "risks",
    "crosswalk",
    "gaps",
]


def governance_catalog(critical=False):
    return Catalog(
        domains=(
            Domain(
                "GOV",
                domains=(
                    Domain(
                        "GOV-SUB",
                        controls=(Control("GOV-4", questions=(Question("g4", "scale"),)),),
                    ),
                ),
                controls=(
                    Control(
                        "GOV-1",
                        critical=critical,
                        risks=("riskDataPoisoning",),
                        mappings=(("nist-ai-rmf", ("GOVERN-1.1@1.0",)),),
                        questions=(Question("g1", "choice"),),
                    ),
                    Control("GOV-2", questions=(Question("g2", "yes_no", allow_na=True),)),
                    Control("GOV-3", personas=("legal",), questions=(Question("g3", "scale"),)),
                ),
            ),
        ),
        tiers=(Tier("Initial", 0), Tier("Defined", 50), Tier("Managed", 55)),
        gate_tier="Initial",
        risks=(Risk("riskDataPoisoning", "Data poisoning"),),
    )


GIVEN = [Answer("g1", 0.5), Answer("g2", na=True), Answer("g4", 2 / 3)]


def test_scores_json_has_the_published_shape():
    result = score(governance_catalog(), GIVEN, ("engineer",))
    # GOV-4 = 66.666…; GOV-SUB = 66.666…; GOV-2 is N/A; GOV-3 is for "legal" only.
    # GOV = (50 + 66.666…) / 2 = 58.333… → 58.33, which reaches Managed (55).
    # Gaps: GOV-1 = 1/2 × 50 = 25; GOV-4 = 1/2 × 33.333… = 16.666… → 16.67
    assert result.to_json_scores() == {
        "overall": 58.33,
        "tier": "Managed",
        "gated": False,
        "gated_by": [],
        "completeness": 100.0,
        "domains": {"GOV": 58.33, "GOV-SUB": 66.67},
        "controls": {"GOV-1": 50.0, "GOV-2": None, "GOV-4": 66.67},
        "risks": {"riskDataPoisoning": 50.0},
        "crosswalk": {"nist-ai-rmf": {"GOVERN-1.1": 50.0}},
        "gaps": [{"control": "GOV-1", "points": 25.0}, {"control": "GOV-4", "points": 16.67}],
    }
    assert list(result.to_json_scores()) == TOP_LEVEL_KEYS


def test_gated_result_in_json():
    result = score(governance_catalog(critical=True), GIVEN, ("engineer",))
    data = result.to_json_scores()
    # GOV-1 = 50 is not below the default threshold of 50; drop it to 40 to gate.
    assert data["gated"] is False
    answers = [Answer("g1", 0.4), *GIVEN[1:]]
    data = score(governance_catalog(critical=True), answers, ("engineer",)).to_json_scores()
    # GOV = (40 + 66.666…) / 2 = 53.33 → Defined, lowered to the gate tier Initial by GOV-1
    assert (data["overall"], data["tier"], data["gated"], data["gated_by"]) == (
        53.33,
        "Initial",
        True,
        ["GOV-1"],
    )


def test_json_survives_a_round_trip_through_json_text():
    data = score(governance_catalog(), GIVEN).to_json_scores()
    assert json.loads(json.dumps(data)) == data


def test_na_everywhere_is_null():
    catalog = Catalog(domains=(Domain("D", controls=(Control("C"),)),), risks=(Risk("r"),))
    data = score(catalog, []).to_json_scores()
    assert data == {
        "overall": None,
        "tier": None,
        "gated": False,
        "gated_by": [],
        "completeness": None,
        "domains": {"D": None},
        "controls": {"C": None},
        "risks": {"r": None},
        "crosswalk": {},
        "gaps": [],
    }


def test_domains_at_every_depth_and_only_applicable_controls():
    data = score(governance_catalog(), GIVEN, ("engineer",)).to_json_scores()
    assert set(data["domains"]) == {"GOV", "GOV-SUB"}
    assert "GOV-3" not in data["controls"]
    assert "GOV-3" in score(governance_catalog(), GIVEN).to_json_scores()["controls"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "N/A"),
        (63.2749, "63.27"),
        (63.276, "63.28"),
        (70, "70.00"),
        (100.0, "100.00"),
        (0.0, "0.00"),
        (1e-9, "0.00"),
        (-0.001, "0.00"),  # never "-0.00"
        (2.675, "2.67"),  # the double nearest 2.675 lies below it; round() agrees
    ],
)
def test_format_score(value, text):
    assert format_score(value) == text


@settings(max_examples=150, deadline=None, database=None)
@given(st.floats(0.0, 100.0))
def test_format_score_shows_exactly_the_json_number(x):
    result_like = round(x, 2)
    assert format_score(x) == f"{result_like:.2f}"
    assert float(format_score(x)) == result_like
