"""Scoring a large catalog: 1,000 controls, 3,000 questions, 10 domains nested three deep.

Run with --benchmark-only; the result is only checked for sanity, the timing is for people.
"""

import math
import random

import pytest

from scorecard.scoring import Answer, Catalog, Control, Domain, Question, Risk, Tier, score

pytest.importorskip("pytest_benchmark")

QUESTION_TYPES = ("scale", "choice", "yes_no")
PERSONA_SETS = ((), ("engineer",), ("engineer", "ciso"))
FRAMEWORK_REFS = (
    ("nist-ai-rmf", ("GOVERN-1.1@1.0", "MAP-2.3@1.0", "MEASURE-2.7", "MANAGE-4.1")),
    ("iso-42001", ("A.5.2", "A.6.1.2@2023", "A.8.3")),
)


def build_catalog(rnd):
    counter = iter(range(10**6))

    def control():
        cid = f"C-{next(counter):04d}"
        mappings = tuple(
            (framework, tuple(rnd.sample(refs, 2))) for framework, refs in FRAMEWORK_REFS
        )
        return Control(
            cid,
            name=f"Control {cid}",
            weight=rnd.choice((1.0, 1.0, 2.0, 3.0)),
            critical=rnd.random() < 0.05,
            personas=rnd.choice(PERSONA_SETS),
            risks=tuple(rnd.sample([f"risk{i:02d}" for i in range(20)], 2)),
            mappings=mappings,
            guidance="Do the thing properly.",
            questions=tuple(
                Question(
                    f"{cid}-q{i}",
                    rnd.choice(QUESTION_TYPES),
                    weight=rnd.choice((1.0, 2.0)),
                    allow_na=rnd.random() < 0.3,
                )
                for i in range(3)
            ),
        )

    def controls(n):
        return tuple(control() for _ in range(n))

    # Per top-level domain: 20 direct controls, a sub-domain of 40, and a sub-domain of 20
    # with a sub-sub-domain of 20 more: 100 controls, 300 questions.
    domains = tuple(
        Domain(
            f"D{d}",
            weight=rnd.choice((1.0, 2.0)),
            controls=controls(20),
            domains=(
                Domain(f"D{d}.1", controls=controls(40)),
                Domain(
                    f"D{d}.2",
                    weight=2.0,
                    controls=controls(20),
                    domains=(Domain(f"D{d}.2.1", controls=controls(20)),),
                ),
            ),
        )
        for d in range(10)
    )
    return Catalog(
        domains=domains,
        tiers=(
            Tier("Initial", 0),
            Tier("Developing", 25),
            Tier("Defined", 50),
            Tier("Managed", 75),
        ),
        gate_tier="Developing",
        risks=tuple(Risk(f"risk{i:02d}", f"Risk {i}") for i in range(20)),
    )


def build_answers(rnd, catalog):
    answers = []
    stack = list(catalog.domains)
    while stack:
        domain = stack.pop()
        stack.extend(domain.domains)
        for control in domain.controls:
            for question in control.questions:
                roll = rnd.random()
                if roll < 0.1 and question.allow_na:
                    answers.append(Answer(question.id, na=True))
                elif roll < 0.9:
                    answers.append(Answer(question.id, rnd.choice((0.0, 0.25, 0.5, 0.75, 1.0))))
    return answers


def test_score_large_catalog(benchmark):
    rnd = random.Random(20240601)
    catalog = build_catalog(rnd)
    answers = build_answers(rnd, catalog)

    result = benchmark(score, catalog, answers, ("engineer",))

    assert len(result.controls) == 1000
    assert result.applicable_questions == 3000
    assert len(result.domains) == 40
    assert 0.0 < result.overall < 100.0
    assert 80.0 < result.completeness < 100.0
    assert len(result.risks) == 20
    assert math.isclose(math.fsum(g.points for g in result.gaps), 100.0 - result.overall)
