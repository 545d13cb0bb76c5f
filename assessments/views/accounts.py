"""Accepting invitations, and Django's password views with audit records added."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assessments.access import SESSION_ORGANISATION
from assessments.audit import Action, record
from assessments.forms.accounts import NewAccountForm
from assessments.models import User
from assessments.services import accounts as service

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login_key(request, credentials: dict | None = None) -> str | None:
    """The account a login attempt is counted against (django-axes' AXES_USERNAME_CALLABLE).

    E-mail addresses log in case-insensitively, so every spelling of one address must
    share one failure counter; otherwise each new capitalisation buys more guesses.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get("username") if source else None
    key = str(value).strip().lower() if value is not None else ""
    return key or None


def _invalid(request, error: service.InvitationInvalid, status: int):
    return render(
        request, "accounts/invitation_invalid.html", {"reason": error.reason}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """One link for three situations: a new person, a known account, a logged-in user."""
    try:
        invitation = service.find_invitation(token=token)
    except service.InvitationInvalid as error:
        return _invalid(request, error, 410 if error.gone else 404)
    context = {"invitation": invitation, "organisation": invitation.organisation}

    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            context["wrong_account"] = True
            return render(request, "accounts/invitation_accept.html", context, status=403)
        if request.method == "POST":
            return _joined(request, invitation, request.user)
        return render(request, "accounts/invitation_accept.html", context)

    if User.objects.filter(email__iexact=invitation.email).exists():
        # The account may have been created a moment ago by someone accepting this very
        # link; read it again so that the loser of that race hears "already used".
        try:
            service.find_invitation(token=token)
        except service.InvitationInvalid as error:
            return _invalid(request, error, 410 if error.gone else 404)
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        context["existing_account"] = True
        return render(request, "accounts/invitation_accept.html", context)

    form = NewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = service.register_and_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
            )
        except service.InvitationInvalid as error:
            # Also the answer to whoever loses a race for the same link: "already used".
            return _invalid(request, error, 410 if error.gone else 409)
        login(request, user, backend=MODEL_BACKEND)
        request.session[SESSION_ORGANISATION] = invitation.organisation_id
        messages.success(request, f"Welcome to {invitation.organisation.name}.")
        return redirect("home")
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)


def _joined(request, invitation, user):
    try:
        membership = service.accept_invitation(invitation=invitation, user=user)
    except service.InvitationInvalid as error:
        return _invalid(request, error, 410 if error.gone else 403)
    request.session[SESSION_ORGANISATION] = membership.organisation_id
    messages.success(
        request,
        f"You joined {membership.organisation.name} as {membership.get_role_display().lower()}.",
    )
    return redirect("home")


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(Action.PASSWORD_CHANGED, summary="Changed their password")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        # Whether the address has an account is not revealed to the requester, only logged.
        email = form.cleaned_data["email"].strip().lower()
        record(
            Action.PASSWORD_RESET_REQUESTED,
            summary=f"Password reset requested for {email}",
            data={"email": email},
        )
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            Action.PASSWORD_RESET,
            actor=form.user,
            summary="Set a new password through a reset link",
        )
        return response
