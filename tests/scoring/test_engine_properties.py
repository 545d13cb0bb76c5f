"""Properties the published methodology promises for every catalog, not just hand-picked ones."""

import itertools
import math
import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.scoring import (
    SCORED_TYPES,
    Answer,
    Catalog,
    Control,
    Domain,
    Question,
    Risk,
    Tier,
    score,
)

TOL = 1e-9
# Modest and database-free: the suite must stay fast and leave nothing behind in the tree.
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WEIGHTS = st.sampled_from((0.5, 1.0, 2.0, 3.0))
PERSONAS = ("engineer", "ciso", "legal")
RISK_IDS = ("r1", "r2", "r3")
REFS = ("GOVERN-1.1@1.0", "GOVERN-1.1", "GOVERN-2.3", "MAP-1.1@2.0", "MEASURE")
TYPES = ("scale", "choice", "yes_no", "text")
TIERS = (Tier("Initial", 0.0), Tier("Developing", 25.0), Tier("Defined", 50.0), Tier("Managed", 75))
TIER_RANK = {t.name: rank for rank, t in enumerate(TIERS)}


# --- strategies ---------------------------------------------------------------------------


# Each node is drawn from a few combined choices: drawing every attribute separately made data
# generation, not scoring, dominate the suite's run time.
QUESTION_SHAPES = tuple(itertools.product(TYPES, (0.5, 1.0, 2.0, 3.0), (False, True)))
MAX_MASK = 2 ** max(len(PERSONAS), len(RISK_IDS), len(REFS)) - 1


def subset(choices, mask):
    return tuple(c for bit, c in enumerate(choices) if mask >> bit & 1)


@st.composite
def catalogs(draw):
    ids = itertools.count()
    masks = st.integers(0, MAX_MASK)

    def question():
        qtype, weight, allow_na = draw(st.sampled_from(QUESTION_SHAPES))
        return Question(f"q{next(ids)}", qtype, weight, allow_na)

    def control():
        cid = f"c{next(ids)}"
        refs = subset(REFS, draw(masks))
        return Control(
            cid,
            weight=draw(WEIGHTS),
            critical=draw(st.booleans()),
            personas=subset(PERSONAS, draw(masks)),
            risks=subset(RISK_IDS, draw(masks)),
            mappings=(("nist", refs),) if refs else (),
            questions=tuple(question() for _ in range(draw(st.integers(0, 3)))),
        )

    def domain(depth):
        did = f"d{next(ids)}"
        subs = tuple(domain(depth + 1) for _ in range(draw(st.integers(0, 2)))) if depth < 3 else ()
        controls = tuple(control() for _ in range(draw(st.integers(0, 3))))
        return Domain(did, weight=draw(WEIGHTS), domains=subs, controls=controls)

    return Catalog(
        domains=tuple(domain(1) for _ in range(draw(st.integers(1, 3)))),
        tiers=TIERS,
        critical_threshold=50.0,
        gate_tier="Developing",
        risks=(Risk("r1", "Data poisoning"), Risk("r4", "Model theft")),
    )


def all_domains(catalog):
    stack = list(catalog.domains)
    while stack:
        domain = stack.pop()
        yield domain
        stack.extend(domain.domains)


def all_controls(catalog):
    for domain in all_domains(catalog):
        yield from domain.controls


def all_questions(catalog):
    for control in all_controls(catalog):
        yield from control.questions


# Round values exercise exact ties and tier boundaries, "value" any float in [0, 1].
ANSWER_KINDS = (0.0, 0.25, 0.5, 0.75, 1.0, "value", "missing", "none", "na")


@st.composite
def scenarios(draw):
    catalog = draw(catalogs())
    given_answers = []
    for question in sorted(all_questions(catalog), key=lambda q: q.id):
        kind = draw(st.sampled_from(ANSWER_KINDS if question.allow_na else ANSWER_KINDS[:-1]))
        if kind == "value":
            given_answers.append(Answer(question.id, draw(st.floats(0.0, 1.0))))
        elif isinstance(kind, float):
            given_answers.append(Answer(question.id, kind))
        elif kind == "na":
            given_answers.append(Answer(question.id, na=True))
        elif kind == "none":
            given_answers.append(Answer(question.id, None))
    personas = tuple(draw(st.lists(st.sampled_from(PERSONAS), unique=True, max_size=2)))
    return catalog, given_answers, personas


# --- helpers ------------------------------------------------------------------------------


