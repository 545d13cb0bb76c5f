"""Forms of the review workflow. They validate input only; services do the work."""

from __future__ import annotations

from django import forms

from assessments.forms.fields import LimitedCharField
from assessments.services.guards import MAX_COMMENT_LENGTH


class CommentForm(forms.Form):
    # Too long is refused with a message, never cut (see forms.fields.LimitedCharField).
    body = LimitedCharField(
        label="Comment",
        limit=MAX_COMMENT_LENGTH,
        what="The comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=True,
    )


class ReplyForm(forms.Form):
    body = LimitedCharField(
        label="Reply",
        limit=MAX_COMMENT_LENGTH,
        what="The reply",
        widget=forms.Textarea(attrs={"rows": 2}),
        strip=True,
    )


class ResolveForm(forms.Form):
    # "0" opens a resolved thread again.
    resolved = forms.TypedChoiceField(
        choices=(("1", "Resolved"), ("0", "Open")),
        coerce=lambda value: value == "1",
        empty_value=True,
        required=False,
    )


class ReturnToDraftForm(forms.Form):
    message = LimitedCharField(
        label="What should the team change?",
        limit=MAX_COMMENT_LENGTH,
        what="The note",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept as an open review comment until someone resolves it.",
    )


class SignOffForm(forms.Form):
    statement = LimitedCharField(
        label="Statement (optional)",
        required=False,
        limit=MAX_COMMENT_LENGTH,
        what="The statement",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example the scope of your review, or reservations.",
    )
    confirm = forms.BooleanField(
        label="I have reviewed this assessment and sign off the score shown above.",
    )


class AssignmentForm(forms.Form):
    """One select per top-level domain; the blank choice leaves the domain unassigned."""

    def __init__(self, *args, domains, members, current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        self.members = {str(m.user_id): m.user for m in members}
        choices = [("", "Nobody")] + [
            (str(m.user_id), f"{m.user} ({m.get_role_display().lower()})") for m in members
        ]
        for domain in self.domains:
            self.fields[self.field_name(domain)] = forms.ChoiceField(
                label=f"{domain.code or domain.ref} {domain.name}",
                choices=choices,
                required=False,
                initial=str(current.get(domain.pk, "")),
            )

    @staticmethod
    def field_name(domain) -> str:
        return f"domain_{domain.pk}"

    def assignments(self) -> dict:
        """{Domain: User | None} from the cleaned data."""
        return {
            domain: self.members.get(self.cleaned_data.get(self.field_name(domain)) or "")
            for domain in self.domains
        }


class UpgradeForm(forms.Form):
    """The version to move to; the fingerprint ties the POST to the plan the user read."""

    target = forms.IntegerField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
