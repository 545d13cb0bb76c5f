"""The organisation's assessments: the list, starting one, its scope and its overview."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from assessments.access import get_assessment, require_current_access
from assessments.forms.start import (
    AssessmentFilterForm,
    DescriptionForm,
    ScopingForm,
    StartForm,
    StartFromForm,
)
from assessments.models import AISystem, Answer, Assessment, AssessmentFinalised
from assessments.navigation import edit_refusal, refusal
from assessments.scoring import current_result, engine_answers, results_for
from assessments.selectors.lists import frameworks_in_use, organisation_assessments
from assessments.selectors.progress import assessment_progress
from assessments.selectors.questionnaire import page_layout
from assessments.selectors.scope import scope_explanation
from assessments.selectors.start import published_frameworks, published_versions, scoping_rows
from assessments.selectors.workflow import workflow_summary
from assessments.services import start as start_service
from assessments.services.guards import UNDER_REVIEW, AssessmentFrozen, frozen_message
from assessments.services.start import START_FROM_UNTIL
from scorecard import scoring
from scorecard.loader import load_catalog
from scorecard.models import Persona

PAGE_SIZE = 25
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Row:
    assessment: Assessment
    result: scoring.Result | None

    @property
    def score(self) -> str:
        return scoring.format_score(self.result.overall if self.result else None)

    @property
    def completeness(self) -> str:
        return scoring.format_score(self.result.completeness if self.result else None)

    @property
    def tier(self) -> str:
        return (self.result.tier if self.result else None) or "—"


@require_GET
@login_required
def assessment_list(request):
    access = require_current_access(request, "view")
    form = AssessmentFilterForm(
        request.GET or None, frameworks=frameworks_in_use(access.organisation)
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    assessments = organisation_assessments(
        request.user,
        access,
        q=filters.get("q") or "",
        status=filters.get("status") or "",
        framework=filters.get("framework"),
    )
    paginator = Paginator(assessments, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    results = results_for(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/list.html",
        {
            "access": access,
            "form": form,
            "page": page,
            "rows": [Row(a, results.get(a.pk)) for a in page.object_list],
            "query": query.urlencode(),
            "can_create": access.can("create"),
        },
    )


def _description(data: dict) -> start_service.Description:
    return start_service.Description(
        title=data["title"],
        purpose=data.get("purpose", ""),
        system_owner=data.get("system_owner", ""),
        deployment_stage=data["deployment_stage"],
    )


def _preselected(systems, system_id: str | None):
    """The system named by `?system=` (from its page) when it is one of `systems`; an id of
    another organisation's system, or a malformed one, preselects nothing."""
    if not system_id:
        return None
    try:
        return systems.filter(pk=system_id).values_list("pk", flat=True).first()
    except (ValueError, ValidationError):
        return None


