"""`{{ text|catalog_prose:references }}`: catalog prose (the Risk Map's small markup) as safe
HTML; see scorecard.catalog.prose for what is rendered and what is escaped."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from scorecard.catalog.prose import render_html

register = template.Library()


@register.filter
def catalog_prose(text, references=None) -> SafeString:
    # render_html escapes every character of the input that it does not turn into markup.
    return mark_safe(render_html(text, references))  # noqa: S308
