"""Exposure per risk category (the portfolio heat map): 100 minus the mean coverage of the
category's risks that have a coverage; None when none of them has one."""

from dataclasses import replace

import pytest

from scorecard.scoring import (
    UNCATEGORISED,
    Catalog,
    Control,
    Domain,
    Question,
    Risk,
    RiskScore,
    category_exposure,
    risk_categories,
    score,
)

RISKS = (
    Risk("r1", "Poisoned data", "Data"),
    Risk("r2", "Leaked data", "Data"),
    Risk("r3", "Stolen model", "Model"),
    Risk("r4", "Prompt injection", "Application"),
    Risk("r5", "Unlabelled", ""),
)
CATALOG = Catalog(
    domains=(Domain("D1", controls=(Control("C1", questions=(Question("q1", "scale"),)),)),),
    risks=RISKS,
)


def result_with(coverages: dict[str, float | None]):
    base = score(CATALOG, [], ())
    risks = {
        rid: RiskScore(rid, rid, "", coverage, None, ()) for rid, coverage in coverages.items()
    }
    return replace(base, risks=risks)


def test_categories_keep_the_catalog_order_and_blank_is_its_own_category():
    assert risk_categories(CATALOG) == ("Data", "Model", "Application", UNCATEGORISED)


def test_exposure_is_100_minus_the_mean_coverage_of_each_category():
    result = result_with({"r1": 80.0, "r2": 40.0, "r3": 25.0, "r4": 100.0, "r5": 0.0})
    # Data: mean(80, 40) = 60 -> 40; Model: 100 - 25 = 75; Application: 0; blank: 100.
    assert category_exposure(CATALOG, result) == {
        "Data": 40.0,
        "Model": 75.0,
        "Application": 0.0,
        "": 100.0,
    }


def test_risks_without_coverage_are_left_out_of_the_mean_not_counted_as_zero():
    result = result_with({"r1": 70.0, "r2": None, "r3": None, "r4": 10.0})
    exposure = category_exposure(CATALOG, result)
    assert exposure["Data"] == pytest.approx(30.0)  # only r1: 100 - 70
    assert exposure["Model"] is None  # r3 has no coverage: no data, not 100
    assert exposure["Application"] == pytest.approx(90.0)
    assert exposure[""] is None  # r5 is missing from the result altogether


def test_a_catalog_without_risks_has_no_categories():
    bare = replace(CATALOG, risks=())
    assert category_exposure(bare, result_with({})) == {}


def test_the_engine_coverage_feeds_the_exposure():
    # One control covering r1 and r3, its only question answered 0.75: both risks have
    # coverage 75, so Data (r1 only, r2 uncovered) and Model are 25; the rest no data.
    control = Control("C1", risks=("r1", "r3"), questions=(Question("q1", "scale"),))
    catalog = replace(CATALOG, domains=(Domain("D1", controls=(control,)),))
    from scorecard.scoring import Answer

    result = score(catalog, [Answer("q1", 0.75)], ())
    assert category_exposure(catalog, result) == {
        "Data": pytest.approx(25.0),
        "Model": pytest.approx(25.0),
        "Application": None,
        "": None,
    }
