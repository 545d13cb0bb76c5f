"""Hand-computed cases, one group per rule of the published scoring methodology.

Each case writes its arithmetic out so a reviewer can check the expected number without
running anything; the engine must agree to 1e-9.
"""

import math
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from scorecard.scoring import (
    BOUNDARY_TOLERANCE,
    METHODOLOGY_VERSION,
    Answer,
    Catalog,
    Control,
    Domain,
    Question,
    Risk,
    ScoringInputError,
    Term,
    Tier,
    normalise_reference,
    reference_group,
    score,
)

TOL = 1e-9
SCORING_DIR = Path(__file__).resolve().parents[2] / "scorecard" / "scoring"


def q(qid, type="scale", weight=1.0, allow_na=False):
    return Question(qid, type, weight, allow_na)


def ctl(cid, *questions, **kwargs):
    return Control(cid, questions=tuple(questions), **kwargs)


def dom(did, *children, weight=1.0):
    return Domain(
        did,
        weight=weight,
        domains=tuple(c for c in children if isinstance(c, Domain)),
        controls=tuple(c for c in children if isinstance(c, Control)),
    )


def cat(*domains, **kwargs):
    return Catalog(domains=tuple(domains), **kwargs)


def answers(**values):
    """q=0.5 answers with 0.5, q="na" marks N/A, q=None is an explicit unanswered answer."""
    return [
        Answer(qid, na=True) if v == "na" else Answer(qid, value=v) for qid, v in values.items()
    ]


def one_control(*questions, **kwargs):
    return cat(dom("D", ctl("C", *questions)), **kwargs)


