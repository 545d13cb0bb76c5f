"""One carry-over policy: "start from a previous assessment" and "change catalog version"
keep and drop the same answers, for the same reasons, with the same content."""

import pytest

from assessments.models import Answer, Evidence, EvidenceKind
from assessments.services.start import start_from_previous
from assessments.services.upgrade import apply_upgrade, plan_upgrade
from scorecard.models import Framework, FrameworkStatus, Option, Question
from tests.factories import make_assessment, make_framework

pytestmark = pytest.mark.django_db

# Every case the policy decides, on the factory catalog (q1 scale, q2 choice with N/A):
#   D1-C1.q1  wording changed                      -> carried
#   D1-C2.q1  unchanged                            -> carried
#   D1-C2.q2  chosen option "Some" renamed "Partly" -> dropped
#   D1-C1.q2  answered N/A, N/A no longer allowed   -> dropped
#   D2-C1.q2  choice became yes/no                  -> dropped
#   D2-C2.q2  option "All" now worth 0.9            -> carried with the new value
ANSWERS = {
    "D1-C1.q1": {"option_label": "Partial", "value": 0.5},
    "D1-C2.q1": {"option_label": "Established", "value": 0.75},
    "D1-C2.q2": {"option_label": "Some", "value": 0.5},
    "D1-C1.q2": {"na": True},
    "D2-C1.q2": {"option_label": "All", "value": 1.0},
    "D2-C2.q2": {"option_label": "All", "value": 1.0},
}
CARRIED = {
    "D1-C1.q1": ("Partial", 0.5, False),
    "D1-C2.q1": ("Established", 0.75, False),
    "D2-C2.q2": ("All", 0.9, False),
}
DROPPED = {
    "D1-C2.q2": "the option “Some” is no longer offered",
    "D1-C1.q2": "N/A is no longer allowed",
    "D2-C1.q2": "the question now asks for another kind of answer",
}

# Evidence follows carried answers, and stays with a question that had no answer.
EVIDENCE = ["D1-C1.q1", "D1-C2.q1", "D2-C1.q1", "D2-C2.q2"]


@pytest.fixture
def target(framework):
    newer = make_framework(slug=framework.slug, version="2.0", published=False)
    Question.objects.filter(framework=newer, ref="D1-C1.q1").update(text="Reworded?")
    Option.objects.filter(framework=newer, question__ref="D1-C2.q2", label="Some").update(
        label="Partly"
    )
    Question.objects.filter(framework=newer, ref="D1-C1.q2").update(allow_na=False)
    Question.objects.filter(framework=newer, ref="D2-C1.q2").update(type="yes_no")
    Option.objects.filter(framework=newer, question__ref="D2-C1.q2").delete()
    Option.objects.filter(framework=newer, question__ref="D2-C2.q2", label="All").update(value=0.9)
    Framework.objects.filter(pk=newer.pk).update(status=FrameworkStatus.PUBLISHED)
    newer.refresh_from_db()
    return newer


def _answered(organisation, framework, owner):
    """An assessment with ANSWERS (each with a comment and justification), a link as
    evidence on every answered question, and one on D2-C1.q1, which has no answer."""
    assessment = make_assessment(organisation, framework, created_by=owner)
    for ref, fields in ANSWERS.items():
        question = Question.objects.get(framework=framework, ref=ref)
        Answer.objects.create(
            assessment=assessment,
            question=question,
            justification=f"Because {ref}",
            comment=f"Note on {ref}",
            **fields,
        )
        Evidence.objects.create(
            assessment=assessment,
            question=question,
            kind=EvidenceKind.LINK,
            url=f"https://wiki.example.org/{ref}",
        )
    Evidence.objects.create(
        assessment=assessment,
        question=Question.objects.get(framework=framework, ref="D2-C1.q1"),
        kind=EvidenceKind.LINK,
        url="https://wiki.example.org/unanswered",
    )
    return assessment


def _outcome(assessment):
    answers = {
        a.question.ref: a
        for a in Answer.objects.filter(assessment=assessment).select_related("question")
    }
    content = {ref: (a.option_label, a.value, a.na) for ref, a in answers.items()}
    notes = {ref: (a.justification, a.comment) for ref, a in answers.items()}
    evidence = sorted(
        Evidence.objects.filter(assessment=assessment).values_list("question__ref", flat=True)
    )
    return content, notes, evidence


@pytest.fixture
def started(organisation, framework, owner, target):
    previous = _answered(organisation, framework, owner)
    carried = start_from_previous(previous=previous, user=owner, framework=target, title="Next")
    return carried


@pytest.fixture
def upgraded(organisation, framework, owner, target):
    assessment = _answered(organisation, framework, owner)
    plan = plan_upgrade(assessment=assessment, target=target)
    apply_upgrade(assessment=assessment, target=target, user=owner)
    return assessment, plan


def test_start_from_previous_follows_the_policy(started):
    content, notes, evidence = _outcome(started.assessment)
    assert content == CARRIED
    assert notes == {ref: (f"Because {ref}", f"Note on {ref}") for ref in CARRIED}
    assert evidence == EVIDENCE
    assert started.reasons == DROPPED
    assert (started.answers, started.evidence) == (3, 4)


def test_changing_catalog_version_follows_the_same_policy(upgraded):
    assessment, plan = upgraded
    content, notes, evidence = _outcome(assessment)
    assert content == CARRIED
    assert notes == {ref: (f"Because {ref}", f"Note on {ref}") for ref in CARRIED}
    assert evidence == EVIDENCE
    # The plan reports each dropped answer with the same reason, as a sentence.
    assert {d.ref: d.reason for d in plan.dropped_values} == {
        ref: reason[0].upper() + reason[1:] for ref, reason in DROPPED.items()
    }


def test_both_paths_give_the_same_answers(started, upgraded):
    assert _outcome(started.assessment) == _outcome(upgraded[0])


def test_carried_answers_ask_for_confirmation_where_the_question_changed(started, upgraded):
    # A new assessment confirms everything it starts from; an upgrade only what changed
    # (wording of D1-C1.q1, option values of D2-C2.q2).
    flags = dict(
        Answer.objects.filter(assessment=started.assessment).values_list(
            "question__ref", "carried_over"
        )
    )
    assert flags == {"D1-C1.q1": True, "D1-C2.q1": True, "D2-C2.q2": True}
    flags = dict(
        Answer.objects.filter(assessment=upgraded[0]).values_list("question__ref", "carried_over")
    )
    assert flags == {"D1-C1.q1": True, "D1-C2.q1": False, "D2-C2.q2": True}
