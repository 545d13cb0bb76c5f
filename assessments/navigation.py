"""Where a view goes after a step, and how it reports the outcome: shared by the views of
every area, so that no view module imports another one."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from assessments.models import AssessmentFinalised
from assessments.services.guards import (
    FROZEN_UNTIL,
    AssessmentFrozen,
    WorkflowError,
    require_editable,
    require_not_frozen,
)

# The status of a write refused because of the assessment's status (finalised, or with its
# reviewers): the request was fine, the assessment is not in a state to take it.
REFUSED_STATUS = 409


def overview_url(assessment) -> str:
    """The assessment's overview page, where every workflow step starts and returns."""
    return reverse("assessment_detail", kwargs={"assessment_id": assessment.pk})


def back(request: HttpRequest, assessment) -> HttpResponse:
    """Return to the page the form was on (a local `next`), else the overview."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(overview_url(assessment))


def run_and_go_back(
    request: HttpRequest, assessment, step: Callable[[], object], success: str
) -> HttpResponse:
    """Run one workflow step; report its refusal or `success`, then return to the page."""
    try:
        step()
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return back(request, assessment)


def form_error(request: HttpRequest, form) -> None:
    """Every error of an invalid form as a message (the forms post from other pages)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def refusal(request: HttpRequest, assessment, message: str, status: int = REFUSED_STATUS):
    """The "Not saved" page: why nothing was written, and the way back to the assessment."""
    return render(
        request,
        "assessments/refused.html",
        {"assessment": assessment, "message": message},
        status=status,
    )


def edit_refusal(
    request: HttpRequest, assessment, *, finalised_too: bool = True, until: str = FROZEN_UNTIL
) -> HttpResponse | None:
    """The refusal page when the assessment takes no changes now, else None. Views call it
    before reading the form, so a frozen assessment says so whatever was posted; the
    services check again on the locked row."""
    check = require_editable if finalised_too else require_not_frozen
    try:
        check(assessment, until=until)
    except (AssessmentFinalised, AssessmentFrozen) as error:
        return refusal(request, assessment, error.message)
    return None
