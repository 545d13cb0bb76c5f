"""How a domain, control or question is named on every page: display code, title, source id.

The code (`DAT-3.1`) leads because people read and quote it; the source id (the CoSAI or
OSCAL id) follows as secondary text, since it is what other tools and exports use. A row
stored without a code shows its id in the code's place, as pages did before codes existed.
Registered as a template builtin (settings.TEMPLATES), so heading lines need no `{% load %}`.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def catalog_label(code: str, title: str, ref: str) -> str:
    """`<code> <title> <source id>` for headings and table rows."""
    if not code:
        return format_html('<span class="catalog-ref">{}</span> {}', ref, title)
    return format_html(
        '<span class="catalog-code">{}</span> {} <span class="catalog-ref">{}</span>',
        code,
        title,
        ref,
    )


@register.simple_tag
def catalog_code(code: str, ref: str) -> str:
    """`<code> <source id>` where the title is shown elsewhere (lists, table cells)."""
    if not code:
        return format_html('<span class="catalog-ref">{}</span>', ref)
    return format_html(
        '<span class="catalog-code">{}</span> <span class="catalog-ref">{}</span>', code, ref
    )


@register.simple_tag
def catalog_title(code: str, title: str, ref: str) -> str:
    """`<code> <title>` for the PDF, whose narrow columns would break a long source id
    mid-word; its "Catalog ids" appendix pairs each code with its source id. A row without
    a code shows its id in the code's place, as catalog_label does."""
    return format_html('<span class="catalog-code">{}</span> {}', code or ref, title)


@register.simple_tag
def plain_label(code: str, title: str, ref: str) -> str:
    """The words of catalog_title as plain text, for the PDF's long lists: each inline box
    costs WeasyPrint about half a millisecond, and a large Appendix A has hundreds of lines
    that lead with the code anyway. Autoescaped like any other string."""
    return f"{code or ref} {title}"
