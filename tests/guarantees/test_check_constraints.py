"""The database checks the ranges the engine relies on: weights in (0, 1e6], option and
scale values in [0, 1]. The model validators (and the catalog import) use the same limits."""

import math

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from scorecard.models import Control, Domain, Option, Question, ScaleOption
from scorecard.models.catalog import validate_option_value, validate_weight
from tests.factories import make_framework
from tests.guarantees.conftest import copy_row, raw, table

pytestmark = pytest.mark.django_db

WEIGHTED = {Domain: "domain", Control: "control", Question: "question"}
VALUED = {Option: "option_value_in_range", ScaleOption: "scale_value_in_range"}


@pytest.fixture
def draft(db):
    # A draft, so the guard triggers stay out of the way and only the checks speak.
    return make_framework(slug="ranges", published=False)


def refused_by_check(name: str):
    return _Check(name)


class _Check:
    def __init__(self, name):
        self.raises = pytest.raises(IntegrityError, match=name)
        self.atomic = transaction.atomic()

    def __enter__(self):
        self.raises.__enter__()
        self.atomic.__enter__()

    def __exit__(self, *exc):
        self.atomic.__exit__(*exc)
        return self.raises.__exit__(*exc)


def first(model, framework):
    return model.objects.filter(framework=framework).order_by("pk").first()


@pytest.mark.parametrize("model", list(WEIGHTED), ids=lambda m: m.__name__)
@pytest.mark.parametrize("weight", [0, -1, 1e7, 1e6 + 1])
def test_a_weight_out_of_range_is_refused_by_raw_update(draft, model, weight):
    row = first(model, draft)
    with refused_by_check(f"{WEIGHTED[model]}_weight_in_range"):
        raw(f"UPDATE {table(model)} SET weight = %s WHERE id = %s", [weight, row.pk])  # noqa: S608
    assert model.objects.get(pk=row.pk).weight == 1.0


@pytest.mark.parametrize("model", list(WEIGHTED), ids=lambda m: m.__name__)
def test_a_weight_out_of_range_is_refused_by_raw_insert(draft, model):
    count = model.objects.filter(framework=draft).count()
    with refused_by_check(f"{WEIGHTED[model]}_weight_in_range"):
        raw(*copy_row(model, first(model, draft).pk, weight=0, ref="new-ref"))
    assert model.objects.filter(framework=draft).count() == count


@pytest.mark.parametrize("model", list(WEIGHTED), ids=lambda m: m.__name__)
def test_a_nan_weight_is_refused(draft, model):
    # PostgreSQL stores NaN, and NaN sorts above every number, so `weight <= 1e6` refuses it.
    # SQLite has no NaN: the driver turns it into NULL, which the NOT NULL column refuses.
    expected = {
        "postgresql": f"{WEIGHTED[model]}_weight_in_range",
        "sqlite": "NOT NULL constraint failed",
    }[connection.vendor]
    row = first(model, draft)
    with refused_by_check(expected):
        model.objects.filter(pk=row.pk).update(weight=math.nan)
    with refused_by_check(expected):
        raw(f"UPDATE {table(model)} SET weight = %s WHERE id = %s", [math.nan, row.pk])  # noqa: S608
    assert model.objects.get(pk=row.pk).weight == 1.0


@pytest.mark.parametrize("model", list(WEIGHTED), ids=lambda m: m.__name__)
def test_the_limits_themselves_are_accepted(draft, model):
    row = first(model, draft)
    for weight in (1e6, 0.001):
        raw(f"UPDATE {table(model)} SET weight = %s WHERE id = %s", [weight, row.pk])  # noqa: S608
        assert model.objects.get(pk=row.pk).weight == weight


@pytest.mark.parametrize("model", list(VALUED), ids=lambda m: m.__name__)
@pytest.mark.parametrize("value", [-0.1, 1.5, -1, 2])
def test_an_option_value_outside_zero_to_one_is_refused(draft, model, value):
    row = first(model, draft)
    stored = model.objects.get(pk=row.pk).value
    with refused_by_check(VALUED[model]):
        raw(f"UPDATE {table(model)} SET value = %s WHERE id = %s", [value, row.pk])  # noqa: S608
    assert model.objects.get(pk=row.pk).value == stored


@pytest.mark.parametrize("model", list(VALUED), ids=lambda m: m.__name__)
def test_option_values_zero_and_one_are_accepted(draft, model):
    row = first(model, draft)
    for value in (0.0, 1.0):
        # Another row may hold the same value; values are not unique, labels are.
        raw(f"UPDATE {table(model)} SET value = %s WHERE id = %s", [value, row.pk])  # noqa: S608
        assert model.objects.get(pk=row.pk).value == value


def test_the_validators_use_the_same_limits():
    for good in (0.001, 1.0, 1e6):
        validate_weight(good)
    for bad in (0, -1, 1e6 + 1, 1e7, math.nan, math.inf):
        with pytest.raises(ValidationError, match="greater than 0 and at most 1e\\+06"):
            validate_weight(bad)
    for good in (0.0, 0.5, 1.0):
        validate_option_value(good)
    for bad in (-0.1, 1.5, math.nan):
        with pytest.raises(ValidationError, match="between 0 and 1"):
            validate_option_value(bad)
