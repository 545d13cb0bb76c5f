"""Field factories shared by catalog models that carry Risk Map data in JSON on their row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from scorecard.catalog import vocabulary


def validate_term_refs(value) -> None:
    problem = vocabulary.term_refs_problem(value)
    if problem:
        raise ValidationError(problem[0].upper() + problem[1:] + ".", code="term_refs")


def term_refs_field(kind_label: str):
    """Term ids, or the literal "all" or "none", as scorecard.catalog.vocabulary describes."""
    return models.JSONField(
        default=list,
        blank=True,
        validators=[validate_term_refs],
        help_text=f'The {kind_label} ids it concerns, or "all" or "none"; empty says nothing.',
    )


def _refuse(message: str) -> None:
    raise ValidationError(message, code="catalog_json")


def validate_text_list(value) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        _refuse("Expected a list of texts.")


def validate_mappings(value) -> None:
    if not isinstance(value, dict) or not all(
        isinstance(refs, list) and all(isinstance(ref, str) and ref for ref in refs)
        for refs in value.values()
    ):
        _refuse("Expected lists of references keyed by mapping scheme.")


def validate_titles(value) -> None:
    if not isinstance(value, dict) or not all(
        isinstance(ref, str) and ref and isinstance(title, str) and title
        for ref, title in value.items()
    ):
        _refuse("Expected a title for each reference, keyed by the reference.")


REFERENCE_KEYS = ("type", "id", "title", "url")


def validate_references(value) -> None:
    if not isinstance(value, list) or not all(
        isinstance(item, dict)
        and set(item) == set(REFERENCE_KEYS)
        and all(isinstance(item[key], str) and item[key] for key in REFERENCE_KEYS)
        and item["url"].startswith("https://")
        for item in value
    ):
        _refuse("Expected references with a type, id, title and an https:// url each.")


def text_list_field(help_text: str):
    return models.JSONField(
        default=list, blank=True, validators=[validate_text_list], help_text=help_text
    )


def mappings_field():
    return models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_mappings],
        help_text="References by mapping scheme, e.g. {mitre-atlas: [...]}",
    )


def references_field():
    return models.JSONField(
        default=list,
        blank=True,
        validators=[validate_references],
        help_text="External references: {type, id, title, url} each; prose cites them by id.",
    )