def map_catalog(catalog, on_domain=None, on_control=None, on_root=None):
    """Rebuild the catalog bottom-up, letting callbacks replace domains and controls."""

    def visit_control(control):
        return on_control(control) if on_control else control

    def visit_domain(domain):
        rebuilt = replace(
            domain,
            domains=tuple(visit_domain(d) for d in domain.domains),
            controls=tuple(visit_control(c) for c in domain.controls),
        )
        return on_domain(rebuilt) if on_domain else rebuilt

    tops = tuple(visit_domain(d) for d in catalog.domains)
    return replace(catalog, domains=on_root(tops) if on_root else tops)


def scores_of(result, risks=True):
    """Every published number of a result, keyed by where it appears."""
    flat = {"overall": result.overall}
    flat.update({("domain", k): v.score for k, v in result.domains.items()})
    flat.update({("control", k): v.score for k, v in result.controls.items()})
    flat.update({("gap", g.control): g.points for g in result.gaps})
    if risks:
        flat.update({("risk", k): v.coverage for k, v in result.risks.items()})
        for table, name in ((result.crosswalk, "xw"), (result.crosswalk_groups, "group")):
            for fw, refs in table.items():
                flat.update({(name, fw, ref): s for ref, s in refs.items()})
    return flat


def assert_same_scores(a, b, risks=True):
    fa, fb = scores_of(a, risks), scores_of(b, risks)
    assert fa.keys() == fb.keys()
    for key, x in fa.items():
        y = fb[key]
        assert (x is None) == (y is None), key
        if x is not None:
            assert math.isclose(x, y, rel_tol=0, abs_tol=TOL), (key, x, y)


def near_boundary(result):
    """True when float noise could legitimately move a tier or the gate."""
    edges = [t.min_score for t in TIERS]
    if result.overall is not None and any(abs(result.overall - e) < 1e-6 for e in edges):
        return True
    return any(c.score is not None and abs(c.score - 50.0) < 1e-6 for c in result.controls.values())


def assert_same_outcome(a, b):
    if not (near_boundary(a) or near_boundary(b)):
        assert (a.tier, a.gated, a.gated_by) == (b.tier, b.gated, b.gated_by)
        assert a.critical_below_threshold == b.critical_below_threshold


# --- properties ---------------------------------------------------------------------------


@PROPERTY
@given(scenarios())
def test_every_score_is_between_0_and_100(scenario):
    result = score(*scenario)
    numbers = [v for v in scores_of(result).values() if v is not None]
    numbers += [r.exposure for r in result.risks.values() if r.exposure is not None]
    if result.completeness is not None:
        numbers.append(result.completeness)
    assert all(0.0 <= x <= 100.0 for x in numbers)
    assert all(g.points > 0 for g in result.gaps)
    assert all(
        0.0 < c.effective_weight <= 1.0 for c in result.controls.values() if c.score is not None
    )


@PROPERTY
@given(st.data())
def test_raising_one_answer_never_lowers_any_score(data):
    catalog, given_answers, personas = data.draw(scenarios())
    by_question = {a.question: a for a in given_answers}
    candidates = [
        q
        for q in sorted(all_questions(catalog), key=lambda q: q.id)
        if q.type in SCORED_TYPES and not by_question.get(q.id, Answer(q.id)).na
    ]
    if not candidates:
        return
    question = data.draw(st.sampled_from(candidates))
    old = by_question.get(question.id, Answer(question.id)).value or 0.0
    by_question[question.id] = Answer(question.id, data.draw(st.floats(old, 1.0)))
    before = score(catalog, given_answers, personas)
    after = score(catalog, list(by_question.values()), personas)

    old_scores, new_scores = scores_of(before), scores_of(after)
    for key, x in old_scores.items():
        if key[0] == "gap" or x is None:
            continue
        assert new_scores[key] >= x - TOL, (key, x, new_scores[key])
    if before.tier is not None:
        assert TIER_RANK[after.tier] >= TIER_RANK[before.tier]


@PROPERTY
@given(st.data())
def test_marking_a_question_na_equals_deleting_it(data):
    catalog, given_answers, personas = data.draw(scenarios())
    candidates = sorted(
        q.id for q in all_questions(catalog) if q.allow_na and q.type in SCORED_TYPES
    )
    if not candidates:
        return
    qid = data.draw(st.sampled_from(candidates))
    others = [a for a in given_answers if a.question != qid]
    marked = score(catalog, [*others, Answer(qid, na=True)], personas)

    def drop(control):
        return replace(control, questions=tuple(q for q in control.questions if q.id != qid))

    deleted = score(map_catalog(catalog, on_control=drop), others, personas)
    assert_same_scores(marked, deleted)
    assert_same_outcome(marked, deleted)


