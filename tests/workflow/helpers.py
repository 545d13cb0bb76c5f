"""Small builders for the workflow tests: answers, comments, and a changed catalog version."""

from __future__ import annotations

from assessments.models import Answer, ReviewComment
from scorecard.models import (
    Control,
    Framework,
    FrameworkStatus,
    Option,
    Question,
    ScaleOption,
)
from tests.factories import make_framework


def answer_all(assessment, user=None) -> list[Answer]:
    """Answer every question: scale → "Partial", choice → "Some", yes/no → "Yes"."""
    picks = {"scale": ("Partial", 0.5), "choice": ("Some", 0.5), "yes_no": ("Yes", 1.0)}
    rows = [
        Answer(
            assessment=assessment,
            question=question,
            option_label=picks[question.type][0],
            value=picks[question.type][1],
            comment=f"Why {question.ref}",
            justification=f"Evidence of {question.ref}",
            updated_by=user,
        )
        for question in Question.objects.filter(framework=assessment.framework).order_by("pk")
    ]
    return Answer.objects.bulk_create(rows)


def set_status(assessment, status: str) -> None:
    """Put an assessment in a status directly, bypassing the workflow (test setup only)."""
    type(assessment).objects.filter(pk=assessment.pk).update(status=status)
    assessment.refresh_from_db()


def question(assessment, ref: str) -> Question:
    return Question.objects.get(framework=assessment.framework, ref=ref)


def comment_on(assessment, ref: str, author, body="Please add evidence.", **extra):
    return ReviewComment.objects.create(
        assessment=assessment, question=question(assessment, ref), author=author, body=body, **extra
    )


def make_next_version(version: str = "1.1", *, publish: bool = True) -> Framework:
    """test-fw at another version, with every kind of change an upgrade must handle:

    - D1-C1.q1 (scale): wording changed
    - D1-C1.q2 (choice): option "Some" renamed "Partly" (answers "Some" lose their value)
    - D1-C2.q2 (choice): option values changed, labels kept
    - D2-C2.q2 (choice): removed
    - D2-C2.q3 (yes_no): new
    - D2-C1.q2 (choice): became a yes/no question
    """
    framework = make_framework(version=version, published=False)

    def q(ref):
        return Question.objects.get(framework=framework, ref=ref)

    Question.objects.filter(pk=q("D1-C1.q1").pk).update(text="Reworded: how mature is it?")
    Option.objects.filter(question=q("D1-C1.q2"), label="Some").update(label="Partly")
    Option.objects.filter(question=q("D1-C2.q2"), label="Some").update(value=0.4)
    Question.objects.filter(pk=q("D2-C2.q2").pk).delete()
    Question.objects.create(
        framework=framework,
        control=Control.objects.get(framework=framework, ref="D2-C2"),
        position=5,
        ref="D2-C2.q3",
        text="A new yes/no question?",
        type="yes_no",
    )
    changed = q("D2-C1.q2")
    Option.objects.filter(question=changed).delete()
    Question.objects.filter(pk=changed.pk).update(type="yes_no")
    if publish:
        Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
        framework.refresh_from_db()
    assert ScaleOption.objects.filter(framework=framework).exists()
    return framework
