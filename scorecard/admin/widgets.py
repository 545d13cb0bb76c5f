"""The admin's widget for many-to-many fields: a list of checkboxes, named as a group.

It replaces Django's two-box picker (filter_horizontal / FilteredSelectMultiple), whose
SelectFilter2.js builds each filter label with an aria-label on a role-less span (axe:
aria-prohibited-attr, serious); that markup comes from script, so no template reaches it.
"""

from __future__ import annotations

from typing import Any

from django import forms


class CheckboxGroup(forms.CheckboxSelectMultiple):
    template_name = "scorecard/widgets/checkbox_group.html"
    # The list names itself (role="group", aria-label): no <fieldset> around it as well.
    use_fieldset = False

    def __init__(self, *args: Any, group_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group_label = group_label

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget"]["group_label"] = self.group_label
        return context


class CheckboxManyToMany:
    """ModelAdmin mixin: every many-to-many field (but autocomplete and raw-id ones) is a
    CheckboxGroup named by the field's label."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name not in (*self.autocomplete_fields, *self.raw_id_fields):
            label = str(db_field.verbose_name)
            kwargs.setdefault("widget", CheckboxGroup(group_label=label[:1].upper() + label[1:]))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
