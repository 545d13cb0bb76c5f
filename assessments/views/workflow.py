"""Views of the review workflow: submit, comment, reply, resolve, finalise, sign off, reopen.

Each view fetches the assessment through the access helpers (404 for other
organisations, 403 for a role without the action) and calls one service, which checks
role and status again. A transition that is not possible now ends in a redirect with an
error message, and nothing is changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from assessments.access import get_assessment
from assessments.forms.workflow import (
    CommentForm,
    ReplyForm,
    ResolveForm,
    ReturnToDraftForm,
    SignOffForm,
)
from assessments.models import Answer, AssessmentStatus, ReviewComment, SignOff
from assessments.scoring import latest_snapshot, snapshot_result
from assessments.services import workflow
from assessments.services.workflow import WorkflowError
from scorecard.models import Question
from scorecard.scoring import format_score


def overview_url(assessment) -> str:
    """The assessment's overview page (part of the questionnaire area), else its review page."""
    try:
        return reverse("assessment_detail", kwargs={"assessment_id": assessment.pk})
    except NoReverseMatch:
        return reverse("assessment_review", kwargs={"assessment_id": assessment.pk})


def back(request: HttpRequest, assessment) -> HttpResponse:
    """Return to the page the form was on (a local `next`), else the overview."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(overview_url(assessment))


def run_and_go_back(request: HttpRequest, assessment, step, success: str) -> HttpResponse:
    """Run one workflow step; report its refusal or `success`, then return to the page."""
    try:
        step()
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return back(request, assessment)


def form_error(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


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
    """Every review thread of the assessment, in catalog order, general notes first."""
    assessment, access = get_assessment(request, assessment_id, "view")
    threads = workflow.review_threads(assessment)
    general = threads.pop(None, [])
    questions = list(
        Question.objects.filter(pk__in=threads)
        .select_related("control__domain")
        .order_by("framework_id", "control__domain__position", "control__position", "position")
    )
    for question in questions:
        question.review_comments = threads[question.pk]
        question.in_catalog = question.framework_id == assessment.framework_id
    open_count = sum(
        not comment.resolved for comments in [general, *threads.values()] for comment in comments
    )
    return render(
        request,
        "assessments/workflow/review.html",
        {
            "assessment": assessment,
            "access": access,
            "general": general,
            "questions": questions,
            "open_count": open_count,
            "return_form": ReturnToDraftForm(),
        },
    )


@require_POST
@login_required
def review_comment_add(request, assessment_id, question_ref):
    assessment, _ = get_assessment(request, assessment_id, "review")
    # Only a question of the assessment's own catalog version can be commented on.
    question = get_object_or_404(Question, framework_id=assessment.framework_id, ref=question_ref)
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
        f"Comment added to {question.ref}.",
    )


def _comment(request, assessment_id, comment_id):
    """The comment of this assessment, for someone who may take part in review threads."""
    assessment, _access = get_assessment(request, assessment_id, "thread")
    comment = (
        ReviewComment.objects.filter(pk=comment_id, assessment=assessment)
        .select_related("assessment")
        .first()
    )
    if comment is None:
        raise Http404("No such comment on this assessment.")
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
    answers = Answer.objects.filter(assessment=assessment).aggregate(
        to_confirm=Count("pk", filter=Q(carried_over=True))
    )
    return render(
        request,
        "assessments/workflow/finalise.html",
        {
            "assessment": assessment,
            "access": access,
            "allowed": assessment.status in workflow.UNDER_REVIEW,
            "unresolved": list(workflow.unresolved_comments(assessment)),
            "to_confirm": answers["to_confirm"],
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
    signoffs = SignOff.objects.filter(assessment=assessment).select_related("user", "snapshot")
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
            new = workflow.reopen(assessment=assessment, user=request.user)
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect(overview_url(assessment))
        messages.success(request, f"Revision {new.revision} started from the finalised answers.")
        return redirect(overview_url(new))
    successor = assessment.successors.order_by("revision").first()
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
