"""The public verification of a scorecard fingerprint (the `result_hash` of a score snapshot).

Only what the verification page may show leaves this module: the organisation's name, the
assessment's title, the date of the first sign-off and the overall tier. Never a score, a
person, or an id. A snapshot that was never signed off answers exactly like an unknown
fingerprint, so the page cannot be used to learn which fingerprints exist on this instance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from assessments.models import SignOff

# A SHA-256 digest written in hexadecimal, as the PDF and the sign-off page print it.
FINGERPRINT_LENGTH = 64
_HEX = re.compile(r"[0-9a-f]*")


@dataclass(frozen=True)
class VerifiedScorecard:
    organisation: str
    title: str
    signed_on: datetime
    tier: str


def fingerprint_problem(fingerprint: str) -> str | None:
    """Why `fingerprint` (already stripped and lower-cased) cannot be one, or None."""
    if not fingerprint:
        return "Enter the fingerprint printed on the scorecard."
    if not _HEX.fullmatch(fingerprint):
        return (
            "A fingerprint has only the digits 0–9 and the letters a–f; "
            "this one has other characters. Copy it again from the scorecard."
        )
    if len(fingerprint) != FINGERPRINT_LENGTH:
        return (
            f"A fingerprint is {FINGERPRINT_LENGTH} characters long; this one has "
            f"{len(fingerprint)}. Copy all of it from the scorecard."
        )
    return None


def signed_scorecards(fingerprint: str) -> list[VerifiedScorecard]:
    """Every signed-off snapshot with this fingerprint, one entry per assessment. One query.

    Two assessments with identical answers on one catalog version score identically, so
    their snapshots share a fingerprint; each is listed rather than one picked at random.
    """
    signoffs = (
        SignOff.objects.filter(snapshot__result_hash=fingerprint)
        .select_related("snapshot", "assessment__organisation")
        .order_by("created_at", "pk")
    )
    found: dict[int, VerifiedScorecard] = {}
    for signoff in signoffs:
        if signoff.assessment_id in found:
            continue  # a later auditor's sign-off of the same snapshot
        found[signoff.assessment_id] = VerifiedScorecard(
            organisation=signoff.assessment.organisation.name,
            title=signoff.assessment.title,
            signed_on=signoff.created_at,
            tier=signoff.snapshot.result.get("tier") or "No tier reached",
        )
    return list(found.values())
