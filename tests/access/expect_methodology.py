"""Expectations for the methodology page: public (it holds no organisation data), GET only."""

from __future__ import annotations

from tests.access import GET_ONLY, everyone

EXPECT = {
    "methodology": {"get": everyone(200), "post": GET_ONLY},
}