@PROPERTY
@given(st.data())
def test_scaling_all_sibling_weights_changes_nothing(data):
    catalog, given_answers, personas = data.draw(scenarios())
    factor = data.draw(st.sampled_from((0.5, 2.0, 3.0, 10.0, 0.1)))
    parents = ["root"] + sorted(d.id for d in all_domains(catalog))
    parents += sorted(c.id for c in all_controls(catalog) if c.questions)
    target = data.draw(st.sampled_from(parents))

    def scale(node):
        return replace(node, weight=node.weight * factor)

    def on_root(tops):
        return tuple(scale(d) for d in tops) if target == "root" else tops

    def on_domain(domain):
        if domain.id != target:
            return domain
        subs = tuple(scale(d) for d in domain.domains)
        return replace(domain, domains=subs, controls=tuple(scale(c) for c in domain.controls))

    def on_control(control):
        if control.id != target:
            return control
        return replace(control, questions=tuple(scale(q) for q in control.questions))

    scaled = map_catalog(catalog, on_domain, on_control, on_root)
    before = score(catalog, given_answers, personas)
    after = score(scaled, given_answers, personas)
    # Risk coverage and the crosswalk average controls from across the catalog by their raw
    # weights, so rescaling one domain's controls legitimately moves them.
    scaled_controls = any(d.id == target and d.controls for d in all_domains(catalog))
    assert_same_scores(before, after, risks=not scaled_controls)
    assert_same_outcome(before, after)


@PROPERTY
@given(scenarios())
def test_gap_points_add_up_to_the_missing_overall_points(scenario):
    result = score(*scenario)
    if result.overall is None:
        assert result.gaps == ()
        return
    assert math.isclose(
        math.fsum(g.points for g in result.gaps), 100.0 - result.overall, abs_tol=TOL
    )
    counted = [c.effective_weight for c in result.controls.values() if c.score is not None]
    assert math.isclose(math.fsum(counted), 1.0, abs_tol=TOL)
    keys = [(-g.points, g.control) for g in result.gaps]
    assert keys == sorted(keys)


def shuffled(rnd, items):
    items = list(items)
    rnd.shuffle(items)
    return tuple(items)


@PROPERTY
@given(scenarios(), st.integers(0, 2**32 - 1))
def test_input_order_changes_nothing(scenario, seed):
    catalog, given_answers, personas = scenario
    # A seeded generator instead of st.randoms(): every shuffle drawing through Hypothesis
    # made this test cost as much as all the others together.
    rnd = random.Random(seed)

    def on_control(control):
        return replace(
            control,
            questions=shuffled(rnd, control.questions),
            personas=shuffled(rnd, control.personas),
            risks=shuffled(rnd, control.risks),
            mappings=shuffled(rnd, ((fw, shuffled(rnd, refs)) for fw, refs in control.mappings)),
        )

    def on_domain(domain):
        return replace(
            domain, domains=shuffled(rnd, domain.domains), controls=shuffled(rnd, domain.controls)
        )

    permuted = map_catalog(catalog, on_domain, on_control, lambda tops: shuffled(rnd, tops))
    permuted = replace(
        permuted, tiers=shuffled(rnd, permuted.tiers), risks=shuffled(rnd, permuted.risks)
    )
    original = score(catalog, given_answers, personas)
    reordered = score(permuted, shuffled(rnd, given_answers), shuffled(rnd, personas))

    assert_same_scores(original, reordered)
    # Order-independent sums make even the tier, the gate and the tie order identical.
    assert (original.tier, original.gated, original.gated_by) == (
        reordered.tier,
        reordered.gated,
        reordered.gated_by,
    )
    assert [g.control for g in original.gaps] == [g.control for g in reordered.gaps]
    assert original.to_json_scores() == reordered.to_json_scores()
    for kind, table in (("domain", original.domains), ("control", original.controls)):
        for ident in table:
            a, b = original.explain(kind, ident), reordered.explain(kind, ident)
            assert [(t.id, t.included, t.reason) for t in a.terms] == [
                (t.id, t.included, t.reason) for t in b.terms
            ]