def close(a, b):
    """Equal structures whose numbers agree to TOL; None (N/A) only matches None."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(a, b, rel_tol=0, abs_tol=TOL)
    return a == b


# --- control score ------------------------------------------------------------------------

CONTROL_CASES = [
    pytest.param(
        # 100 × (1·1 + 3·0.5) / (1 + 3) = 100 × 2.5 / 4 = 62.5
        [q("q1", weight=1), q("q2", weight=3)],
        {"q1": 1.0, "q2": 0.5},
        62.5,
        id="question-weights",
    ),
    pytest.param(
        # q2 is N/A and left out: 100 × (1·0.25) / 1 = 25
        [q("q1"), q("q2", weight=3, allow_na=True)],
        {"q1": 0.25, "q2": "na"},
        25.0,
        id="na-left-out",
    ),
    pytest.param(
        # q2 has no answer and counts as 0: 100 × (1·1 + 1·0) / (1 + 1) = 50
        [q("q1"), q("q2")],
        {"q1": 1.0},
        50.0,
        id="missing-answer-counts-0",
    ),
    pytest.param(
        # An Answer whose value is None is unanswered too: 100 × (1 + 0) / 2 = 50
        [q("q1"), q("q2")],
        {"q1": 1.0, "q2": None},
        50.0,
        id="explicit-unanswered-counts-0",
    ),
    pytest.param(
        # yes_no w2 = 1, choice w1 = 0: 100 × (2·1 + 1·0) / (2 + 1) = 66.666…
        [q("yn", "yes_no", weight=2), q("ch", "choice")],
        {"yn": 1.0, "ch": 0.0},
        200.0 / 3.0,
        id="yes-no-and-choice",
    ),
    pytest.param(
        # The text and number questions never count: 100 × (1·0.5) / 1 = 50
        [q("q1"), q("t", "text", weight=5), q("n", "number", weight=5)],
        {"q1": 0.5, "t": 0.9, "n": 42},
        50.0,
        id="text-and-number-ignored",
    ),
    pytest.param(
        # Every scored question N/A: nothing to average, so N/A
        [q("q1", allow_na=True), q("q2", allow_na=True)],
        {"q1": "na", "q2": "na"},
        None,
        id="all-na",
    ),
    pytest.param(
        # Only unscored questions: N/A
        [q("t", "text"), q("n", "number")],
        {"n": 7},
        None,
        id="only-unscored",
    ),
    pytest.param([], {}, None, id="no-questions"),
]


@pytest.mark.parametrize(("questions", "given", "expected"), CONTROL_CASES)
def test_control_score(questions, given, expected):
    result = score(one_control(*questions), answers(**given))
    assert close(result.controls["C"].score, expected)
    # With one control everywhere, the domain and the overall score follow it.
    assert close(result.domains["D"].score, expected)
    assert close(result.overall, expected)


# --- input validation ---------------------------------------------------------------------

ERROR_CASES = [
    pytest.param(one_control(q("q1")), [Answer("q1", na=True)], "'q1'", id="na-not-allowed"),
    pytest.param(one_control(q("q1")), [Answer("q1", 1.5)], "'q1'", id="value-above-1"),
    pytest.param(one_control(q("q1")), [Answer("q1", -0.1)], "'q1'", id="value-below-0"),
    pytest.param(one_control(q("q1")), [Answer("q1", math.nan)], "'q1'", id="value-nan"),
    pytest.param(one_control(q("q1")), [Answer("q1", "0.5")], "'q1'", id="value-string"),
    pytest.param(one_control(q("q1")), [Answer("ghost", 1.0)], "'ghost'", id="unknown-question"),
    pytest.param(one_control(q("q1", weight=0)), [], "'q1'", id="question-weight-0"),
    pytest.param(
        cat(dom("D", ctl("C", q("q1"), weight=-1))), [], "'C'", id="control-weight-negative"
    ),
    pytest.param(cat(dom("D", ctl("C", q("q1")), weight=0)), [], "'D'", id="domain-weight-0"),
    pytest.param(
        cat(dom("D", dom("S", ctl("C"), weight=math.inf))), [], "'S'", id="weight-infinite"
    ),
    pytest.param(one_control(q("q1", "essay")), [], "'q1'", id="unknown-question-type"),
    pytest.param(
        cat(dom("D", ctl("C1", q("q1")), ctl("C2", q("q1")))), [], "'q1'", id="duplicate-question"
    ),
    pytest.param(cat(dom("D", ctl("C")), dom("E", ctl("C"))), [], "'C'", id="duplicate-control"),
    pytest.param(cat(dom("D", dom("D"))), [], "'D'", id="duplicate-domain"),
    pytest.param(
        one_control(q("q1")),
        [Answer("q1", 0.5), Answer("q1", 1.0)],
        "'q1'",
        id="conflicting-answers",
    ),
    pytest.param(
        one_control(q("q1", allow_na=True)),
        [Answer("q1", 0.5, na=True)],
        "'q1'",
        id="na-with-value",
    ),
    pytest.param(
        one_control(q("q1"), tiers=(Tier("Low", 0),), gate_tier="High"),
        [],
        "'High'",
        id="unknown-gate-tier",
    ),
    pytest.param(
        one_control(q("q1"), tiers=(Tier("Low", 0), Tier("Low", 50))),
        [],
        "'Low'",
        id="duplicate-tier",
    ),
    pytest.param(cat(dom("D", ctl("C", personas="engineer"))), [], "'C'", id="personas-as-string"),
    pytest.param(
        cat(dom("D", ctl("C", mappings=(("nist", "GOVERN-1"),)))), [], "'C'", id="refs-as-string"
    ),
]


@pytest.mark.parametrize(("catalog", "given", "names"), ERROR_CASES)
def test_invalid_input_is_rejected_naming_the_id(catalog, given, names):
    with pytest.raises(ScoringInputError, match=names):
        score(catalog, given)


def test_tiers_sharing_a_minimum_are_rejected():
    catalog = one_control(q("q1"), tiers=(Tier("A", 50), Tier("B", 50)))
    with pytest.raises(ScoringInputError, match="min_score"):
        score(catalog, [])


def test_decimal_weights_and_values_from_the_database_are_accepted():
    catalog = one_control(q("q1", weight=Decimal("3")), q("q2", weight=Decimal("1")))
    result = score(catalog, [Answer("q1", Decimal("0.5")), Answer("q2", Decimal("1"))])
    # 100 × (3·0.5 + 1·1) / (3 + 1) = 100 × 2.5 / 4 = 62.5
    assert result.overall == 62.5


def test_scoring_input_error_is_a_value_error():
    assert issubclass(ScoringInputError, ValueError)


def test_answers_mapping_key_must_match_question():
    with pytest.raises(ScoringInputError, match="'q2'"):
        score(one_control(q("q1"), q("q2")), {"q2": Answer("q1", 1.0)})


def test_selected_personas_given_as_a_string_are_rejected():
    with pytest.raises(ScoringInputError, match="engineer"):
        score(one_control(q("q1")), [], "engineer")


def test_answers_to_unscored_questions_are_accepted_whatever_they_hold():
    # A number question may hold any number and N/A without allow_na; neither is scored.
    catalog = one_control(q("q1"), q("n", "number"), q("t", "text"))
    result = score(catalog, [Answer("q1", 1.0), Answer("n", 1234.0), Answer("t", na=True)])
    assert result.overall == 100.0
    assert result.applicable_questions == 1


def test_repeating_the_same_answer_is_not_a_conflict():
    result = score(one_control(q("q1")), [Answer("q1", 0.5), Answer("q1", 0.5)])
    assert result.overall == 50.0


def test_answers_as_mapping_or_iterable_in_any_order_agree():
    catalog = one_control(q("q1", weight=2), q("q2"), q("q3", allow_na=True))
    given = answers(q1=0.25, q2=1.0, q3="na")
    as_list = score(catalog, given)
    assert score(catalog, list(reversed(given))) == as_list
    assert score(catalog, {a.question: a for a in given}) == as_list
    # 100 × (2·0.25 + 1·1) / (2 + 1) = 100 × 1.5 / 3 = 50
    assert close(as_list.overall, 50.0)


# --- personas -----------------------------------------------------------------------------


def persona_catalog():
    return cat(
        dom(
            "D",
            ctl("ENG", q("q_eng"), personas=("engineer",)),
            ctl("ANY", q("q_any")),
            ctl(
                "LEG",
                q("q_leg"),
                personas=("legal",),
                risks=("r1",),
                mappings=(("nist", ("GOVERN-1.1",)),),
            ),
        )
    )


PERSONA_CASES = [
    pytest.param(
        # ENG shares "engineer"; ANY lists no persona; LEG shares none and is excluded.
        # D = (100 + 50) / 2 = 75; completeness = 2 answered / 2 applicable = 100
        ("ciso", "engineer"),
        {"ENG", "ANY"},
        75.0,
        100.0,
        id="match-and-no-personas",
    ),
    pytest.param(
        # Nothing selected: every control applies; LEG is unanswered (0).
        # D = (100 + 50 + 0) / 3 = 50; completeness = 2 / 3
        (),
        {"ENG", "ANY", "LEG"},
        50.0,
        200.0 / 3.0,
        id="none-selected",
    ),
    pytest.param(
        # "legal" selects LEG, ANY still applies: D = (50 + 0) / 2 = 25; completeness = 1 / 2
        ("legal",),
        {"ANY", "LEG"},
        25.0,
        50.0,
        id="other-persona",
    ),
    pytest.param(
        # A persona nobody lists leaves only ANY: D = 50; completeness = 1 / 1
        ("auditor",),
        {"ANY"},
        50.0,
        100.0,
        id="no-match",
    ),
]


@pytest.mark.parametrize(("personas", "applicable", "overall", "completeness"), PERSONA_CASES)
def test_personas_decide_which_controls_apply(personas, applicable, overall, completeness):
    result = score(persona_catalog(), answers(q_eng=1.0, q_any=0.5), personas)
    assert set(result.controls) == applicable
    assert close(result.overall, overall)
    assert close(result.completeness, completeness)
    assert result.applicable_questions == len(applicable)


def test_inapplicable_control_is_excluded_everywhere():
    result = score(persona_catalog(), answers(q_eng=1.0, q_any=0.5), ("engineer",))
    assert "LEG" not in result.controls
    # LEG was the only control behind r1 and GOVERN-1.1: both are N/A, not 0.
    assert result.risks["r1"].coverage is None
    assert result.risks["r1"].exposure is None
    assert result.crosswalk == {"nist": {"GOVERN-1.1": None}}
    # Gaps: only ANY loses points, eff 1/2 × (100 − 50) = 25.
    assert [(g.control, g.points) for g in result.gaps] == [("ANY", 25.0)]
    leg = next(t for t in result.domains["D"].explanation if t.id == "LEG")
    assert leg == Term(
        "LEG", "control", 1.0, None, False, "not applicable to the selected personas"
    )


def test_persona_order_does_not_matter():
    given = answers(q_eng=1.0, q_any=0.5)
    assert score(persona_catalog(), given, ["legal", "engineer"]) == score(
        persona_catalog(), given, ("engineer", "legal")
    )


# --- domains and overall ------------------------------------------------------------------


def nested_catalog():
    return cat(
        dom(
            "TOP",
            dom("S1", ctl("c1", q("q1")), weight=2),
            dom("S2", dom("S2a", ctl("c2", q("q2"))), weight=1),
            dom("S3", ctl("c_na", q("q_na", allow_na=True)), weight=5),
            dom("S4", weight=7),
            ctl("c3", q("q3")),
        )
    )


def test_nested_domains_use_their_own_weights():
    result = score(nested_catalog(), answers(q1=0.5, q2=0.8, q3=1.0, q_na="na"))
    # S2a = 80 and S2 = 80 (one child each); S3 (only an N/A control) and S4 (empty) are N/A.
    # TOP = (2·50 + 1·80 + 1·100) / (2 + 1 + 1) = 280 / 4 = 70
    scores = {k: v.score for k, v in result.domains.items()}
    assert close(scores, {"TOP": 70.0, "S1": 50.0, "S2": 80.0, "S2a": 80.0, "S3": None, "S4": None})
    assert close(result.overall, 70.0)
    assert result.domains["S2a"].parent == "S2"
    assert result.domains["S2a"].depth == 3
    assert result.domains["TOP"].parent is None
    assert result.controls["c2"].domain == "S2a"


def test_overall_is_weighted_mean_of_top_level_domains():
    catalog = cat(
        dom("A", ctl("a", q("qa")), weight=1),
        dom("B", ctl("b", q("qb")), weight=3),
        dom("C", ctl("c", q("qc", allow_na=True)), weight=10),
    )
    result = score(catalog, answers(qa=0.4, qb=0.8, qc="na"))
    # C is N/A and drops out: (1·40 + 3·80) / (1 + 3) = 280 / 4 = 70
    assert close(result.overall, 70.0)
    assert result.domains["C"].score is None
    assert result.domains["C"].effective_weight is None


def test_overall_na_when_every_domain_is_na():
    catalog = cat(dom("A", ctl("a", q("qa", allow_na=True))), dom("B"), tiers=(Tier("Low", 0),))
    result = score(catalog, answers(qa="na"))
    assert result.overall is None
    assert result.tier is None
    assert result.gaps == ()
    # The one applicable question is accounted for (N/A): 1 / 1 = 100
    assert result.completeness == 100.0


def test_empty_catalog():
    result = score(cat(), [])
    assert result.overall is None
    assert result.completeness is None
    assert result.domains == {} and result.controls == {} and result.gaps == ()
    assert result.methodology_version == METHODOLOGY_VERSION == "1.1"


# --- tiers and the critical gate ----------------------------------------------------------

# Deliberately out of order: the engine sorts by min_score.
TIERS = (Tier("Managed", 75), Tier("Initial", 0), Tier("Defined", 50), Tier("Developing", 25))


@pytest.mark.parametrize(
    ("value", "tier"),
    [
        (0.70, "Defined"),  # 70: highest min_score <= 70 is Defined (50)
        (0.75, "Managed"),  # 75: a tier's own minimum reaches it
        (0.2499, "Initial"),  # 24.99 < 25
        (0.0, "Initial"),  # 0 >= 0
        (1.0, "Managed"),
    ],
)
def test_tier_is_highest_min_score_reached(value, tier):
    result = score(one_control(q("q1"), tiers=TIERS), [Answer("q1", value)])
    assert result.tier == tier
    assert result.tier_before_gate == tier


def test_no_tier_below_the_lowest_minimum_or_without_tiers():
    assert score(one_control(q("q1"), tiers=(Tier("T", 10),)), answers(q1=0.05)).tier is None
    assert score(one_control(q("q1")), answers(q1=1.0)).tier is None


def test_float_noise_at_a_tier_boundary_does_not_drop_a_tier():
    catalog = one_control(q("a", weight=0.1), q("b", weight=0.2), tiers=TIERS)
    result = score(catalog, answers(a=0.1, b=0.7))
    # (0.1·0.1 + 0.2·0.7) / 0.3 = 0.15 / 0.3 = 50 in exact decimals; floats give 49.99999999999999
    assert result.overall != 50.0 and close(result.overall, 50.0)
    assert 50.0 - result.overall < BOUNDARY_TOLERANCE
    assert result.tier == "Defined"


def gate_catalog(crit_question=None, ok_weight=3.0, crit_personas=(), gate_tier="Defined"):
    crit_q = crit_question or q("q_crit")
    return cat(
        dom(
            "D",
            ctl("CRIT", crit_q, critical=True, personas=crit_personas),
            ctl("OK", q("q_ok"), weight=ok_weight),
        ),
        tiers=TIERS,
        gate_tier=gate_tier,
        critical_threshold=50.0,
    )


def test_critical_control_below_threshold_gates_the_tier():
    result = score(gate_catalog(), answers(q_crit=0.4, q_ok=1.0))
    # (1·40 + 3·100) / 4 = 85 → Managed, but CRIT = 40 < 50 lowers it to the gate tier Defined
    assert close(result.overall, 85.0)
    assert result.tier_before_gate == "Managed"
    assert result.tier == "Defined"
    assert result.gated is True
    assert result.gated_by == ("CRIT",)
    assert result.critical_below_threshold == ("CRIT",)


def test_gating_controls_are_sorted_by_id():
    catalog = cat(
        dom(
            "D",
            ctl("Z-CRIT", q("qz"), critical=True),
            ctl("A-CRIT", q("qa"), critical=True),
            ctl("OK", q("qo"), weight=20),
        ),
        tiers=TIERS,
        gate_tier="Developing",
    )
    result = score(catalog, answers(qz=0.1, qa=0.2, qo=1.0))
    # (10 + 20 + 20·100) / 22 = 2030 / 22 = 92.27 → Managed, gated down to Developing
    assert result.tier == "Developing"
    assert result.gated_by == ("A-CRIT", "Z-CRIT")


def test_no_gate_when_tier_already_at_gate_tier():
    result = score(gate_catalog(ok_weight=1.0), answers(q_crit=0.4, q_ok=0.8))
    # (40 + 80) / 2 = 60 → Defined, which is the gate tier: nothing to lower
    assert close(result.overall, 60.0)
    assert result.tier == "Defined"
    assert result.gated is False
    assert result.gated_by == ()
    assert result.critical_below_threshold == ("CRIT",)


def test_no_gate_when_tier_below_gate_tier():
    result = score(gate_catalog(ok_weight=1.0), answers(q_crit=0.2, q_ok=0.4))
    # (20 + 40) / 2 = 30 → Developing, below Defined
    assert result.tier == "Developing"
    assert result.gated is False
    assert result.critical_below_threshold == ("CRIT",)


def test_na_critical_control_does_not_gate():
    catalog = gate_catalog(crit_question=q("q_crit", allow_na=True))
    result = score(catalog, answers(q_crit="na", q_ok=1.0))
    # CRIT is N/A; overall = OK = 100 → Managed
    assert result.tier == "Managed"
    assert result.gated is False
    assert result.critical_below_threshold == ()


def test_critical_control_exactly_at_threshold_does_not_gate():
    result = score(gate_catalog(), answers(q_crit=0.5, q_ok=1.0))
    # CRIT = 50, not below 50; (50 + 300) / 4 = 87.5 → Managed
    assert result.tier == "Managed"
    assert result.critical_below_threshold == ()


def test_inapplicable_critical_control_does_not_gate():
    catalog = gate_catalog(crit_personas=("legal",))
    result = score(catalog, answers(q_crit=0.0, q_ok=1.0), ("engineer",))
    assert result.tier == "Managed"
    assert result.critical_below_threshold == ()


def test_without_gate_tier_nothing_is_lowered_but_the_failures_are_listed():
    result = score(gate_catalog(gate_tier=None), answers(q_crit=0.4, q_ok=1.0))
    assert result.tier == "Managed"
    assert result.gated is False
    assert result.critical_below_threshold == ("CRIT",)


# --- gaps ---------------------------------------------------------------------------------


def gap_catalog():
    return cat(
        dom("A", ctl("A1", q("a1")), ctl("A2", q("a2")), weight=1),
        dom(
            "B",
            ctl("B1", q("b1"), weight=2, guidance="Write the policy."),
            dom("BS", ctl("BS1", q("bs1")), ctl("BS2", q("bs2", allow_na=True)), weight=2),
            weight=3,
        ),
    )


def test_gap_points_are_effective_weight_times_missing_score():
    result = score(gap_catalog(), answers(a1=0.5, a2=1.0, b1=0.0, bs1=0.8, bs2="na"))
    # A = (50 + 100) / 2 = 75; BS = 80 (BS2 is N/A); B = (2·0 + 2·80) / 4 = 40
    # overall = (1·75 + 3·40) / 4 = 195 / 4 = 48.75
    # effective weights: A1 = A2 = 1/4 · 1/2 = 0.125; B1 = 3/4 · 2/4 = 0.375;
    #                    BS1 = 3/4 · 2/4 · 1/1 = 0.375 (BS2 N/A is not a sibling that counts)
    # points: B1 = 0.375·100 = 37.5; BS1 = 0.375·20 = 7.5; A1 = 0.125·50 = 6.25; A2 = 0 (omitted)
    assert close(result.overall, 48.75)
    got = [(g.control, g.points, g.score, g.effective_weight) for g in result.gaps]
    assert close(
        got, [("B1", 37.5, 0.0, 0.375), ("BS1", 7.5, 80.0, 0.375), ("A1", 6.25, 50.0, 0.125)]
    )
    assert result.gaps[0].guidance == "Write the policy."
    # 37.5 + 7.5 + 6.25 = 51.25 = 100 − 48.75
    assert close(math.fsum(g.points for g in result.gaps), 100.0 - result.overall)
    assert result.controls["BS2"].effective_weight is None
    assert close(result.domains["BS"].effective_weight, 0.375)


def test_gap_ties_are_ordered_by_control_id():
    catalog = cat(dom("D", ctl("X2", q("x2")), ctl("X1", q("x1")), ctl("X3", q("x3"))))
    result = score(catalog, answers(x2=0.5, x1=0.5, x3=0.0))
    # eff = 1/3 each: X3 = 100/3 = 33.33; X1 = X2 = 50/3 = 16.67, tie broken by id
    assert [g.control for g in result.gaps] == ["X3", "X1", "X2"]
    assert close(result.gaps[1].points, 50.0 / 3.0)


# --- risks --------------------------------------------------------------------------------


def test_risk_coverage_and_exposure():
    catalog = cat(
        dom(
            "D",
            ctl("C1", q("q1"), risks=("r1", "r1")),
            ctl("C2", q("q2"), weight=3, risks=("r1", "r2")),
            ctl("C3", q("q3", allow_na=True), risks=("r2",)),
            ctl("C4", q("q4"), personas=("legal",), risks=("r3",)),
        ),
        risks=(Risk("r1", "Data poisoning", "data"), Risk("r4", "Model theft")),
    )
    result = score(catalog, answers(q1=0.5, q2=1.0, q3="na", q4=1.0), ("engineer",))
    # r1: C1 (listed twice, counted once) and C2: (1·50 + 3·100) / (1 + 3) = 350 / 4 = 87.5
    # r2: C2 only, C3 is N/A: 100; r3: C4 does not apply: N/A; r4: no control: N/A
    coverage = {k: (v.coverage, v.exposure) for k, v in result.risks.items()}
    assert close(
        coverage,
        {"r1": (87.5, 12.5), "r2": (100.0, 0.0), "r3": (None, None), "r4": (None, None)},
    )
    assert (result.risks["r1"].name, result.risks["r1"].category) == ("Data poisoning", "data")
    assert result.risks["r2"].name == ""  # referenced by a control only
    assert result.risks["r2"].explanation == (
        Term("C2", "control", 3.0, 100.0, True, "included"),
        Term("C3", "control", 1.0, None, False, "N/A"),
    )
    assert result.risks["r3"].explanation[0].reason == "not applicable to the selected personas"


# --- crosswalk ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised", "group"),
    [
        ("GOVERN-1.1@1.0", "GOVERN-1.1", "GOVERN"),
        ("GOVERN-1.1", "GOVERN-1.1", "GOVERN"),
        (" MAP-2.1@2023 ", "MAP-2.1", "MAP"),
        ("A.5.1", "A.5.1", "A.5.1"),
        ("A.5.1@2022", "A.5.1", "A.5.1"),
        ("@1.0", "@1.0", "@1.0"),
    ],
)
def test_reference_normalisation_and_group(raw, normalised, group):
    assert normalise_reference(raw) == normalised
    assert reference_group(raw) == group


def test_crosswalk_by_reference_and_group():
    catalog = cat(
        dom(
            "D",
            ctl("G1", q("g1"), mappings=(("nist", ("GOVERN-1.1@1.0", "GOVERN-1.1@2.0")),)),
            ctl("G2", q("g2"), mappings=(("nist", ("GOVERN-1.1", "GOVERN-1.2")),)),
            ctl("G3", q("g3"), weight=2, mappings=(("nist", ("MAP-2.1",)), ("iso", ("A.5",)))),
            ctl("G4", q("g4"), mappings=(("iso", ("A.5@2022",)),)),
        )
    )
    result = score(catalog, answers(g1=0.5, g2=1.0, g3=0.0, g4=0.9))
    # GOVERN-1.1: G1 (both versions collapse, counted once) and G2: (50 + 100) / 2 = 75
    # GOVERN-1.2: G2 = 100; MAP-2.1: G3 = 0; A.5: G3 and G4: (2·0 + 1·90) / 3 = 30
    assert close(
        result.crosswalk,
        {"iso": {"A.5": 30.0}, "nist": {"GOVERN-1.1": 75.0, "GOVERN-1.2": 100.0, "MAP-2.1": 0.0}},
    )
    # GOVERN group: G1 and G2 once each: (50 + 100) / 2 = 75; "A.5" has no "-": its own group
    assert close(
        result.crosswalk_groups, {"iso": {"A.5": 30.0}, "nist": {"GOVERN": 75.0, "MAP": 0.0}}
    )


# --- completeness -------------------------------------------------------------------------


def test_completeness_counts_answered_and_na_over_applicable_scored_questions():
    catalog = cat(
        dom(
            "D",
            ctl("C", q("q1"), q("q2", allow_na=True), q("q3"), q("q4"), q("t", "text")),
            ctl("OTHER", q("q5"), personas=("legal",)),
        )
    )
    result = score(catalog, answers(q1=1.0, q2="na", q4=0.0), ("engineer",))
    # q1 answered, q2 N/A, q3 unanswered, q4 answered 0; the text question and OTHER's q5 do
    # not count: 3 / 4 = 75
    assert (result.answered, result.applicable_questions) == (3, 4)
    assert result.completeness == 75.0
    assert (result.controls["C"].answered, result.controls["C"].scored_questions) == (3, 4)


# --- explanations -------------------------------------------------------------------------


def explained():
    catalog = cat(
        dom(
            "D",
            dom("S", ctl("SC", q("sq", allow_na=True))),
            ctl(
                "C",
                q("qa", weight=2),
                q("qb", allow_na=True),
                q("qc"),
                q("qd", "text"),
            ),
            ctl("L", q("ql"), personas=("legal",)),
        )
    )
    return score(catalog, answers(qa=0.5, qb="na", sq="na"), ("engineer",))


def test_control_explanation_lists_every_question():
    result = explained()
    terms, formula = result.explain("control", "C")
    assert terms == (
        Term("qa", "question", 2.0, 0.5, True, "answered"),
        Term("qb", "question", 1.0, None, False, "N/A"),
        Term("qc", "question", 1.0, 0.0, True, "unanswered (counts as 0)"),
        Term("qd", "question", 1.0, None, False, "not scored (text)"),
    )
    # 100 × (2·0.5 + 1·0) / (2 + 1) = 33.33
    assert close(result.controls["C"].score, 100.0 / 3.0)
    assert formula.endswith("= 100 × (2×0.5 + 1×0) / (2 + 1) = 33.33")


def test_domain_and_overall_explanations_list_every_child():
    result = explained()
    terms, formula = result.explain("domain", "D")
    assert terms == (
        Term("S", "domain", 1.0, None, False, "N/A"),
        Term("C", "control", 1.0, pytest.approx(100.0 / 3.0), True, "included"),
        Term("L", "control", 1.0, None, False, "not applicable to the selected personas"),
    )
    assert formula.endswith("= 1×33.33 / 1 = 33.33")
    overall_terms, overall_formula = result.explain("overall")
    assert [(t.id, t.kind, t.included) for t in overall_terms] == [("D", "domain", True)]
    assert overall_formula.startswith("overall = Σ(wᵢ·sᵢ) / Σwᵢ")
    na_terms, na_formula = result.explain("control", "SC")
    assert na_formula.endswith("N/A: no scored question left")


def test_contributions_break_overall_down_by_control():
    result = score(gap_catalog(), answers(a1=0.5, a2=1.0, b1=0.0, bs1=0.8, bs2="na"))
    terms, formula = result.explain("contributions")
    weights = {t.id: t.weight for t in terms if t.included}
    assert close(weights, {"A1": 0.125, "A2": 0.125, "B1": 0.375, "BS1": 0.375})
    # 0.125·50 + 0.125·100 + 0.375·0 + 0.375·80 = 6.25 + 12.5 + 0 + 30 = 48.75
    assert close(math.fsum(t.weight * t.value for t in terms if t.included), result.overall)
    assert formula.endswith("= 48.75")


def test_explain_rejects_unknown_kind_and_id():
    result = explained()
    with pytest.raises(ValueError, match="unknown explanation kind"):
        result.explain("planet", "C")
    with pytest.raises(KeyError):
        result.explain("control", "nope")
    with pytest.raises(ValueError, match="needs an id"):
        result.explain("domain")


# --- packaging ----------------------------------------------------------------------------


def test_scoring_package_never_imports_django():
    # The parent package boots Celery (and with it Django), so the check loads
    # scorecard.scoring under a bare stand-in parent to see the engine's own imports only.
    code = textwrap.dedent(
        f"""
        import sys, types
        parent = types.ModuleType("scorecard")
        parent.__path__ = [{str(SCORING_DIR.parent)!r}]
        sys.modules["scorecard"] = parent
        import scorecard.scoring
        scorecard.scoring.score(scorecard.scoring.Catalog(domains=()), [])
        leaked = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
        assert not leaked, leaked
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_scoring_source_never_mentions_django_imports():
    for path in SCORING_DIR.glob("*.py"):
        for line in path.read_text().splitlines():
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")):
                assert "django" not in stripped.lower(), f"{path.name}: {stripped}"
