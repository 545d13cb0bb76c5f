"""Methodology 1.1's applicability rule: personas and the system's terms, with the reasons.

Every expected outcome below is read off the rule as published on /methodology/: a kind
narrows the scope only when the system states terms of it, the control lists terms of it
(not "all" or "none"), and none is shared.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.scoring import (
    Answer,
    Catalog,
    Control,
    Domain,
    Question,
    Scope,
    ScoringInputError,
    applicability,
    applicable_controls,
    control_applies,
    score,
)

SERVING = "componentModelServing"
TRAINING = "componentModelTrainingTuning"


def ctl(**fields) -> Control:
    return Control("C", **fields)


def system(methodology="1.1", **terms) -> Scope:
    return Scope(methodology=methodology, **{k: frozenset(v) for k, v in terms.items()})


# (control's fields, system's terms, applies under 1.1): a table written from the rule.
CASES = [
    ({}, {}, True),
    ({"components": (SERVING,)}, {}, True),  # the system states no components
    ({}, {"components": {SERVING}}, True),  # the control lists none
    ({"components": (SERVING,)}, {"components": {SERVING}}, True),
    ({"components": (SERVING, TRAINING)}, {"components": {TRAINING}}, True),
    ({"components": (TRAINING,)}, {"components": {SERVING}}, False),
    ({"components": "all"}, {"components": {SERVING}}, True),
    ({"components": "none"}, {"components": {SERVING}}, True),
    ({"lifecycle_stages": ("retirement",)}, {"lifecycle_stages": {"deployment"}}, False),
    ({"actor_access": ("privileged",)}, {"actor_access": {"external"}}, False),
    ({"actor_access": ("privileged",)}, {"actor_access": {"external", "privileged"}}, True),
    # Every kind must pass: a shared component does not rescue an unused stage.
    (
        {"components": (SERVING,), "lifecycle_stages": ("retirement",)},
        {"components": {SERVING}, "lifecycle_stages": {"deployment"}},
        False,
    ),
    # Impact types never decide applicability.
    ({"impact_types": ("safety",)}, {}, True),
]


@pytest.mark.parametrize(("fields", "terms", "expected"), CASES)
def test_the_rule_of_methodology_1_1(fields, terms, expected):
    control = ctl(**fields)
    scope = system(**terms)
    assert control_applies(control, scope) is expected
    assert applicability(control, scope).applies is expected


@pytest.mark.parametrize(("fields", "terms", "expected"), CASES)
def test_methodology_1_0_ignores_the_system_terms(fields, terms, expected):
    assert control_applies(ctl(**fields), system("1.0", **terms)) is True


def test_personas_still_decide_first_under_1_1():
    control = ctl(personas=("personaBuilder",), components=(SERVING,))
    scope = Scope(personas=frozenset({"personaDeployer"}), components=frozenset({SERVING}))
    assert control_applies(control, scope) is False
    assert control_applies(control, ("personaBuilder",)) is True


def test_the_reasons_read_as_the_scoping_page_shows_them():
    control = ctl(components=(SERVING,), lifecycle_stages=("retirement",))
    scope = system(components={SERVING}, lifecycle_stages={"deployment"})
    names = {SERVING: "Model serving", "retirement": "Retirement"}
    decision = applicability(control, scope)
    assert decision.applies is False
    assert decision.describe(names) == (
        "in: component Model serving; out: lifecycle stage Retirement not in use"
    )


def test_reasons_for_all_none_and_several_terms():
    control = ctl(
        personas=("personaBuilder", "personaDeployer"),
        components="all",
        lifecycle_stages="none",
        actor_access=("privileged", "supply-chain"),
    )
    scope = Scope(personas=frozenset({"personaOther"}), actor_access=frozenset({"external"}))
    assert applicability(control, scope).describe() == (
        "out: personas personaBuilder, personaDeployer not selected; in: every component; "
        "in: no particular lifecycle stage; "
        "out: actor access levels privileged, supply-chain not in use"
    )


def test_a_control_nothing_narrows_says_so():
    assert applicability(ctl(components=(SERVING,)), system()).describe() == (
        "in: nothing in the scope narrows it"
    )


def test_an_unknown_methodology_is_refused():
    with pytest.raises(ScoringInputError, match="unknown methodology version '0.9'"):
        Scope(methodology="0.9")


def test_system_terms_given_as_a_string_are_refused():
    with pytest.raises(ScoringInputError, match="components must be a collection"):
        Scope(components="componentModelServing")


def _catalog() -> Catalog:
    return Catalog(
        domains=(
            Domain(
                "D",
                controls=(
                    Control("SERVE", components=(SERVING,), questions=(Question("q1", "scale"),)),
                    Control("TRAIN", components=(TRAINING,), questions=(Question("q2", "scale"),)),
                ),
            ),
        )
    )


def test_scoring_under_1_1_leaves_out_controls_of_unused_components():
    answers = [Answer("q1", 1.0), Answer("q2", 0.0)]
    scope = system(components={SERVING})
    result = score(_catalog(), answers, scope)
    # Only SERVE counts: 100 from q1; TRAIN's 0 is out of scope.
    assert result.overall == 100.0
    assert set(result.controls) == {"SERVE"}
    assert result.methodology_version == "1.1"
    assert result.components == (SERVING,)
    assert result.scope == scope
    (train,) = [t for t in result.domains["D"].explanation if t.id == "TRAIN"]
    assert train.reason == "not applicable to the system's components"


def test_scoring_under_1_0_counts_every_control_whatever_the_system_uses():
    answers = [Answer("q1", 1.0), Answer("q2", 0.0)]
    result = score(_catalog(), answers, system("1.0", components={SERVING}))
    # Both count: (100 + 0) / 2.
    assert result.overall == 50.0
    assert result.methodology_version == "1.0"
    assert result.components == ()


def test_applicable_controls_follow_the_scope():
    ids = [c.id for c in applicable_controls(_catalog(), system(components={TRAINING}))]
    assert ids == ["TRAIN"]


_ids = st.sets(st.sampled_from(["a", "b", "c"]), max_size=3)
_refs = st.one_of(
    st.just("all"), st.just("none"), st.lists(st.sampled_from(["a", "b", "c"])).map(tuple)
)


@given(
    personas=_ids,
    chosen=_ids,
    components=_refs,
    stages=_refs,
    access=_refs,
    used=_ids,
    stages_used=_ids,
    access_used=_ids,
    methodology=st.sampled_from(["1.0", "1.1"]),
)
def test_the_explained_rule_always_agrees_with_the_fast_one(
    personas, chosen, components, stages, access, used, stages_used, access_used, methodology
):
    control = ctl(
        personas=tuple(sorted(personas)),
        components=components,
        lifecycle_stages=stages,
        actor_access=access,
    )
    scope = Scope(
        personas=frozenset(chosen),
        components=frozenset(used),
        lifecycle_stages=frozenset(stages_used),
        actor_access=frozenset(access_used),
        methodology=methodology,
    )
    decision = applicability(control, scope)
    assert decision.applies == control_applies(control, scope)
    assert decision.applies == all(check.applies for check in decision.checks)
    assert decision.describe().startswith(("in:", "out:"))
