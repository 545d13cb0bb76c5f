"""The organisation's members, invitations and audit log, and switching organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.access import (
    Access,
    auditor_scope,
    get_invitation,
    get_membership,
    membership_in,
    require_current_access,
    switch_organisation,
)
from assessments.forms.accounts import AuditFilterForm, InviteForm, MemberRoleForm
from assessments.models import Assessment, AuditEvent, Invitation, Membership, Role
from assessments.selectors.audit import audit_actions, audit_events
from assessments.services import accounts as service

AUDIT_PAGE_SIZE = 50


@require_POST
@login_required
def org_switch(request):
    access = switch_organisation(request, request.POST.get("organisation", ""))
    messages.info(request, f"You are now working in {access.organisation.name}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "home"
    return redirect(target)


def _members_page(request, access, *, role_errors=None, status=200):
    organisation = access.organisation
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .prefetch_related(Prefetch("limited_to", queryset=Assessment.objects.order_by("title")))
        .order_by("user__email")
    )
    manage = access.can("manage_members")
    # An auditor limited to named assessments must not learn the titles of the others from
    # this page: other members' limits are shown to them only as "limited", without titles.
    limited_viewer = auditor_scope(access) is not None
    rows = []
    for membership in memberships:
        limits = list(membership.limited_to.all())
        hidden = limited_viewer and bool(limits) and membership.pk != access.membership.pk
        rows.append(
            {
                "membership": membership,
                "prefix": f"m{membership.pk}",
                "limited": [] if hidden else limits,
                "limits_hidden": hidden,
            }
        )
    invitations, assessments = [], []
    if manage:
        # Loaded once for every row's checkboxes (one form per row would query per row).
        assessments = list(
            Assessment.objects.for_organisation(organisation).order_by("title").only("title")
        )
        invitations = Invitation.objects.filter(
            organisation=organisation,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).select_related("invited_by")
    context = {
        "access": access,
        "organisation": organisation,
        "rows": rows,
        "manage": manage,
        "invitations": invitations,
        "assessments": assessments,
        "roles": Role.choices,
        "role_errors": role_errors or [],
    }
    return render(request, "accounts/members.html", context, status=status)


@require_GET
@login_required
def org_members(request):
    access = require_current_access(request, "view")
    return _members_page(request, access)


@require_POST
@login_required
def member_role(request, membership_id: int):
    membership, access = get_membership(request, membership_id, "manage_members")
    form = MemberRoleForm(
        request.POST, organisation=membership.organisation, prefix=f"m{membership.pk}"
    )
    if not form.is_valid():
        errors = [f"{membership.user.email}: {e}" for e in _flatten(form.errors)]
        return _members_page(request, access, role_errors=errors, status=400)
    try:
        service.change_role(
            membership=membership,
            role=form.cleaned_data["role"],
            limited_to=form.cleaned_data["limited_to"],
            actor=request.user,
        )
    except service.NoLongerOwnerError as error:
        return _no_longer_owner(request, membership.organisation, error)
    except ValidationError as error:
        return _members_page(request, access, role_errors=error.messages, status=400)
    messages.success(request, f"{membership.user.email} is now {form.cleaned_data['role']}.")
    return redirect("org_members")


@require_POST
@login_required
def member_remove(request, membership_id: int):
    membership, access = get_membership(request, membership_id, "manage_members")
    try:
        service.remove_member(membership=membership, actor=request.user)
    except service.NoLongerOwnerError as error:
        return _no_longer_owner(request, membership.organisation, error)
    except ValidationError as error:
        return _members_page(request, access, role_errors=error.messages, status=400)
    messages.success(request, f"{membership.user.email} was removed from the organisation.")
    if membership.user_id == request.user.pk:
        return redirect("home")
    return redirect("org_members")


@require_http_methods(["GET", "POST"])
@login_required
def invite(request):
    access = require_current_access(request, "manage_members")
    form = InviteForm(request.POST or None, organisation=access.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = service.invite(
                organisation=access.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                limited_to=list(form.cleaned_data["limited_to"]),
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}; the link works once and expires "
                f"on {invitation.expires_at:%d %B %Y}.",
            )
            return redirect("org_members")
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "organisation": access.organisation},
    )


@require_POST
@login_required
def invitation_revoke(request, invitation_id: int):
    invitation, access = get_invitation(request, invitation_id, "manage_members")
    try:
        service.revoke_invitation(invitation=invitation, actor=request.user)
    except ValidationError as error:
        return _members_page(request, access, role_errors=error.messages, status=400)
    messages.success(request, f"The invitation of {invitation.email} was withdrawn.")
    return redirect("org_members")


@require_GET
@login_required
def audit_log(request):
    access = require_current_access(request, "audit_log")
    form = AuditFilterForm(request.GET or None, actions=audit_actions(access))
    status = 200 if not form.is_bound or form.is_valid() else 400
    action = form.cleaned_data["action"] if form.is_bound and status == 200 else ""
    events = audit_events(access, action=action) if status == 200 else AuditEvent.objects.none()
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "organisation": access.organisation,
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "accounts/audit_log.html", context, status=status)


def _no_longer_owner(request, organisation, error: ValidationError):
    # Someone else changed this person's role while the request waited: redraw the page
    # for the role they have now, so it no longer offers controls they lost.
    membership = membership_in(request.user, organisation)
    if membership is None:
        messages.error(request, error.messages[0])
        return redirect("home")
    access = Access(organisation, membership)
    return _members_page(request, access, role_errors=error.messages, status=409)


def _flatten(errors) -> list[str]:
    return [message for messages_ in errors.values() for message in messages_]
