"""Building a portfolio in bulk: systems with a draft, and some with finalised assessments
whose snapshots carry the overall scores a test names."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.utils import timezone

from assessments.models import AISystem, Answer, Assessment, AssessmentStatus, ScoreSnapshot
from assessments.scoring import score_assessment
from scorecard.models import Question
from scorecard.scoring.serialize import result_hash, result_to_dict

START = timezone.now() - timedelta(days=100)


def snapshot_document(template, overall: float) -> dict:
    return result_to_dict(replace(template, overall=overall))


def build(
    organisation,
    framework,
    count: int,
    *,
    owner=None,
    finalised_scores=(60.0, 70.0),
    prefix="System",
):
    """`count` systems "System 000".. each with a draft (one answer) created last; every
    even-numbered one also with finalised assessments scoring `finalised_scores` in turn.
    Returns the systems."""
    systems = AISystem.objects.bulk_create(
        AISystem(organisation=organisation, name=f"{prefix} {i:03d}", owner=owner,
                 autonomy_level=i % 6 if i % 7 else None,
                 lifecycle_stages=["runtime"] if i % 3 == 0 else [])
        for i in range(count)
    )  # fmt: skip
    finalised, drafts = [], []
    for i, system in enumerate(systems):
        if i % 2 == 0:
            for n, _score in enumerate(finalised_scores):
                finalised.append(
                    Assessment(organisation=organisation, framework=framework, system=system,
                               title=system.name, revision=n + 1,
                               created_at=START + timedelta(days=10 * n),
                               finalised_at=START + timedelta(days=10 * n + 5))
                )  # fmt: skip
        drafts.append(
            Assessment(organisation=organisation, framework=framework, system=system,
                       title=system.name, revision=len(finalised_scores) + 1 if i % 2 == 0 else 1,
                       created_at=START + timedelta(days=50))
        )  # fmt: skip
    Assessment.objects.bulk_create(finalised + drafts)
    question = Question.objects.filter(framework=framework).order_by("pk").first()
    Answer.objects.bulk_create(
        Answer(assessment=a, question=question, option_label="Partial", value=0.5) for a in drafts
    )
    if finalised:
        template = score_assessment(drafts[0])
        docs = [snapshot_document(template, s) for s in finalised_scores]
        ScoreSnapshot.objects.bulk_create(
            ScoreSnapshot(assessment=a, methodology_version=template.methodology_version,
                          catalog_hash="0" * 64, result_hash=result_hash(doc), result=doc)
            for a, doc in zip(finalised, docs * (len(finalised) // len(docs)), strict=True)
        )  # fmt: skip
        Assessment.objects.filter(pk__in=[a.pk for a in finalised]).update(
            status=AssessmentStatus.FINALISED
        )
    return systems
