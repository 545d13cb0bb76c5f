"""The fingerprint a visitor of the public verification page types or scans."""

from __future__ import annotations

from django import forms

from assessments.selectors.verify import FINGERPRINT_LENGTH, fingerprint_problem


class VerifyForm(forms.Form):
    fingerprint = forms.CharField(
        label="Scorecard fingerprint",
        required=False,  # an empty one gets our own message, not Django's
        strip=True,
        # Room for a pasted value with spaces or a line break around it; the length is
        # checked (with a message) after those are dropped.
        max_length=FINGERPRINT_LENGTH * 2,
        error_messages={
            "max_length": f"A fingerprint is {FINGERPRINT_LENGTH} characters long; "
            "this is far longer. Copy only the fingerprint from the scorecard."
        },
    )

    def clean_fingerprint(self) -> str:
        # Upper-case hex and spaces from a copy out of a PDF are the same fingerprint.
        fingerprint = "".join(self.cleaned_data["fingerprint"].split()).lower()
        problem = fingerprint_problem(fingerprint)
        if problem:
            raise forms.ValidationError(problem)
        return fingerprint
