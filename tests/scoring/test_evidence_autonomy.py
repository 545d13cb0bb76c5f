"""Evidence that rises with autonomy: a control with a rule `Ln+` expects evidence from a
system at level n or above, and the claims of maturity without it are listed. Every
expected value below is worked out by hand from the small catalog in this module."""

import pytest

from scorecard import scoring
from scorecard.scoring import (
    Answer,
    Catalog,
    Control,
    Domain,
    Question,
    Tier,
    evidence_expected,
    unevidenced_claims,
)


def q(ident, kind="scale", allow_na=False):
    return Question(ident, kind, allow_na=allow_na)


# oversight (L3+, two scored questions and a text one), logging (L2+), anyone (L0+),
# builder-only (L3+, persona personaBuilder), plain (no rule).
CATALOG = Catalog(
    domains=(
        Domain(
            "gov",
            "Governance",
            controls=(
                Control(
                    "oversight",
                    "Human oversight",
                    questions=(q("o1", allow_na=True), q("o2"), q("o-notes", "text")),
                    evidence_autonomy=3,
                ),
                Control("logging", "Action logging", questions=(q("l1"),), evidence_autonomy=2),
                Control("anyone", "Policy", questions=(q("a1", "yes_no"),), evidence_autonomy=0),
            ),
        ),
        Domain(
            "build",
            "Building",
            controls=(
                Control(
                    "builder",
                    "Agent permissions",
                    personas=("personaBuilder",),
                    questions=(q("b1"),),
                    evidence_autonomy=3,
                ),
                Control("plain", "Plain", questions=(q("p1"),)),
            ),
        ),
    ),
    tiers=(Tier("Low", 0), Tier("High", 60)),
)

ALL_CLAIMING = [
    Answer("o1", 0.5),
    Answer("o2", 1.0),
    Answer("o-notes", None),
    Answer("l1", 0.25),
    Answer("a1", 1.0),
    Answer("b1", 0.75),
    Answer("p1", 1.0),
]


def claims(answers=ALL_CLAIMING, evidenced=(), level=4, personas=()):
    found = unevidenced_claims(CATALOG, personas, answers, evidenced, level)
    return [(c.control, c.questions, c.rule) for c in found]


# --- the rule for one control -------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "level", "expected"),
    [
        (3, 3, True),
        (3, 5, True),
        (3, 2, False),
        (0, 0, True),
        (None, 5, False),
        (3, None, False),
        (0, None, False),
    ],
)
def test_evidence_is_expected_when_a_stated_level_reaches_the_rule(threshold, level, expected):
    control = Control("c", evidence_autonomy=threshold)
    assert evidence_expected(control, level) is expected


@pytest.mark.parametrize("level", [-1, 6, 2.5, "3", True])
def test_a_level_outside_zero_to_five_is_refused(level):
    with pytest.raises(scoring.ScoringInputError, match="autonomy level"):
        evidence_expected(Control("c", evidence_autonomy=0), level)
    with pytest.raises(scoring.ScoringInputError, match="autonomy level"):
        unevidenced_claims(CATALOG, (), ALL_CLAIMING, (), level)


# --- the list of claims ---------------------------------------------------------------------


def test_at_level_four_every_ruled_control_with_an_unevidenced_claim_is_listed():
    # L4 reaches L3+, L2+ and L0+; "plain" has no rule; the text question is never a claim.
    assert claims() == [
        ("oversight", ("o1", "o2"), "L3+"),
        ("logging", ("l1",), "L2+"),
        ("anyone", ("a1",), "L0+"),
        ("builder", ("b1",), "L3+"),
    ]


def test_at_level_two_only_the_rules_up_to_l2_apply():
    assert claims(level=2) == [("logging", ("l1",), "L2+"), ("anyone", ("a1",), "L0+")]


def test_an_l0_rule_expects_evidence_even_at_level_zero():
    assert claims(level=0) == [("anyone", ("a1",), "L0+")]


def test_with_the_level_not_stated_nothing_is_expected():
    assert claims(level=None) == []


def test_evidence_on_a_question_removes_it_and_a_fully_evidenced_control_drops_out():
    assert claims(evidenced={"o1", "l1", "p1"}) == [
        ("oversight", ("o2",), "L3+"),
        ("anyone", ("a1",), "L0+"),
        ("builder", ("b1",), "L3+"),
    ]


def test_n_a_zero_and_unanswered_are_not_claims():
    answers = [
        Answer("o1", None, na=True),  # N/A
        Answer("o2", 0.0),  # "not started"
        Answer("l1", None),  # left unanswered
        Answer("a1", 0.0),
        # b1 has no row at all
    ]
    assert claims(answers) == []


def test_one_claiming_answer_is_enough_to_list_its_control():
    answers = [Answer("o1", 0.0), Answer("o2", 0.25)]
    assert claims(answers) == [("oversight", ("o2",), "L3+")]


def test_controls_that_do_not_apply_to_the_personas_are_left_out():
    # "builder" is for personaBuilder only; the others name no persona and apply to all.
    assert [c for c, _, _ in claims(personas=("personaUser",))] == [
        "oversight",
        "logging",
        "anyone",
    ]
    assert [c for c, _, _ in claims(personas=("personaBuilder",))] == [
        "oversight",
        "logging",
        "anyone",
        "builder",
    ]


def test_answers_may_be_given_as_a_mapping_and_name_is_carried():
    by_id = {a.question: a for a in ALL_CLAIMING}
    found = unevidenced_claims(CATALOG, (), by_id, (), 3)
    assert [(c.control, c.name, c.threshold) for c in found] == [
        ("oversight", "Human oversight", 3),
        ("logging", "Action logging", 2),
        ("anyone", "Policy", 0),
        ("builder", "Agent permissions", 3),
    ]


def test_personas_as_a_bare_string_are_refused():
    with pytest.raises(scoring.ScoringInputError, match="personas"):
        unevidenced_claims(CATALOG, "personaBuilder", ALL_CLAIMING, (), 3)


# --- it never changes a score -------------------------------------------------------------


def without_rules(catalog):
    def strip(domain):
        return Domain(
            domain.id,
            domain.name,
            domains=tuple(strip(d) for d in domain.domains),
            controls=tuple(
                Control(c.id, c.name, personas=c.personas, questions=c.questions)
                for c in domain.controls
            ),
        )

    return Catalog(tuple(strip(d) for d in catalog.domains), tiers=catalog.tiers)


@pytest.mark.parametrize("personas", [(), ("personaUser",)])
def test_scores_are_identical_with_and_without_rules_and_evidence(personas):
    with_rules = scoring.score(CATALOG, ALL_CLAIMING, personas)
    bare = scoring.score(without_rules(CATALOG), ALL_CLAIMING, personas)
    assert with_rules.to_json_scores() == bare.to_json_scores()
    assert with_rules == bare
    # Listing the claims leaves the result untouched too: it is a frozen value, and scoring
    # again after the claims are found gives the same numbers.
    assert claims(personas=personas)
    assert scoring.score(CATALOG, ALL_CLAIMING, personas) == with_rules
    # Hand-computed: every domain weight 1; gov = mean(oversight .75, logging .25, anyone 1)
    # = 2/3; build = mean(builder .75, plain 1) = .875 with all personas.
    if not personas:
        assert with_rules.to_json_scores()["overall"] == pytest.approx(
            round(100 * (2 / 3 + 0.875) / 2, 2)
        )
