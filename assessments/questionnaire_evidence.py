"""One question's evidence block on its own, and evidence refusals waiting for the page.

With htmx an evidence action answers with the block alone, swapped in place, so every answer
typed on the page but not saved yet stays. Without JS the action redirects back to the
question and its refusal waits in the session until the page shows it beside the question.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.access import Access
from assessments.models import Assessment, Evidence
from assessments.questionnaire_page import QuestionBlock, is_editable
from scorecard.models import Question

# Where an evidence refusal waits (without JS) for the page it redirects back to.
EVIDENCE_ERRORS = "questionnaire_evidence_errors"


def remember_evidence_errors(request: HttpRequest, question: Question, errors) -> None:
    stored = request.session.get(EVIDENCE_ERRORS, {})
    stored[str(question.pk)] = [str(e) for e in errors]
    request.session[EVIDENCE_ERRORS] = stored


def pop_evidence_errors(request: HttpRequest, questions: list[Question]) -> dict[int, list[str]]:
    """The evidence refusals waiting for this page, once. One for a question that is not
    here (a crafted post) is still said, at the top."""
    stored = request.session.pop(EVIDENCE_ERRORS, None) or {}
    on_page = {q.pk for q in questions}
    errors = {}
    for key, found in stored.items():
        if key.isdigit() and int(key) in on_page:
            errors[int(key)] = found
        else:
            for message in found:
                messages.error(request, message)
    return errors


def render_evidence(
    request: HttpRequest,
    *,
    assessment: Assessment,
    access: Access,
    question: Question,
    evidence: list[Evidence],
    errors: list[str] | None = None,
    notice: str = "",
) -> HttpResponse:
    """One question's evidence block alone, for an htmx request to swap in place; the rest of
    the page, with the answers typed so far, stays as it is."""
    block = QuestionBlock(
        question=question,
        values={},
        errors={},
        choices=[],
        evidence=evidence,
        evidence_errors=list(errors or []),
    )
    context = {
        "assessment": assessment,
        "access": access,
        "block": block,
        "editable": is_editable(access, assessment),
        "preview": False,
        "partial": True,
        "notice": notice,
    }
    # 200 for a refusal as well: htmx swaps only successful responses, and the refusal is
    # shown inside the swapped block.
    return render(request, "assessments/questionnaire/_evidence.html", context)
