"""Project-level pages that belong to no feature."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; answer with our icon."""
    path = finders.find("img/favicon.svg")
    if path is None:  # a deployment without the project's static files
        raise Http404("No icon.")
    return FileResponse(open(path, "rb"), content_type="image/svg+xml")  # noqa: SIM115
