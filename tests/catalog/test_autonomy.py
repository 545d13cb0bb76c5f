"""Agent autonomy levels L0-L5 and the catalog's `Lk+` evidence rule."""

import pytest

from scorecard.catalog import autonomy


def test_six_levels_numbered_zero_to_five_each_with_a_name_and_a_meaning():
    assert [level.code for level in autonomy.LEVELS] == ["L0", "L1", "L2", "L3", "L4", "L5"]
    assert all(level.name and level.meaning.endswith(".") for level in autonomy.LEVELS)
    assert len({level.name for level in autonomy.LEVELS}) == 6


@pytest.mark.parametrize(("text", "number"), [("L0+", 0), ("L3+", 3), ("L5+", 5), (None, None)])
def test_a_rule_reads_as_the_lowest_level_and_writes_back_the_same(text, number):
    assert autonomy.parse_threshold(text) == number
    assert autonomy.threshold_text(number) == text


@pytest.mark.parametrize("bad", ["L6+", "L3", "3+", "l3+", "L3+ ", "", 3])
def test_anything_else_is_not_a_rule(bad):
    assert autonomy.threshold_problem(bad) == autonomy.THRESHOLD_RULE
    with pytest.raises(ValueError):
        autonomy.parse_threshold(bad)


def test_l3_plus_means_levels_three_to_five_need_evidence():
    assert [level.number for level in autonomy.levels_requiring(3)] == [3, 4, 5]
    assert autonomy.levels_requiring(None) == ()
    assert [autonomy.requires_evidence(3, level) for level in range(6)] == [
        False,
        False,
        False,
        True,
        True,
        True,
    ]
    assert not any(autonomy.requires_evidence(None, level) for level in range(6))


def test_a_level_outside_zero_to_five_cannot_be_written():
    with pytest.raises(ValueError):
        autonomy.threshold_text(6)
