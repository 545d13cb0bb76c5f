"""The portfolio page's filters (a GET form; every field optional).

The choices are read by the view (members, the lifecycle stages of the catalogs in use)
and handed in, so an unknown value is a form error naming the field, never a failed query.
"""

from __future__ import annotations

from django import forms

from assessments.selectors.portfolio import NOT_STATED, Filters
from scorecard.catalog import autonomy


class PortfolioFilterForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Owner",
        empty_label="Any owner",
        error_messages={"invalid_choice": "Choose an owner from the list of members."},
    )
    lifecycle_stage = forms.ChoiceField(
        required=False,
        label="Lifecycle stage",
        error_messages={
            "invalid_choice": "%(value)s is not a lifecycle stage of any catalog in use."
        },
    )
    autonomy = forms.ChoiceField(
        required=False,
        label="Autonomy level",
        error_messages={"invalid_choice": "Choose an autonomy level from L0 to L5, or not stated."},
    )

    def __init__(self, *args, members, lifecycle_stages: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["lifecycle_stage"].choices = [("", "Any stage"), *lifecycle_stages]
        self.fields["autonomy"].choices = [
            ("", "Any level"),
            *((str(level.number), f"{level.code} {level.name}") for level in autonomy.LEVELS),
            (NOT_STATED, "Not stated"),
        ]

    def filters(self) -> Filters:
        """The cleaned filters; call after is_valid()."""
        data = self.cleaned_data
        owner = data.get("owner")
        return Filters(
            owner_id=owner.pk if owner else None,
            lifecycle_stage=data.get("lifecycle_stage") or "",
            autonomy=data.get("autonomy") or "",
        )
