"""A Result survives JSON exactly: the snapshot of a finalised assessment is the result."""

import itertools
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import ScoreSnapshot
from scorecard import scoring
from scorecard.scoring.serialize import (
    RESULT_FORMAT,
    ResultFormatError,
    result_from_dict,
    result_hash,
    result_to_dict,
)
from tests.factories import make_assessment, make_framework, make_organisation

PROPERTY = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PERSONAS = ("builder", "user", "legal")
WEIGHTS = st.sampled_from((0.5, 1.0, 1.5, 2.0, 3.0, 7.25))
VALUES = st.one_of(
    st.none(), st.sampled_from((0.0, 0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1.0)), st.floats(0, 1)
)


@st.composite
def scored(draw):
    """A random catalog, answers and personas, scored by the engine."""
    ids = itertools.count()
    questions = []

    def control():
        cid = f"C-{next(ids)}"
        qs = []
        for _ in range(draw(st.integers(0, 3))):
            q = scoring.Question(
                f"Q-{next(ids)}",
                draw(st.sampled_from(("scale", "choice", "yes_no", "text", "number"))),
                draw(WEIGHTS),
                draw(st.booleans()),
            )
            qs.append(q)
            questions.append(q)
        return scoring.Control(
            cid,
            name=f"Contrôle {cid} “quoted”",
            weight=draw(WEIGHTS),
            critical=draw(st.booleans()),
            personas=tuple(p for p in PERSONAS if draw(st.booleans())),
            risks=tuple(r for r in ("r1", "r2", "r3") if draw(st.booleans())),
            mappings=(("nist", ("GOVERN-1.1@1.0", "MAP-2")),) if draw(st.booleans()) else (),
            guidance=draw(st.sampled_from(("", "Write the policy down.", "Ünïcode ✓"))),
            questions=tuple(qs),
        )

    def domain(depth):
        return scoring.Domain(
            f"D-{next(ids)}",
            name="Domain",
            weight=draw(WEIGHTS),
            domains=tuple(domain(depth + 1) for _ in range(draw(st.integers(0, 2 - depth)))),
            controls=tuple(control() for _ in range(draw(st.integers(0, 3)))),
        )

    catalog = scoring.Catalog(
        domains=tuple(domain(0) for _ in range(draw(st.integers(1, 3)))),
        tiers=(scoring.Tier("Initial", 0), scoring.Tier("Developing", 30),
               scoring.Tier("Defined", 55)),
        gate_tier=draw(st.sampled_from((None, "Initial", "Developing"))),
        risks=(scoring.Risk("r1", "Risk one", "data"), scoring.Risk("r2", "Risk two")),
    )  # fmt: skip
    answers = []
    for q in questions:
        kind = draw(st.sampled_from(("value", "value", "missing", "na")))
        if kind == "na" and q.allow_na:
            answers.append(scoring.Answer(q.id, na=True))
        elif kind == "value":
            answers.append(scoring.Answer(q.id, draw(VALUES)))
    personas = tuple(p for p in PERSONAS if draw(st.booleans()))
    return scoring.score(catalog, answers, personas)


def _through_json(document):
    return json.loads(json.dumps(document, allow_nan=False))


@PROPERTY
@given(scored())
def test_result_round_trips_exactly_through_json(result):
    document = result_to_dict(result)
    again = result_from_dict(_through_json(document))

    assert again == result
    assert list(again.controls) == list(result.controls)
    assert list(again.domains) == list(result.domains)
    assert again.explain("overall") == result.explain("overall")
    assert again.to_json_scores() == result.to_json_scores()
    assert result_hash(again) == result_hash(result) == result_hash(_through_json(document))


@PROPERTY
@given(scored(), st.randoms(use_true_random=False))
def test_round_trip_survives_a_store_that_reorders_keys_and_drops_points(result, rnd):
    # PostgreSQL jsonb reorders object keys and prints a whole float like 1e20 as an integer.
    def mangle(value):
        if isinstance(value, dict):
            items = list(value.items())
            rnd.shuffle(items)
            return {k: mangle(v) for k, v in items}
        if isinstance(value, list):
            return [mangle(v) for v in value]
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    document = mangle(_through_json(result_to_dict(result)))

    assert result_from_dict(document) == result
    assert result_hash(result_from_dict(document)) == result_hash(result)


def test_document_is_plain_json_with_lists_in_engine_order():
    catalog = scoring.Catalog(
        domains=(
            scoring.Domain("D10", controls=(scoring.Control("C-2", questions=(
                scoring.Question("q1", "scale"),)),)),
            scoring.Domain("D9", controls=(scoring.Control("C-1", questions=(
                scoring.Question("q2", "yes_no"),)),)),
        )
    )  # fmt: skip
    result = scoring.score(catalog, [scoring.Answer("q1", 0.5), scoring.Answer("q2", 1.0)])
    document = result_to_dict(result)

    assert document["format"] == RESULT_FORMAT
    assert document["methodology_version"] == scoring.METHODOLOGY_VERSION
    assert [d["id"] for d in document["domains"]] == list(result.domains)
    assert [c["id"] for c in document["controls"]] == list(result.controls)
    by_id = {c["id"]: c for c in document["controls"]}
    assert by_id["C-2"]["explanation"][0] == {
        "id": "q1", "kind": "question", "weight": 1.0, "value": 0.5, "included": True,
        "reason": "answered",
    }  # fmt: skip
    json.dumps(document, allow_nan=False)  # no tuples, sets or NaN left


@pytest.mark.django_db
def test_result_round_trips_through_a_stored_snapshot():
    framework = make_framework()
    assessment = make_assessment(make_organisation(), framework)
    rnd = random.Random(7)
    catalog = scoring.Catalog(
        domains=(
            scoring.Domain("D", controls=tuple(
                scoring.Control(f"C{i}", weight=rnd.choice((1.0, 2.0, 3.0)), questions=(
                    scoring.Question(f"q{i}", "scale", weight=rnd.random() + 0.1),))
                for i in range(30)
            )),
        )
    )  # fmt: skip
    result = scoring.score(catalog, [scoring.Answer(f"q{i}", rnd.random()) for i in range(30)])
    document = result_to_dict(result)
    snapshot = ScoreSnapshot.objects.create(
        assessment=assessment,
        methodology_version=result.methodology_version,
        catalog_hash="0" * 64,
        result_hash=result_hash(document),
        result=document,
    )

    stored = ScoreSnapshot.objects.get(pk=snapshot.pk)

    assert result_from_dict(stored.result) == result
    assert result_hash(stored.result) == stored.result_hash


def test_unknown_format_and_missing_fields_are_refused():
    result = scoring.score(scoring.Catalog(domains=(scoring.Domain("D"),)), [])
    document = result_to_dict(result)

    with pytest.raises(ResultFormatError, match="unknown result format"):
        result_from_dict({**document, "format": "something-else/9"})
    with pytest.raises(ResultFormatError, match="lacks 'overall'"):
        result_from_dict({k: v for k, v in document.items() if k != "overall"})
    with pytest.raises(ResultFormatError, match="JSON object"):
        result_from_dict([document])
