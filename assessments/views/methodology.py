"""The public methodology page (the example and its numbers: assessments.methodology)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.methodology import catalog_crosswalk_rule, methodology_context

# Still importable from here for older callers.


@require_GET
def methodology(request):
    """Public on purpose: it holds no organisation data, and auditors without an account
    (or before they are invited) should be able to read how scores are made."""
    # The page alone explains the crosswalk across catalogs: the PDF's copy of the
    # methodology is left as it is, since a PDF shows no other catalog.
    context = {**methodology_context(), "catalog_crosswalk": catalog_crosswalk_rule()}
    return render(request, "assessments/methodology.html", context)
