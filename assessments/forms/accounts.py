"""Forms of the accounts area. They validate and return clean data; services act on it."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation

from assessments.models import Assessment, Role, User


class AuditorLimitMixin(forms.Form):
    """A role and, for auditors, the named assessments they may see (empty: all)."""

    limited_to = forms.ModelMultipleChoiceField(
        queryset=Assessment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Limit an auditor to these assessments",
        help_text="Auditors only. Leave empty to let the auditor see every assessment.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this organisation's assessments are valid choices: another organisation's
        # id in a tampered form is rejected as an invalid choice.
        self.fields["limited_to"].queryset = Assessment.objects.for_organisation(
            organisation
        ).order_by("title")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("limited_to") and cleaned.get("role") != Role.AUDITOR:
            self.add_error("limited_to", "Only auditors can be limited to named assessments.")
        return cleaned


class InviteForm(AuditorLimitMixin):
    email = forms.EmailField(label="E-mail address", max_length=254)
    role = forms.ChoiceField(
        choices=Role.choices,
        help_text="Owners manage members; assessors answer and submit; viewers read; "
        "auditors review, comment, sign off and export.",
    )
    field_order = ["email", "role", "limited_to"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class MemberRoleForm(AuditorLimitMixin):
    role = forms.ChoiceField(
        choices=Role.choices, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    field_order = ["role", "limited_to"]


class NewAccountForm(forms.Form):
    """Sets up the account an invitation was sent to."""

    full_name = forms.CharField(label="Your name", max_length=150, required=False)
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False, label="Action")

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "All actions")] + [(a, a) for a in actions]
