"""Template helpers of the scorecard page and the PDF: one way to print every number."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from assessments.reports.explain import anchor
from scorecard.scoring import format_delta, format_score
from scorecard.scoring.figures import plain

register = template.Library()


@register.filter
def score(value) -> str:
    """`{{ x|score }}`: two decimals or "N/A", the rule every screen and export shares."""
    return format_score(value)


@register.filter
def share(effective_weight) -> str:
    """An effective weight as the percentage of the overall score it carries."""
    return format_score(None if effective_weight is None else 100.0 * effective_weight)


@register.filter
def weight(value) -> str:
    """A catalog value (a weight, a tier's minimum, the threshold) exactly as stored."""
    return "" if value is None else plain(float(value))


@register.filter
def control_code(codes, control_id: str) -> str:
    """`{{ codes|control_code:id }}`: a control's display code from DisplayCodes."""
    return codes.control(control_id)


@register.simple_tag
def delta(before, after) -> str:
    return format_delta(before, after)


@register.filter
def filesize(size) -> str:
    size = int(size or 0)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size} bytes"  # pragma: no cover


@register.simple_tag
def score_link(assessment, kind: str, ref: str, value, label: str = "") -> str:
    """A score that links to its derivation; screen readers hear what the number is."""
    url = reverse(
        "score_explain",
        kwargs={"assessment_id": assessment.pk, "kind": kind, "ref": ref or kind},
    )
    text = format_score(value)
    return format_html(
        '<a class="score-link" href="{}">{}<span class="visually-hidden">: how {} '
        "is calculated</span></a>",
        url,
        text,
        label or "this score",
    )


# How fig_link prints its value: the same filters the page uses elsewhere.
_FORMATS = {
    "score": format_score,
    "points": lambda v: f"+{format_score(v)}",
    "share": lambda v: format_score(None if v is None else 100.0 * v),
    "weight": lambda v: weight(v),
    "count": lambda v: str(int(v)),
    "text": str,
}


@register.simple_tag
def fig_link(assessment, kind: str, ref: str, figure: str, value, label: str, fmt="score") -> str:
    """A number that links to its figure on a "why" page (`…/why/<kind>/<ref>/#fig-<id>`);
    screen readers hear what the number is."""
    url = reverse(
        "score_explain", kwargs={"assessment_id": assessment.pk, "kind": kind, "ref": ref}
    )
    return _figure_anchor(f"{url}#{anchor(figure)}", _FORMATS[fmt](value), label)


@register.simple_tag
def delta_link(assessment, other, figure: str, text: str, label: str) -> str:
    """A change between two assessments that links to its derivation."""
    url = reverse("compare_explain", kwargs={"assessment_id": assessment.pk, "other_id": other.pk})
    return _figure_anchor(f"{url}#{anchor(figure)}", text, label)


def _figure_anchor(href: str, text: str, label: str) -> str:
    return format_html(
        '<a class="score-link" href="{}">{}<span class="visually-hidden">: how {} '
        "is derived</span></a>",
        href,
        text,
        label,
    )
