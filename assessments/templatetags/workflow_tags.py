"""Template helpers of the review workflow partials. They format what the view passed in
(see `assessments.selectors.workflow.workflow_summary`); they never query."""

from __future__ import annotations

from django import template

from assessments.services.guards import UNDER_REVIEW

register = template.Library()


@register.filter
def can(access, action: str) -> bool:
    """`{% if access|can:"review" %}`: the role table, never a role name, decides."""
    return access is not None and access.can(action)


@register.filter
def under_review(assessment) -> bool:
    return assessment.status in UNDER_REVIEW
