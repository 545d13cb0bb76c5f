"""The engine's derivations: every figure's arithmetic, worked by hand, gives the number shown.

The hand example (all numbers worked out below, not read from the engine):

    D1 (weight 2): A (critical, weight 1; answers 0, 0, 0.5 -> 100 × 0.5 / 3 = 16.6667)
                   B (weight 1; answer 1 -> 100; one text question, not scored)
                   D1 = (16.6667 + 100) / 2 = 58.3333
    D2 (weight 1): E (weight 1; answers 0.75 and N/A -> 75)
                   S (subdomain, weight 3): C (weight 1; answer 1 -> 100)
                   D2 = (3 × 100 + 1 × 75) / 4 = 93.75
    overall = (2 × 58.3333 + 1 × 93.75) / 3 = 70.1389

D1 is the defect the issue names: with its inputs at two decimals, (16.67 + 100.00) / 2 =
58.335, which rounds to 58.34, not to the 58.33 shown. So its derivation prints them to 4.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given

from scorecard.scoring import (
    Answer,
    Catalog,
    Control,
    Domain,
    Question,
    Risk,
    Tier,
    derive,
    derive_delta,
    score,
)
from scorecard.scoring import figures as f
from scorecard.scoring.derive import WHOLE
from tests.figure_arithmetic import evaluate, matches
from tests.scoring.test_engine_properties import PROPERTY, scenarios

CATALOG = Catalog(
    domains=(
        Domain(
            "D1",
            weight=2,
            controls=(
                Control(
                    "A",
                    critical=True,
                    risks=("r1",),
                    mappings=(("nist", ("GOVERN-1.1@1.0",)),),
                    questions=(
                        Question("a1", "scale"),
                        Question("a2", "scale"),
                        Question("a3", "scale"),
                    ),  # fmt: skip
                ),
                Control(
                    "B",
                    risks=("r1",),
                    mappings=(("nist", ("GOVERN-1.2",)),),
                    questions=(Question("b1", "yes_no"), Question("b2", "text")),
                ),
            ),
        ),
        Domain(
            "D2",
            weight=1,
            domains=(
                Domain(
                    "S", weight=3, controls=(Control("C", questions=(Question("c1", "scale"),)),)
                ),
            ),  # fmt: skip
            controls=(
                Control(
                    "E", questions=(Question("e1", "scale"), Question("e2", "scale", allow_na=True))
                ),  # fmt: skip
            ),
        ),
    ),
    tiers=(Tier("Initial", 0), Tier("Developing", 40), Tier("Defined", 60), Tier("Managed", 80)),
    critical_threshold=50,
    gate_tier="Developing",
    risks=(Risk("r1", "Poisoning"),),
)
ANSWERS = [
    Answer("a1", 0.0),
    Answer("a2", 0.0),
    Answer("a3", 0.5),
    Answer("b1", 1.0),
    Answer("c1", 1.0),
    Answer("e1", 0.75),
    Answer("e2", na=True),
]


@pytest.fixture(scope="module")
def result():
    return score(CATALOG, ANSWERS)


def fig(result, kind, ident=None, figure=None):
    derivation = derive(result, kind, ident, CATALOG)
    return derivation.figure(figure) if figure else derivation.figures[0]


def test_inputs_get_the_decimals_the_result_needs(result):
    d1 = fig(result, "domain", "D1")
    assert d1.shown == "58.33"
    assert d1.arithmetic == "(1×16.6667 + 1×100.0000) / (1 + 1)"  # = 58.33335 -> 58.33
    assert "printed to 4 decimals" in d1.rounding
    # Two decimals suffice for the overall score: (2×58.33 + 93.75) / 3 = 70.13667 -> 70.14.
    overall = fig(result, "overall")
    assert (overall.arithmetic, overall.shown) == ("(2×58.33 + 1×93.75) / (2 + 1)", "70.14")


def test_a_control_score_is_exact_from_its_answers(result):
    a = derive(result, "control", "A")
    assert a.figure("score").arithmetic == "100 × (1×0 + 1×0 + 1×0.5) / (1 + 1 + 1)"
    assert a.figure("score").shown == "16.67"
    e = derive(result, "control", "E")
    assert e.figure("answered").arithmetic == "count(e1, e2)"  # N/A counts as answered
    b = derive(result, "control", "B")
    assert b.figure("questions").arithmetic == "count(b1)"  # the text question is not scored


def test_the_share_multiplies_each_levels_weight_over_its_siblings(result):
    # C: D2 is 1 of (2 + 1), S is 3 of (3 + 1) within D2, C is all of S: 100 / 3 × 3/4 = 25.
    share = fig(result, "control", "C", "share")
    assert share.arithmetic == "100 × 1 / (2 + 1) × 3 / (3 + 1) × 1 / 1"
    assert share.shown == "25.00"
    assert fig(result, "domain", "D1", "weight").arithmetic == "2"


def test_gap_points_and_overall_after(result):
    # A's share is 2/3 × 1/2 = 1/3: 1/3 × (100 − 16.6667) = 27.7778. At two decimals,
    # 0.3333 × 83.33 = 27.774 would round to 27.77, so the inputs get four: 27.77774 -> 27.78.
    points = fig(result, "control", "A", "points")
    assert (points.arithmetic, points.shown) == ("0.333333 × (100 − 16.6667)", "27.78")
    # E's share is 1/3 × 1/4 = 1/12: (100 − 75) / 12 = 2.0833; A ranks first.
    after = fig(result, "control", "E", "after")
    assert (after.arithmetic, after.shown) == ("70.14 + 27.78 + 2.08", "100.00")
    assert fig(result, "gaps").arithmetic == "count(A, E)"


def test_risk_exposure_is_100_minus_coverage(result):
    coverage = fig(result, "risk", "r1", "coverage")
    assert coverage.arithmetic == "(1×16.6667 + 1×100.0000) / (1 + 1)"
    exposure = fig(result, "risk", "r1", "exposure")
    assert (exposure.arithmetic, exposure.shown) == ("100 − 58.33", "41.67")


def test_tier_path_and_crosswalk(result):
    # 70.14 reaches Defined, but A is critical and below 50: capped at Developing.
    tier = derive(result, "tier", catalog=CATALOG)
    assert tier.figure("tier").shown == "Developing"
    assert [tier.figure(f"min-{i}").arithmetic for i in (1, 2, 3, 4)] == ["0", "40", "60", "80"]
    path = derive(result, "path", catalog=CATALOG)
    assert path.figure("steps").arithmetic == "count(A)"
    assert path.figure("after-1").arithmetic == "70.14 + 27.78"
    ref = fig(result, "crosswalk", figure=f.anchor("ref", "nist", "GOVERN-1.1"))
    assert (ref.arithmetic, ref.shown) == ("1×16.67 / 1", "16.67")
    group = fig(result, "crosswalk", figure=f.anchor("group", "nist", "GOVERN"))
    assert group.arithmetic == "(1×16.6667 + 1×100.0000) / (1 + 1)"


def test_a_change_rounds_both_sides_first(result):
    # Before, a3 was 0 too: A = 0, D1 = 50, overall = (2×50 + 93.75) / 3 = 64.5833.
    before = score(CATALOG, [a for a in ANSWERS if a.question != "a3"] + [Answer("a3", 0.0)])
    change = derive_delta(before, result, ["D1", "D2"])
    assert change.figure("overall").arithmetic == "70.14 − 64.58"
    assert change.figure("overall").shown == "+5.56"
    assert change.figure(f.anchor("domain", "D2")).shown == "±0.00"


def test_exact_halves_go_to_the_even_digit():
    assert f.rounded(Fraction("3.125"), 2) == Fraction("3.12")
    assert f.rounded(Fraction("3.135"), 2) == Fraction("3.14")
    assert f.rounded(Fraction("-2.5"), 0) == Fraction(-2)
    # A tie in exact arithmetic that the engine's binary floats land beside: the page says so.
    tie = f.exact_rounding(f.Expr("1.125", Fraction("1.125")), "1.13")
    assert "exactly halfway between 1.12 and 1.13" in tie
    assert matches("1.125", tie, "1.13") and not matches("1.125", tie, "1.14")


def test_anchors_keep_ids_apart():
    pairs = [("ref", "a.b", "c"), ("ref", "a", "b.c"), ("ref", "a_2e_b", "c")]
    assert len({f.anchor(*p) for p in pairs}) == 3
    assert f.anchor("ref", "nist-ai-rmf", "GOVERN-1.1") == "ref.nist-ai-rmf.GOVERN-1_2e_1"


def _every_figure(result, catalog):
    for kind in WHOLE:
        yield from derive(result, kind, catalog=catalog).figures
    for table, kind in (
        (result.domains, "domain"),
        (result.controls, "control"),
        (result.risks, "risk"),
    ):
        for ident in table:
            yield from derive(result, kind, ident).figures


@PROPERTY
@given(scenarios())
def test_every_figure_of_any_catalog_recomputes_from_its_arithmetic(scenario):
    catalog, given_answers, personas = scenario
    result = score(catalog, given_answers, personas)
    for figure in _every_figure(result, catalog):
        if figure.arithmetic:
            assert matches(figure.arithmetic, figure.rounding, figure.shown), figure
        else:
            assert figure.shown == "N/A" or not figure.numeric, figure
    assert evaluate("100 × (1×0.5 + 2×0) / (1 + 2)") == Fraction(50, 3)


def test_a_result_a_hair_from_a_boundary_is_said_so_and_shows_a_neighbour():
    # Found by the property test: worked exactly, 0.25 × 12.5 + 0.75 × 8.333333333333332 is
    # 9.374999999999999, a hair under 9.375; the engine's floats landed on 9.375 and show 9.38.
    arithmetic = "0.25×12.5 + 0.75×8.333333333333332"
    assert evaluate(arithmetic) == Fraction("9.374999999999999")
    rounding = f.exact_rounding(f.Expr(arithmetic, Fraction("9.374999999999999")), "9.38")
    assert "a hair from a rounding boundary" in rounding
    assert matches(arithmetic, rounding, "9.38")
    assert matches(arithmetic, rounding, "9.37")
    assert not matches(arithmetic, rounding, "9.36")
    # Far from a boundary, the same wording would not excuse a wrong number.
    assert not matches("0.25×12.4", rounding, "3.10")