@require_http_methods(["GET", "POST"])
@login_required
def assessment_start(request):
    access = require_current_access(request, "create")
    systems = AISystem.objects.for_organisation(access.organisation).order_by("name", "pk")
    form = StartForm(
        request.POST or None,
        frameworks=published_frameworks(),
        systems=systems,
        initial={"system": _preselected(systems, request.GET.get("system"))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = start_service.start_assessment(
                organisation=access.organisation,
                user=request.user,
                framework=form.cleaned_data["framework"],
                description=_description(form.cleaned_data),
                system=form.cleaned_data["system"],
            )
        except ValidationError as exc:
            form.add_error("framework", exc)
        else:
            messages.success(request, "Assessment started. Now choose the scope.")
            return redirect("assessment_scoping", assessment_id=assessment.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "assessments/start.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def assessment_scoping(request, assessment_id):
    assessment, access = get_assessment(request, assessment_id, "answer")
    personas, questions = scoping_rows(assessment.framework)
    if request.method == "POST" and (locked := edit_refusal(request, assessment)):
        return locked
    if request.method == "GET":
        description = DescriptionForm(instance=assessment)
        scoping = ScopingForm(
            personas=personas,
            questions=questions,
            initial=ScopingForm.initial_for(assessment, questions),
        )
        return _scoping_page(request, assessment, access, description, scoping)

    description = DescriptionForm(request.POST, instance=Assessment(framework=assessment.framework))
    scoping = ScopingForm(request.POST, personas=personas, questions=questions)
    if not (description.is_valid() and scoping.is_valid()):
        return _scoping_page(request, assessment, access, description, scoping, status=400)
    answers = scoping.scoping()
    if request.POST.get("action") == "propose":
        # Show the proposal; nothing is saved until the team confirms it.
        data = request.POST.copy()
        data.setlist("personas", start_service.propose_personas(answers))
        scoping = ScopingForm(data, personas=personas, questions=questions)
        scoping.is_valid()
        return _scoping_page(request, assessment, access, description, scoping, proposed=True)
    try:
        start_service.update_scope(
            assessment=assessment,
            user=request.user,
            description=_description(description.cleaned_data),
            scoping=answers,
            personas=scoping.cleaned_data["personas"],
        )
    except (AssessmentFinalised, AssessmentFrozen) as exc:
        return refusal(request, assessment, exc.message)
    except ValidationError as exc:
        scoping.add_error("personas", exc)
        return _scoping_page(request, assessment, access, description, scoping, status=400)
    messages.success(request, "Scope saved.")
    return redirect("assessment_detail", assessment_id=assessment.pk)


def _scoping_page(request, assessment, access, description, scoping, status=200, proposed=False):
    return render(
        request,
        "assessments/scoping.html",
        {
            "assessment": assessment,
            "access": access,
            "description_form": description,
            "scoping_form": scoping,
            "proposed": proposed,
            "frozen": frozen_message(assessment) if assessment.status in UNDER_REVIEW else "",
            "read_only": assessment.is_finalised or assessment.status in UNDER_REVIEW,
            "explanation": scope_explanation(assessment),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def assessment_start_from(request, assessment_id):
    previous, access = get_assessment(request, assessment_id, "create")
    if request.method == "POST" and (
        locked := edit_refusal(request, previous, finalised_too=False, until=START_FROM_UNTIL)
    ):
        return locked
    form = StartFromForm(
        request.POST or None,
        frameworks=published_versions(previous.framework.slug),
        initial={"title": previous.title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            carried = start_service.start_from_previous(
                previous=previous,
                user=request.user,
                framework=form.cleaned_data["framework"],
                title=form.cleaned_data["title"],
            )
        except AssessmentFrozen as exc:
            return refusal(request, previous, exc.message)
        except ValidationError as exc:
            form.add_error("framework", exc)
        else:
            text = (
                f"Started from {previous.title}: {carried.answers} answers and "
                f"{carried.evidence} pieces of evidence carried over. Please confirm each one."
            )
            if carried.dropped:
                text += (
                    f" {len(carried.dropped)} answers no longer fit the catalog and were left out."
                )
            messages.success(request, text)
            return redirect("assessment_detail", assessment_id=carried.assessment.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "assessments/start_from.html",
        {
            "previous": previous,
            "access": access,
            "form": form,
            "frozen": frozen_message(previous, START_FROM_UNTIL)
            if previous.status in UNDER_REVIEW
            else "",
        },
        status=status,
    )


@dataclass(frozen=True)
class DomainRow:
    ref: str
    name: str
    url: str
    score: str
    answered: int
    total: int
    applicable: bool


@require_GET
@login_required
def assessment_detail(request, assessment_id):
    assessment, access = get_assessment(request, assessment_id, "view")
    stored = engine_answers(assessment)
    result = current_result(assessment, stored)
    catalog = load_catalog(assessment.framework)
    _, progress = assessment_progress(assessment, stored, result.scope)
    domains = []
    for domain in catalog.domains:
        node = result.domains.get(domain.id)
        domains.append(
            DomainRow(
                ref=domain.id,
                name=domain.name,
                url=reverse("questionnaire_page", args=[assessment.pk, domain.id]),
                score=scoring.format_score(node.score if node else None),
                answered=progress[domain.id].answered,
                total=progress[domain.id].total,
                applicable=bool(page_layout(domain, result.scope).controls),
            )
        )
    unfinished = next((d for d in domains if d.applicable and d.answered < d.total), None)
    next_domain = unfinished or next((d for d in domains if d.applicable), None)
    persona_names = dict(
        Persona.objects.filter(framework=assessment.framework).values_list("ref", "name")
    )
    to_confirm = Answer.objects.filter(assessment=assessment, carried_over=True).count()
    summary = workflow_summary(assessment, access)
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "access": access,
            "result": result,
            "score": scoring.format_score(result.overall),
            "completeness": scoring.format_score(result.completeness),
            "domains": domains,
            "next_domain": next_domain,
            "all_answered": unfinished is None,
            "personas": [persona_names.get(ref, ref) for ref in assessment.personas or []],
            "to_confirm": to_confirm,
            "editable": "answer" in summary.actions,
            "frozen": frozen_message(assessment) if assessment.status in UNDER_REVIEW else "",
            "workflow_summary": summary,
        },
    )
