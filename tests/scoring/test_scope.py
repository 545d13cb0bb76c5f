"""What applies to an assessment, the catalog walk and progress: hand-worked cases."""

import pytest

from scorecard.scoring import (
    Answer,
    Catalog,
    Control,
    Domain,
    Progress,
    Question,
    answered_ids,
    applicable_controls,
    applicable_questions,
    control_applies,
    find_top,
    personas_apply,
    progress,
    score,
    stored_answer,
    top_domain_index,
    walk,
    walk_domains,
)

# A: A1 (everyone: scale, text), A2 (builder only: yes_no); sub-domain AS: AS1 (user: choice)
# B: B1 (everyone: scale, number, choice)
CATALOG = Catalog(
    domains=(
        Domain(
            "A",
            name="Alpha",
            controls=(
                Control("A1", questions=(Question("a1s", "scale"), Question("a1t", "text"))),
                Control("A2", personas=("builder",), questions=(Question("a2y", "yes_no"),)),
            ),
            domains=(
                Domain(
                    "AS",
                    name="Alpha sub",
                    controls=(
                        Control("AS1", personas=("user",), questions=(Question("as1c", "choice"),)),
                    ),
                ),
            ),
        ),
        Domain(
            "B",
            name="Beta",
            controls=(
                Control(
                    "B1",
                    questions=(
                        Question("b1s", "scale"),
                        Question("b1n", "number"),
                        Question("b1c", "choice", allow_na=True),
                    ),
                ),
            ),
        ),
    )
)


@pytest.mark.parametrize(
    ("control_personas", "selected", "applies"),
    [
        ((), (), True),  # nothing selected: the whole catalog
        ((), ("user",), True),  # a control without personas is for everyone
        (("builder",), (), True),
        (("builder",), ("user",), False),
        (("builder", "user"), ("user",), True),  # one shared persona is enough
    ],
)
def test_the_applicability_rule(control_personas, selected, applies):
    assert personas_apply(control_personas, selected) is applies
    assert control_applies(Control("X", personas=control_personas), selected) is applies


def test_walk_visits_every_question_depth_first_in_catalog_order():
    places = [(tuple(d.id for d in p.domains), p.control.id, p.question.id) for p in walk(CATALOG)]
    assert places == [
        (("A",), "A1", "a1s"),
        (("A",), "A1", "a1t"),
        (("A",), "A2", "a2y"),
        (("A", "AS"), "AS1", "as1c"),
        (("B",), "B1", "b1s"),
        (("B",), "B1", "b1n"),
        (("B",), "B1", "b1c"),
    ]
    assert [p.top_domain.id for p in walk(CATALOG)] == ["A", "A", "A", "A", "B", "B", "B"]


def test_walk_domains_gives_each_domain_with_its_path():
    assert [tuple(d.id for d in path) for path, _ in walk_domains(CATALOG.domains)] == [
        ("A",),
        ("A", "AS"),
        ("B",),
    ]


def test_top_domain_index_and_find_top():
    index = top_domain_index(CATALOG)
    assert index["AS"] == "A" and index["AS1"] == "A" and index["as1c"] == "A"
    assert index["b1n"] == "B" and index["B"] == "B"
    assert len(index) == 3 + 4 + 7  # domains, controls, questions
    assert find_top(CATALOG, "B").name == "Beta"
    assert find_top(CATALOG, "AS") is None  # a sub-domain is not a page of its own
    assert find_top(CATALOG, "nope") is None


def test_applicable_controls_for_the_user_persona():
    assert [c.id for c in applicable_controls(CATALOG, ("user",))] == ["A1", "AS1", "B1"]
    assert [c.id for c in applicable_controls(CATALOG, ())] == ["A1", "A2", "AS1", "B1"]


def test_applicable_questions_are_scored_ones_unless_asked_otherwise():
    scored = [p.question.id for p in applicable_questions(CATALOG, ("user",))]
    assert scored == ["a1s", "as1c", "b1s", "b1c"]
    every = applicable_questions(CATALOG, ("user",), scored_only=False)
    assert [p.question.id for p in every] == ["a1s", "a1t", "as1c", "b1s", "b1n", "b1c"]


def test_progress_counts_scored_questions_of_applicable_controls_only():
    # Scoped to "user": A has a1s and as1c (A2 is builder-only, a1t is text) -> 2 in scope;
    # B has b1s and b1c (b1n is a number) -> 2. Answered: a1s, b1c; a2y is out of scope and
    # b1n unscored, so neither counts.
    overall, per_domain = progress(CATALOG, ("user",), {"a1s", "a1t", "a2y", "b1n", "b1c"})
    assert per_domain == {"A": Progress(1, 2), "B": Progress(1, 2)}
    assert overall == Progress(2, 4)
    assert (overall.percent, overall.complete) == (50, False)


def test_progress_of_a_domain_without_scored_questions_is_complete():
    empty = Catalog(domains=(Domain("E", controls=(Control("E1", questions=()),)),))
    overall, per_domain = progress(empty, (), set())
    assert per_domain == {"E": Progress(0, 0)}
    assert (overall.percent, overall.complete) == (100, True)


def test_a_stored_answer_with_na_has_no_value_for_the_engine():
    assert stored_answer("q", 0.5, True) == Answer("q", None, True)
    assert stored_answer("q", 0.5, False) == Answer("q", 0.5, False)
    assert stored_answer("q", None, False) == Answer("q", None, False)


def test_answered_means_an_option_or_na():
    answers = [
        stored_answer("a1s", 0.5, False),
        stored_answer("b1c", None, True),
        stored_answer("b1s", None, False),  # e.g. a comment only
    ]
    assert answered_ids(answers) == {"a1s", "b1c"}


def test_progress_agrees_with_the_engines_counts():
    answers = [stored_answer("a1s", 0.5, False), stored_answer("b1c", None, True)]
    result = score(CATALOG, answers, ("user",))
    overall, _ = progress(CATALOG, ("user",), answered_ids(answers))
    assert (overall.answered, overall.total) == (result.answered, result.applicable_questions)
    assert overall == Progress(2, 4)
