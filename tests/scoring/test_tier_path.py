"""The path to a tier: gate-clearing steps first, then the largest gaps, with the tier after each.

The catalog has one domain of five one-question controls with weights 4, 3, 1, 1 and 1 (total
10), so each control's share of the overall score is its weight / 10 and its gap points are
share * (100 - score). Tiers: Initial 0, Developing 25, Defined 50, Managed 75; gate tier
Developing, critical threshold 50. Every expected value below is worked out by hand.
"""

import pytest

from scorecard.scoring import (
    Answer,
    Catalog,
    Control,
    Domain,
    Question,
    ScoringInputError,
    Tier,
    TierPath,
    overall_after_each_gap,
    path_to_tier,
    score,
    tier_blockers,
)

TIERS = (Tier("Initial", 0), Tier("Developing", 25), Tier("Defined", 50), Tier("Managed", 75))
WEIGHTS = {"big1": 4, "big2": 3, "crit1": 1, "crit2": 1, "ok": 1}


def catalog(critical=("crit1", "crit2"), gate_tier="Developing", tiers=TIERS):
    controls = tuple(
        Control(
            cid,
            name=f"Control {cid}",
            weight=w,
            critical=cid in critical,
            questions=(Question(f"q-{cid}", "scale", allow_na=True),),
        )
        for cid, w in WEIGHTS.items()
    )
    return Catalog(
        domains=(Domain("D", controls=controls),),
        tiers=tiers,
        critical_threshold=50.0,
        gate_tier=gate_tier,
    )


def run(values, target=None, **kwargs):
    cat = catalog(**kwargs)
    answers = [
        Answer(f"q-{cid}", na=True) if v == "na" else Answer(f"q-{cid}", v)
        for cid, v in values.items()
    ]
    result = score(cat, answers)
    return result, path_to_tier(cat, result, target)


def steps(path):
    return [
        (s.control, s.clears_gate, round(s.overall_after, 9), s.tier_after, s.gated_after)
        for s in path.steps
    ]


# Overall 40: (4*.25 + 3*.5 + .4 + .2 + .9) / 10 = 4.0 / 10. Tier Developing (not capped: the
# reached tier is the gate tier itself). Gaps: big1 .4*75 = 30, big2 .3*50 = 15, crit2 .1*80 = 8,
# crit1 .1*60 = 6, ok .1*10 = 1. Points alone would take big1 (70) and big2 (85) first, both
# above Defined, and the tier would stay at Developing while crit1 and crit2 are below 50.
BELOW_DEFINED = {"big1": 0.25, "big2": 0.5, "crit1": 0.4, "crit2": 0.2, "ok": 0.9}
# Overall 55: big2 at 1.0 adds 3.0 instead of 1.5. Reached Defined, capped at Developing.
GATED = {**BELOW_DEFINED, "big2": 1.0}


def test_gate_steps_come_before_larger_gaps_and_alone_reach_defined():
    result, path = run(BELOW_DEFINED)
    assert result.tier == "Developing"
    assert [g.control for g in result.gaps][:2] == ["big1", "big2"]
    assert path.status == "reachable"
    assert (path.current, path.target, path.target_min) == ("Developing", "Defined", 50.0)
    # 40 + 8 = 48 (still Developing); 48 + 6 = 54 with no critical control low: Defined.
    assert steps(path) == [
        ("crit2", True, 48.0, "Developing", False),
        ("crit1", True, 54.0, "Defined", False),
    ]
    assert path.gate_steps == 2
    assert path.last.control == "crit1"
    assert path.reason == ""


def test_named_tier_after_the_gate_takes_the_largest_gap():
    _result, path = run(BELOW_DEFINED, target="Managed")
    # 54 + 30 (big1) = 84 >= 75: Managed after three steps.
    assert steps(path) == [
        ("crit2", True, 48.0, "Developing", False),
        ("crit1", True, 54.0, "Defined", False),
        ("big1", False, 84.0, "Managed", False),
    ]
    assert path.gate_steps == 2


def test_gated_assessment_stays_capped_until_the_last_gate_step():
    result, path = run(GATED)
    assert (result.tier, result.tier_before_gate, result.gated) == ("Developing", "Defined", True)
    # 55 + 8 = 63: Defined reached, but crit1 (40) still caps it; 63 + 6 = 69: Defined.
    assert steps(path) == [
        ("crit2", True, 63.0, "Developing", True),
        ("crit1", True, 69.0, "Defined", False),
    ]
    step = path.steps[0]
    assert (step.rank, step.name, step.score, step.points) == (1, "Control crit2", 20.0, 8.0)
    assert path.steps[1].rank == 2


