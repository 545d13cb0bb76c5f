"""Expectations for the public verification page: anyone may ask (a PDF's reader has no
account), by GET only (a QR code opens it, and a look-up changes nothing)."""

from __future__ import annotations

from tests.access import GET_ONLY, everyone

EXPECT = {
    "verify": {"get": everyone(200), "post": GET_ONLY},
}
