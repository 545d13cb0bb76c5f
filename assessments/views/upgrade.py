"""Moving an assessment to another published version of its framework.

GET without a target lists the versions it can move to; GET with `?target=<id>` shows
what would change; POST applies exactly that plan (its fingerprint must still match).
Owners only: the catalog version decides what the whole team answers.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessments.access import get_assessment
from assessments.forms.workflow import UpgradeForm
from assessments.navigation import edit_refusal, refusal
from assessments.selectors.workflow import upgrade_targets
from assessments.services.guards import UNDER_REVIEW, AssessmentFrozen, frozen_message
from assessments.services.upgrade import (
    UpgradeError,
    apply_upgrade,
    plan_upgrade,
)
from scorecard.models import Framework

# Changing the catalog version is an owner's decision, like starting a new revision.
ACTION = "upgrade"


def _target(raw) -> Framework | None:
    try:
        return Framework.objects.filter(pk=int(raw)).first()
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
@login_required
def assessment_upgrade(request, assessment_id):
    assessment, access = get_assessment(request, assessment_id, ACTION)
    context = {"assessment": assessment, "access": access, "plan": None, "error": ""}
    if assessment.status in UNDER_REVIEW:
        if request.method == "POST":
            return edit_refusal(request, assessment, finalised_too=False)
        # With its reviewers: say so, and offer no version to move to.
        context["frozen"] = frozen_message(assessment)
        return render(request, "assessments/workflow/upgrade.html", context)
    status = 200
    if request.method == "POST":
        form = UpgradeForm(request.POST)
        target = _target(request.POST.get("target"))
        if form.is_valid() and target is not None:
            try:
                apply_upgrade(
                    assessment=assessment,
                    target=target,
                    user=request.user,
                    fingerprint=form.cleaned_data["fingerprint"],
                )
            except AssessmentFrozen as error:
                return refusal(request, assessment, error.message)
            except UpgradeError as error:
                if error.code != "stale":
                    messages.error(request, error.message)
                    return redirect(request.path)
                # The answers moved on: show the plan as it stands now.
                context["error"] = error.message
                status = 409
            else:
                messages.success(request, f"Moved to {target}.")
                return redirect("assessment_detail", assessment_id=assessment.pk)
        else:
            context["error"] = "Choose a catalog version and review the plan first."
            status = 400
    else:
        target = _target(request.GET.get("target")) if "target" in request.GET else None
        if "target" in request.GET and target is None:
            context["error"] = "There is no such catalog version."
            status = 400
    if target is not None and (not context["error"] or status == 409):
        try:
            plan = plan_upgrade(assessment=assessment, target=target)
        except UpgradeError as error:
            context["error"] = error.message
            status = 400
        else:
            context["plan"] = plan
            context["form"] = UpgradeForm(
                initial={"target": target.pk, "fingerprint": plan.fingerprint}
            )
    if context["plan"] is None and not assessment.is_finalised:
        context["targets"] = upgrade_targets(assessment)
    return render(request, "assessments/workflow/upgrade.html", context, status=status)
