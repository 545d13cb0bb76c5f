"""Generated questions: the service and `manage.py generate_questions`, good input and bad."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from scorecard import services
from scorecard.catalog import defaults
from scorecard.catalog.files import import_path
from scorecard.catalog.question_template import (
    controls_without_scored_question,
    generate_questions,
    template_problems,
)
from scorecard.models import Control, FrameworkLocked, FrameworkStatus, Question
from tests.catalog.helpers import DATA, SMALL

pytestmark = pytest.mark.django_db
MINI = DATA / "atlas-mini.yaml"  # 4 controls (AML.M0001-4), no questions


@pytest.fixture
def draft():
    return import_path(MINI, fmt="atlas")


def questions(framework):
    return list(
        Question.objects.filter(framework=framework)
        .order_by("ref")
        .values_list("ref", "control__ref", "position", "type", "text", "help", "evidence")
    )


def test_one_scale_question_per_control_from_the_template(draft):
    created = generate_questions(
        framework=draft,
        text="Is {name} in place?",
        help="Control {id}: rate it. {{braces}} stay.",
        evidence="Records for {id}",
    )
    assert created == 4
    assert questions(draft)[:2] == [
        (
            "AML.M0001.q1",
            "AML.M0001",
            0,
            "scale",
            "Is Publish Less in place?",
            "Control AML.M0001: rate it. {braces} stay.",
            "Records for AML.M0001",
        ),
        (
            "AML.M0002.q1",
            "AML.M0002",
            0,
            "scale",
            "Is Train Staff in place?",
            "Control AML.M0002: rate it. {braces} stay.",
            "Records for AML.M0002",
        ),
    ]
    question = Question.objects.get(ref="AML.M0001.q1")
    assert (question.weight, question.allow_na, question.code) == (1.0, False, "")


def test_generating_again_adds_nothing_and_the_draft_then_publishes(draft):
    assert (
        generate_questions(
            framework=draft, text=defaults.QUESTION_TEXT, help=defaults.QUESTION_HELP
        )
        == 4
    )
    assert generate_questions(framework=draft, text="Again?", help="") == 0
    assert Question.objects.filter(framework=draft).count() == 4
    assert not controls_without_scored_question(draft).exists()
    services.publish_framework(framework=draft)
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.PUBLISHED
    # Publishing gave the generated questions their display codes.
    assert "" not in set(Question.objects.filter(framework=draft).values_list("code", flat=True))


def test_controls_with_a_scored_question_are_left_alone_others_get_one_after_theirs(draft):
    first, second, third = Control.objects.filter(framework=draft).order_by("ref")[:3]
    common = {"framework": draft, "weight": 1.0}
    Question.objects.create(**common, control=first, ref="own", text="Own?", type="yes_no")
    # A text question is not scored; and the id the generator would pick is taken.
    Question.objects.create(
        **common, control=second, position=3, ref="AML.M0002.q1", text="Notes?", type="text"
    )
    Question.objects.create(
        **common, control=third, ref="AML.M0003.q1", text="Level?", type="scale"
    )
    assert generate_questions(framework=draft, text="Q for {id}", help="") == 2
    made = [q for q in questions(draft) if q[4].startswith("Q for")]
    assert [(ref, control, position) for ref, control, position, *_ in made] == [
        ("AML.M0002.q2", "AML.M0002", 4),
        ("AML.M0004.q1", "AML.M0004", 0),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Is {title} done?", "unknown placeholder {title}: use {name} or {id}"),
        ("Is {} done?", "unknown placeholder {}: use {name} or {id}"),
        ("Is {name.upper} done?", "unknown placeholder {name.upper}: use {name} or {id}"),
        ("Is {name!r} done?", "the placeholder {name} takes no format or conversion"),
        ("Is {id:>9} done?", "the placeholder {id} takes no format or conversion"),
        ("Is {name done?", "has an unmatched brace; write a literal { or } as {{ or }}"),
        ("Is it } done?", "has an unmatched brace; write a literal { or } as {{ or }}"),
        ("Bad\x00", "must not contain a NUL character"),
    ],
)
def test_bad_templates_are_refused_and_nothing_is_written(draft, text, problem):
    assert template_problems(text) == [problem]
    with pytest.raises(ValidationError) as refused:
        generate_questions(framework=draft, text="Fine {name}?", help=text)
    assert refused.value.message_dict == {"help": [problem]}
    assert Question.objects.count() == 0


def test_empty_text_and_overlong_evidence_are_refused(draft):
    with pytest.raises(ValidationError) as refused:
        generate_questions(framework=draft, text="  ", help="")
    assert refused.value.message_dict == {"text": ["enter the question text"]}
    with pytest.raises(ValidationError) as refused:
        generate_questions(framework=draft, text="Q?", help="", evidence="{name}" * 60)
    assert refused.value.message_dict["evidence"][0].startswith(
        "is longer than 300 characters once filled in for 4 control(s)"
    )
    assert Question.objects.count() == 0


def test_a_published_version_is_refused():
    published = import_path(SMALL, publish=True)
    with pytest.raises(FrameworkLocked):
        generate_questions(framework=published, text="Q?", help="")


# --- the command ------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("generate_questions", *args, stdout=out)
    return out.getvalue().strip()


def test_the_command_generates_with_the_default_or_a_given_text(draft):
    assert run("mitre-atlas", "9.1.0", "--text", "Does {name} work?") == (
        "Generated 4 question(s) in MITRE ATLAS 9.1.0."
    )
    assert Question.objects.get(ref="AML.M0004.q1").text == "Does Write It Down work?"
    assert run("mitre-atlas", "9.1.0") == (
        "Every control of MITRE ATLAS 9.1.0 has a scored question; nothing generated."
    )
    other = import_path(MINI, version="2")
    run("mitre-atlas", "2")
    made = Question.objects.get(framework=other, ref="AML.M0001.q1")
    assert (made.text, made.help) == (defaults.QUESTION_TEXT, defaults.QUESTION_HELP)


def test_the_command_refuses_bad_templates_unknown_and_published_versions(draft):
    with pytest.raises(CommandError, match=r"text: unknown placeholder \{x\}"):
        run("mitre-atlas", "9.1.0", "--text", "{x}")
    with pytest.raises(CommandError, match="no framework mitre-atlas version 0"):
        run("mitre-atlas", "0")
    import_path(SMALL, publish=True)
    with pytest.raises(CommandError, match="is published and cannot be changed"):
        run("small-test-catalog", "0.1")
    assert Question.objects.filter(framework=draft).count() == 0
