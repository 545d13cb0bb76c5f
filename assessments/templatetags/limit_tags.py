"""The length limits of text fields, for templates that write their inputs by hand."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from assessments.limits import LIMITS

register = template.Library()


@register.simple_tag
def char_limit(name: str) -> int:
    """The limit to put in a field's `data-maxlength`."""
    return LIMITS[name]


@register.simple_tag
def limit_hint(name: str, *id_parts):
    """The maximum, shown under the field whose id is the `id_parts` joined (its live
    counter is added by static/js/char-count.js); the field refers to it with
    aria-describedby="<field id>-limit"."""
    field_id = "".join(str(part) for part in id_parts)
    return format_html(
        '<div class="form-text char-limit" id="{}-limit">Up to {} characters.</div>',
        field_id,
        f"{LIMITS[name]:,}",
    )
