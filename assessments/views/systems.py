"""The AI system inventory: the list, a system's page, creating and editing, its history,
and proposals (assessors propose, owners accept or decline)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.access import (
    get_proposal,
    get_system,
    require_current_access,
    visible_assessments,
)
from assessments.forms.systems import DeclineForm, ProposalForm, SystemForm
from assessments.models.systems import TERM_LIST_FIELDS
from assessments.selectors.systems import (
    FIELD_LABELS,
    inventory,
    member_choices,
    pending_proposals,
    proposal_view,
    system_assessments,
    system_history,
    system_vocabulary,
)
from assessments.services import proposals as proposal_service
from assessments.services import systems as service
from scorecard.catalog import autonomy


def web_link(url: str) -> str | None:
    """The address when it is safe to link (http or https), else None: shown as text."""
    return url if url.lower().startswith(("http://", "https://")) else None


@require_GET
@login_required
def system_list(request):
    access = require_current_access(request, "view")
    vocab = system_vocabulary()
    return render(
        request,
        "systems/list.html",
        {
            "access": access,
            "rows": inventory(access.organisation, vocab),
            "new_proposals": pending_proposals(access.organisation),
            "can_manage": access.can("manage_systems"),
            "can_propose": access.can("propose_systems"),
        },
    )


@require_GET
@login_required
def system_detail(request, system_id):
    system, access = get_system(request, system_id, "view")
    vocab = system_vocabulary()
    terms = [(FIELD_LABELS[n], vocab.shown(n, getattr(system, n))) for n in TERM_LIST_FIELDS]
    return render(
        request,
        "systems/detail.html",
        {
            "access": access,
            "system": system,
            "terms": terms,
            "level": system.autonomy,
            "levels": autonomy.LEVELS,
            "links": [
                ("Repository", system.repository_url, web_link(system.repository_url)),
                ("Model card", system.model_card_url, web_link(system.model_card_url)),
            ],
            "assessments": system_assessments(system, visible_assessments(request.user)),
            "proposals": pending_proposals(access.organisation, system),
            "can_manage": access.can("manage_systems"),
            "can_propose": access.can("propose_systems"),
            "can_start": access.can("create"),
        },
    )


def system_form(request, access, form_class=SystemForm, stored: dict | None = None):
    """The system form for this organisation, bound on POST, filled from `stored` on GET."""
    return form_class(
        request.POST or None,
        vocab=system_vocabulary(),
        members=member_choices(access.organisation),
        stored=stored,
        initial=form_class.initial_for(stored) if stored else None,
    )


def form_page(request, form, *, title: str, intro: str, submit: str, system=None):
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "title": title, "intro": intro, "submit": submit, "system": system}
    return render(request, "systems/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def system_create(request):
    access = require_current_access(request, "manage_systems")
    form = system_form(request, access)
    if request.method == "POST" and form.is_valid():
        try:
            system = service.create_system(organisation=access.organisation, record=form.record())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{system.name} added to the inventory.")
            return redirect("system_detail", system_id=system.pk)
    return form_page(
        request,
        form,
        title="Add an AI system",
        intro="Describe the system in the terms of the published catalogs.",
        submit="Add the system",
    )


@require_http_methods(["GET", "POST"])
@login_required
def system_edit(request, system_id):
    system, access = get_system(request, system_id, "manage_systems")
    form = system_form(request, access, stored=system.as_record())
    if request.method == "POST" and form.is_valid():
        try:
            change = service.update_system(system=system, record=form.record())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if change is None:
                messages.info(request, "Nothing changed: nothing was recorded.")
            else:
                messages.success(request, "Saved. The change is in the system's history.")
            return redirect("system_detail", system_id=system.pk)
    return form_page(
        request,
        form,
        title=f"Edit {system.name}",
        intro="Every change is kept in the system's history.",
        submit="Save",
        system=system,
    )


@require_GET
@login_required
def system_history_page(request, system_id):
    system, access = get_system(request, system_id, "view")
    return render(
        request,
        "systems/history.html",
        {
            "access": access,
            "system": system,
            "entries": system_history(system, system_vocabulary()),
        },
    )


def _propose_page(request, access, system=None, *, title: str, intro: str):
    """The proposal form of a new system (`system` None) or of a change to one; a valid
    post records the proposal and opens it, an invalid one shows the form's errors."""
    stored = system.as_record() if system is not None else None
    form = system_form(request, access, ProposalForm, stored=stored)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_service.propose_system_change(
                organisation=access.organisation,
                system=system,
                record=form.record(),
                note=form.cleaned_data.get("note") or "",
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Proposed. An owner of the organisation decides on it.")
            return redirect("proposal_detail", proposal_id=proposal.pk)
    return form_page(request, form, title=title, intro=intro, submit="Propose", system=system)


@require_http_methods(["GET", "POST"])
@login_required
def system_propose_new(request):
    access = require_current_access(request, "propose_systems")
    return _propose_page(
        request,
        access,
        title="Propose a new AI system",
        intro="An owner adds it to the inventory when they accept your proposal.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def system_propose(request, system_id):
    system, access = get_system(request, system_id, "propose_systems")
    return _propose_page(
        request,
        access,
        system,
        title=f"Propose a change to {system.name}",
        intro="Nothing changes until an owner accepts your proposal.",
    )


def _proposal_page(request, proposal, access, decline_form=None, status=200):
    can_decide = proposal.is_pending and access.can("manage_systems")
    return render(
        request,
        "systems/proposal.html",
        {
            "access": access,
            "view": proposal_view(proposal, system_vocabulary()),
            "proposal": proposal,
            "can_decide": can_decide,
            "can_withdraw": proposal.is_pending and proposal.proposed_by_id == request.user.pk,
            "decline_form": decline_form or (DeclineForm() if can_decide else None),
        },
        status=status,
    )


@require_GET
@login_required
def proposal_detail(request, proposal_id):
    proposal, access = get_proposal(request, proposal_id, "view")
    return _proposal_page(request, proposal, access)


@require_POST
@login_required
def proposal_accept(request, proposal_id):
    proposal, access = get_proposal(request, proposal_id, "manage_systems")
    try:
        system = proposal_service.accept_proposal(proposal=proposal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("proposal_detail", proposal_id=proposal.pk)
    messages.success(request, f"Accepted: {system.name} now holds the proposed record.")
    return redirect("system_detail", system_id=system.pk)


@require_POST
@login_required
def proposal_decline(request, proposal_id):
    proposal, access = get_proposal(request, proposal_id, "manage_systems")
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, proposal, access, form, status=400)
    try:
        proposal_service.decline_proposal(proposal=proposal, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Declined. The proposer sees your note.")
    return redirect("proposal_detail", proposal_id=proposal.pk)


@require_POST
@login_required
def proposal_withdraw(request, proposal_id):
    proposal, _ = get_proposal(request, proposal_id, "propose_systems")
    if proposal.proposed_by_id != request.user.pk:
        raise PermissionDenied("Only the person who made a proposal may withdraw it.")
    try:
        proposal_service.withdraw_proposal(proposal=proposal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Withdrawn.")
    return redirect("proposal_detail", proposal_id=proposal.pk)
