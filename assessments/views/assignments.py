"""Handing domains to members, and each person's list of work across organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from assessments.access import get_assessment, role_allows, visible_assessments
from assessments.forms.workflow import AssignmentForm
from assessments.models import AssessmentStatus, DomainAssignment, Membership, ReviewComment
from assessments.navigation import edit_refusal, refusal
from assessments.selectors.progress import domain_progress
from assessments.services.assignments import (
    assign_domains,
    assignable_members,
    top_level_domains,
)
from assessments.services.guards import (
    UNDER_REVIEW,
    AssessmentFrozen,
    WorkflowError,
    frozen_message,
)


@require_http_methods(["GET", "POST"])
@login_required
def assessment_assign(request, assessment_id):
    assessment, access = get_assessment(request, assessment_id, "assign")
    if request.method == "POST" and (
        locked := edit_refusal(request, assessment, finalised_too=False)
    ):
        return locked
    domains = top_level_domains(assessment.framework)
    members = assignable_members(assessment)
    current = dict(
        DomainAssignment.objects.filter(assessment=assessment).values_list(
            "domain_id", "assignee_id"
        )
    )
    form = AssignmentForm(
        request.POST if request.method == "POST" else None,
        domains=domains,
        members=members,
        current=current,
    )
    if request.method == "POST" and form.is_valid():
        try:
            assign_domains(
                assessment=assessment,
                user=request.user,
                assignments=form.assignments(),
            )
        except AssessmentFrozen as error:
            return refusal(request, assessment, error.message)
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Assignments saved.")
        return redirect(request.path)
    rows = [(domain, form[AssignmentForm.field_name(domain)]) for domain in domains]
    return render(
        request,
        "assessments/workflow/assign.html",
        {
            "assessment": assessment,
            "access": access,
            "form": form,
            "rows": rows,
            "frozen": frozen_message(assessment) if assessment.status in UNDER_REVIEW else "",
        },
        status=400 if form.is_bound else 200,
    )


def _domain_url(row: DomainAssignment) -> str:
    return reverse(
        "questionnaire_page",
        kwargs={"assessment_id": row.assessment_id, "domain_ref": row.domain.ref},
    )


@require_GET
@login_required
def my_work(request):
    """Domains assigned to me, assessments awaiting my review, comments awaiting my reply.

    Across every organisation I belong to, and only what the access rules let me see.
    A fixed number of queries, whatever the amount of work.
    """
    user = request.user
    visible = visible_assessments(user)
    roles = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))

    def orgs(action: str) -> list[int]:
        return [org for org, role in roles.items() if role_allows(role, action)]

    open_visible = visible.exclude(status=AssessmentStatus.FINALISED)
    assigned = list(
        DomainAssignment.objects.filter(
            assignee=user,
            assessment_id__in=open_visible.filter(organisation_id__in=orgs("answer")).values("pk"),
        )
        .select_related(
            "assessment__organisation", "assessment__framework", "assessment__system", "domain"
        )
        .order_by("assessment__organisation__name", "assessment__title", "domain__position")
    )
    progress = domain_progress((row.assessment, row.domain) for row in assigned)
    for row in assigned:
        row.progress = progress[(row.assessment_id, row.domain_id)]
        row.url = _domain_url(row)

    to_review = list(
        visible.filter(organisation_id__in=orgs("review"), status__in=UNDER_REVIEW)
        .select_related("organisation", "framework")
        .order_by("submitted_at", "title")
    )

    last_author = Subquery(
        ReviewComment.objects.filter(parent=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("author_id")[:1]
    )
    awaiting_reply = list(
        ReviewComment.objects.filter(
            parent__isnull=True,
            resolved=False,
            assessment_id__in=open_visible.filter(organisation_id__in=orgs("reply")).values("pk"),
        )
        .exclude(author=user)
        .annotate(last_author=last_author)
        # Answered by me and nobody has written since: not waiting for me any more.
        .filter(Q(last_author__isnull=True) | ~Q(last_author=user.pk))
        .select_related("assessment__organisation", "question", "author")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "assessments/workflow/my_work.html",
        {"assigned": assigned, "to_review": to_review, "awaiting_reply": awaiting_reply},
    )
