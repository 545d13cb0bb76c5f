"""The scorecard's list of claims without the evidence the system's autonomy level expects.

The engine decides what is listed (scoring.unevidenced_claims); this names each control and
question for the page and the PDF. The list never changes a score.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.selectors.evidence_claims import AnswersWithEvidence, answers_with_evidence
from scorecard import scoring
from scorecard.loader import DisplayCodes


@dataclass(frozen=True)
class ClaimQuestion:
    id: str
    code: str
    text: str


@dataclass(frozen=True)
class ClaimRow:
    control: str
    code: str
    name: str
    rule: str
    questions: tuple[ClaimQuestion, ...]


def claims_context(
    assessment,
    catalog: scoring.Catalog,
    codes: DisplayCodes,
    scope: scoring.Scope,
    read: AnswersWithEvidence | None = None,
) -> dict:
    """`evidence_claims` (rows), the system's autonomy level and whether the catalog states
    any rule, for the section's sentence when nothing is listed.

    `scope` is the one the shown result was scored with, so the list covers the same
    controls as the scores beside it. `read` saves the query when the caller has it.
    """
    level = assessment.system.autonomy_level
    has_rules = any(c.evidence_autonomy is not None for _, c in scoring.walk_controls(catalog))
    rows: list[ClaimRow] = []
    if level is not None and has_rules:
        if read is None:
            read = answers_with_evidence(assessment)
        found = scoring.unevidenced_claims(catalog, scope, read.answers, read.evidenced, level)
        rows = [_row(claim, codes, read.texts) for claim in found]
    return {
        "evidence_claims": rows,
        "autonomy": assessment.system.autonomy,
        "catalog_has_evidence_rules": has_rules,
    }


def _row(claim: scoring.UnevidencedClaim, codes: DisplayCodes, texts: dict) -> ClaimRow:
    return ClaimRow(
        control=claim.control,
        code=codes.control(claim.control),
        name=claim.name or claim.control,
        rule=claim.rule,
        questions=tuple(
            ClaimQuestion(q, codes.question(q), texts.get(q, "")) for q in claim.questions
        ),
    )