def test_blockers_list_the_low_critical_controls_in_roadmap_order():
    result, path = run(GATED)
    assert path.blockers == ("crit2", "crit1")
    assert tier_blockers(catalog(), result) == ("crit2", "crit1")


def test_blockers_are_empty_without_a_gate_or_with_the_gate_on_the_top_tier():
    result, _ = run(GATED, gate_tier=None)
    assert tier_blockers(catalog(gate_tier=None), result) == ()
    result, _ = run(GATED, gate_tier="Managed")
    assert tier_blockers(catalog(gate_tier="Managed"), result) == ()


def test_without_critical_controls_the_path_is_the_largest_gaps():
    result, path = run(BELOW_DEFINED, critical=())
    assert result.critical_below_threshold == ()
    # 40 + 30 (big1) = 70: Defined, which is the target: one step.
    assert steps(path) == [("big1", False, 70.0, "Defined", False)]
    assert path.blockers == ()
    assert path.gate_steps == 0


def test_without_a_gate_tier_critical_controls_are_not_pulled_forward():
    _result, path = run(BELOW_DEFINED, gate_tier=None)
    assert steps(path) == [("big1", False, 70.0, "Defined", False)]


def test_a_target_at_the_gate_tier_does_not_need_the_gate():
    # Overall 16: (4*.25 + 0 + .4 + .2 + 0) / 10. Initial. Gaps: big1 30, big2 .3*100 = 30
    # (tie: big1 first by id), ok 10, crit2 8, crit1 6. 16 + 30 = 46: Developing.
    values = {"big1": 0.25, "big2": 0.0, "crit1": 0.4, "crit2": 0.2, "ok": 0.0}
    result, path = run(values)
    assert (result.overall, result.tier) == (pytest.approx(16.0), "Initial")
    assert path.target == "Developing"
    assert steps(path) == [("big1", False, 46.0, "Developing", False)]


def test_below_every_tier_the_target_is_the_lowest_tier():
    values = {"big1": 0.25, "big2": 0.0, "crit1": 0.4, "crit2": 0.2, "ok": 0.0}
    tiers = (Tier("Low", 20), Tier("High", 60))
    result, path = run(values, tiers=tiers, gate_tier="Low")
    assert result.tier is None
    assert (path.current, path.target) == (None, "Low")
    assert steps(path) == [("big1", False, 46.0, "Low", False)]


def test_the_step_that_lands_exactly_on_the_minimum_reaches_the_tier():
    # Overall 20: (4*.25 + 3*0 + .5 + .5 + 0) / 10 = 2.0 / 10. Gaps big1 30, big2 30: 20 + 30 =
    # 50, exactly Defined's minimum; no critical control below 50 (crit1, crit2 are at 50).
    values = {"big1": 0.25, "big2": 0.0, "crit1": 0.5, "crit2": 0.5, "ok": 0.0}
    _result, path = run(values, target="Defined")
    assert steps(path) == [("big1", False, 50.0, "Defined", False)]


def test_a_step_can_overshoot_the_target_and_the_tier_after_says_so():
    # crit1 and crit2 N/A: overall (4*.25 + 3*.5 + .9) / 8 = 3.4 / 8 = 42.5. Gaps big1
    # .5*75 = 37.5 first: 80, which is Managed; N/A critical controls never cap the tier.
    values = {**BELOW_DEFINED, "crit1": "na", "crit2": "na"}
    result, path = run(values)
    assert result.overall == pytest.approx(42.5)
    assert path.blockers == ()
    assert steps(path) == [("big1", False, 80.0, "Managed", False)]


def test_at_the_top_tier_there_is_nothing_above():
    values = dict.fromkeys(WEIGHTS, 1.0)
    _result, path = run(values)
    reason = "Managed is the highest tier; there is no tier above it."
    assert path == TierPath("top", "Managed", None, None, (), (), reason)
    assert path.last is None


def test_a_named_tier_already_reached_needs_no_step():
    _result, path = run(GATED, target="Developing")
    reason = "The tier is Developing already, at or above Developing."
    assert path == TierPath(
        "already", "Developing", "Developing", 25.0, (), ("crit2", "crit1"), reason
    )
    _result, path = run(GATED, target="Initial")
    assert path.status == "already"


