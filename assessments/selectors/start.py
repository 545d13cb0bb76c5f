"""Reads of the start and scope pages: which framework versions can be chosen, and a
framework's personas with their identification questions."""

from __future__ import annotations

from django.db.models import QuerySet

from scorecard.models import Framework, Persona, PersonaQuestion


def published_frameworks() -> QuerySet[Framework]:
    """Every published framework version, for starting an assessment."""
    return Framework.objects.published().order_by("name", "-published_at", "-pk")


def published_versions(slug: str) -> QuerySet[Framework]:
    """The published versions of one framework, newest first (starting from a previous one)."""
    return Framework.objects.published().filter(slug=slug).order_by("-published_at", "-pk")


def scoping_rows(framework: Framework) -> tuple[list[Persona], list[PersonaQuestion]]:
    """The framework's personas and their questions in persona order (two queries)."""
    personas = list(Persona.objects.filter(framework=framework))
    questions = list(
        PersonaQuestion.objects.filter(framework=framework)
        .select_related("persona")
        .order_by("persona__position", "persona_id", "position", "pk")
    )
    return personas, questions
