"""Turn a rendered admin page back into the POST body a browser would send."""

from __future__ import annotations

from typing import Any


def _values(form) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(value, bool):
            if value:
                values[key] = "on"
        elif isinstance(value, list | tuple):
            values[key] = [str(item) for item in value]
        elif value is not None:
            values[key] = str(value)
    return values


def form_data(response) -> dict[str, Any]:
    context = response.context
    data = _values(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_values(formset.management_form))
        for form in formset.forms:
            data.update(_values(form))
    return data


def form_errors(response) -> Any:
    context = response.context
    if context is None or "adminform" not in context:
        return response.status_code
    errors: list[Any] = [context["adminform"].form.errors]
    for inline in context["inline_admin_formsets"]:
        errors.append((inline.formset.errors, inline.formset.non_form_errors()))
    return errors


def inline_formset(response, prefix_or_model):
    """The inline on the page with this formset prefix, or the (first) one for this model."""
    for inline in response.context["inline_admin_formsets"]:
        if prefix_or_model in (inline.formset.prefix, inline.formset.model):
            return inline
    raise KeyError(prefix_or_model)