def test_a_tier_above_100_is_unreachable_and_says_why():
    tiers = (*TIERS, Tier("Beyond", 101))
    _result, path = run(GATED, target="Beyond", tiers=tiers)
    assert path.status == "unreachable"
    assert path.steps == ()
    assert path.reason == (
        "Beyond needs an overall score of 101, more than the 100 that every control at 100 gives."
    )
    assert path == TierPath(
        "unreachable", "Developing", "Beyond", 101.0, (), ("crit2", "crit1"), path.reason
    )


def test_nothing_scored_is_unreachable():
    _result, path = run(dict.fromkeys(WEIGHTS, "na"))
    reason = "Nothing is scored yet, so no step can be computed."
    assert path == TierPath("unreachable", None, "Initial", 0.0, (), (), reason)


def test_a_framework_without_tiers_has_no_path():
    _result, path = run(GATED, tiers=(), gate_tier=None)
    assert path == TierPath("no_tiers", None, None, None, (), (), "The framework has no tiers.")


def test_an_unknown_tier_is_refused():
    with pytest.raises(ScoringInputError, match="unknown tier 'Gold'"):
        run(GATED, target="Gold")


def test_steps_below_every_tier_have_no_tier_and_are_not_capped():
    # Overall 16 as above; tiers Low 50, High 60, gate Low. High lies above the gate, so
    # crit2 (8) and crit1 (6) come first: 24 and 30, both below every tier; then big1 (30): 60.
    values = {"big1": 0.25, "big2": 0.0, "crit1": 0.4, "crit2": 0.2, "ok": 0.0}
    tiers = (Tier("Low", 50), Tier("High", 60))
    _result, path = run(values, target="High", tiers=tiers, gate_tier="Low")
    assert steps(path) == [
        ("crit2", True, 24.0, None, False),
        ("crit1", True, 30.0, None, False),
        ("big1", False, 60.0, "High", False),
    ]


def test_the_overall_after_the_last_gap_is_100_not_a_hair_above():
    # Weights 1, 2, 4 with answers 0, .7, .75: overall (0 + 1.4 + 3) / 7 = 62.857...; the
    # three gaps' points add up to 100.00000000000001 in floating point, shown as 100.
    controls = tuple(
        Control(cid, weight=w, questions=(Question(f"q-{cid}", "scale"),))
        for cid, w in (("a", 1), ("b", 2), ("c", 4))
    )
    cat = Catalog(
        domains=(Domain("D", controls=controls),), tiers=(Tier("Low", 0), Tier("All", 100))
    )
    result = score(cat, [Answer("q-a", 0.0), Answer("q-b", 0.7), Answer("q-c", 0.75)])
    path = path_to_tier(cat, result)
    assert [s.control for s in path.steps] == ["a", "c", "b"]
    assert path.last.overall_after == 100.0
    assert path.last.tier_after == "All"


def test_overall_after_each_gap_is_a_running_sum_of_gap_points():
    # Two controls of weight 1 answered 0 and 0.5: overall 25; gaps 50 then 25 points.
    controls = tuple(
        Control(cid, weight=1, questions=(Question(f"q-{cid}", "scale"),)) for cid in ("a", "b")
    )
    cat = Catalog(domains=(Domain("D", controls=controls),), tiers=(Tier("Low", 0),))
    result = score(cat, [Answer("q-a", 0.0), Answer("q-b", 0.5)])
    assert overall_after_each_gap(result) == [75.0, 100.0]


def test_overall_after_each_gap_never_passes_100():
    # The weights 1, 2, 4 case above: the points add up to a hair above 100.
    controls = tuple(
        Control(cid, weight=w, questions=(Question(f"q-{cid}", "scale"),))
        for cid, w in (("a", 1), ("b", 2), ("c", 4))
    )
    cat = Catalog(domains=(Domain("D", controls=controls),), tiers=(Tier("Low", 0),))
    result = score(cat, [Answer("q-a", 0.0), Answer("q-b", 0.7), Answer("q-c", 0.75)])
    after = overall_after_each_gap(result)
    assert len(after) == 3 and after[-1] == 100.0
    assert after[0] == pytest.approx(100 * (1.4 + 3 + 1) / 7)
