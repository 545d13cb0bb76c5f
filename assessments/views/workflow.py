"""Views of the review workflow: submit, comment, reply, resolve, finalise, sign off, reopen.

Each view fetches the assessment through the access helpers (404 for other
organisations, 403 for a role without the action) and calls one service, which checks
role and status again. A transition that is not possible now ends in a redirect with an
error message, and nothing is changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessments.access import get_assessment, get_comment
from assessments.forms.workflow import (
    CommentForm,
    ReplyForm,
    ResolveForm,
    ReturnToDraftForm,
    SignOffForm,
)
from assessments.models import AssessmentStatus
from assessments.navigation import back, form_error, overview_url, run_and_go_back
from assessments.scoring import latest_snapshot, snapshot_result
from assessments.selectors import reviews
from assessments.selectors import workflow as reads
from assessments.selectors.review_diff import review_diff
from assessments.services import workflow
from assessments.services.guards import UNDER_REVIEW, WorkflowError
from assessments.services.revisions import start_revision
from scorecard.scoring import format_score

# Kept importable from here until views/assignments.py and views/upgrade.py import it
# from assessments.navigation.


# --- submit and send back --------------------------------------------------------------------


@require_POST
@login_required
def assessment_submit(request, assessment_id):
    assessment, _ = get_assessment(request, assessment_id, "submit")
    return run_and_go_back(
        request,
        assessment,
        lambda: workflow.submit(assessment=assessment, user=request.user),
        "Submitted for review. Reviewers can now comment.",
    )


@require_POST
@login_required
def assessment_return(request, assessment_id):
    assessment, _ = get_assessment(request, assessment_id, "review")
    form = ReturnToDraftForm(request.POST)
    if not form.is_valid():
        form_error(request, form)
        return back(request, assessment)
    return run_and_go_back(
        request,
        assessment,
        lambda: workflow.return_to_draft(
            assessment=assessment,
            user=request.user,
            message=form.cleaned_data["message"],
        ),
        "Returned to draft; your note is an open review comment.",
    )


# --- review comments -------------------------------------------------------------------------


@require_http_methods(["GET"])
@login_required
def assessment_review(request, assessment_id):
    """Every review thread of the assessment, in catalog order, general notes first; and
    what changed since the previous submission (`?changed=1`: the changed questions only)."""
    assessment, access = get_assessment(request, assessment_id, "view")
    page = reviews.review_page(assessment)
    diff = review_diff(assessment)
    only_changed = request.GET.get("changed") == "1"
    return render(
        request,
        "assessments/workflow/review.html",
        {
            "assessment": assessment,
            "access": access,
            "general": page.general,
            "questions": page.questions,
            "open_count": page.open_count,
            "return_form": ReturnToDraftForm(),
            "diff": diff,
            "only_changed": only_changed,
            "changes": diff.changed_rows if only_changed else diff.rows,
            "changed_count": len(diff.changed_rows),
            "workflow_summary": reads.workflow_summary(
                assessment, access, open_comments=page.open_count
            ),
        },
    )


@require_POST
@login_required
def review_comment_add(request, assessment_id, question_ref):
    assessment, _ = get_assessment(request, assessment_id, "review")
    question = reviews.commentable_question(assessment, question_ref)
    if question is None:
        raise Http404("No such question in this assessment's catalog.")
    form = CommentForm(request.POST)
    if not form.is_valid():
        form_error(request, form)
        return back(request, assessment)
    return run_and_go_back(
        request,
        assessment,
        lambda: workflow.add_comment(
            assessment=assessment,
            question=question,
            user=request.user,
            body=form.cleaned_data["body"],
        ),
        f"Comment added to {question.display_ref}.",
    )


def _comment(request, assessment_id, comment_id):
    """The comment of this assessment, for someone who may take part in review threads."""
    comment, assessment, _access = get_comment(
        request, comment_id, assessment_id=assessment_id, action="thread"
    )
    return assessment, comment


@require_POST
@login_required
def review_comment_reply(request, assessment_id, comment_id):
    assessment, comment = _comment(request, assessment_id, comment_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        form_error(request, form)
        return back(request, assessment)
    return run_and_go_back(
        request,
        assessment,
        lambda: workflow.reply(comment=comment, user=request.user, body=form.cleaned_data["body"]),
        "Reply added.",
    )


@require_POST
@login_required
def review_comment_resolve(request, assessment_id, comment_id):
    assessment, comment = _comment(request, assessment_id, comment_id)
    form = ResolveForm(request.POST)
    resolved = form.cleaned_data["resolved"] if form.is_valid() else True
    return run_and_go_back(
        request,
        assessment,
        lambda: workflow.resolve(comment=comment, user=request.user, resolved=resolved),
        "Marked resolved." if resolved else "Opened again.",
    )


# --- finalise, sign off, reopen --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def assessment_finalise(request, assessment_id):
    assessment, access = get_assessment(request, assessment_id, "finalise")
    if request.method == "POST":
        try:
            workflow.finalise(assessment=assessment, user=request.user)
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect(request.path)
        messages.success(request, "Finalised. The score is stored and the answers are frozen.")
        return redirect(overview_url(assessment))
    return render(
        request,
        "assessments/workflow/finalise.html",
        {
            "assessment": assessment,
            "access": access,
            "allowed": assessment.status in UNDER_REVIEW,
            "unresolved": list(reviews.open_threads(assessment)),
            "to_confirm": reads.answers_to_confirm(assessment),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def assessment_signoff(request, assessment_id):
    assessment, access = get_assessment(request, assessment_id, "signoff")
    form = SignOffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.sign_off(
                assessment=assessment,
                user=request.user,
                statement=form.cleaned_data["statement"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect(request.path)
        messages.success(request, "Signed off.")
        return redirect(overview_url(assessment))
    snapshot = latest_snapshot(assessment) if assessment.is_finalised else None
    result = snapshot_result(snapshot) if snapshot else None
    signoffs = reads.signoffs(assessment)
    return render(
        request,
        "assessments/workflow/signoff.html",
        {
            "assessment": assessment,
            "access": access,
            "form": form,
            "snapshot": snapshot,
            "overall": format_score(result.overall) if result else "",
            "tier": result.tier if result else "",
            "signoffs": signoffs,
            "already": any(
                s.user_id == request.user.pk and s.snapshot_id == getattr(snapshot, "pk", None)
                for s in signoffs
            ),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def assessment_reopen(request, assessment_id):
    assessment, access = get_assessment(request, assessment_id, "reopen")
    if request.method == "POST":
        try:
            new = start_revision(assessment=assessment, user=request.user)
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect(overview_url(assessment))
        messages.success(request, f"Revision {new.revision} started from the finalised answers.")
        return redirect(overview_url(new))
    successor = reads.successor(assessment)
    return render(
        request,
        "assessments/workflow/reopen.html",
        {
            "assessment": assessment,
            "access": access,
            "allowed": assessment.status == AssessmentStatus.FINALISED and successor is None,
            "successor": successor,
        },
    )
