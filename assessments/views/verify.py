"""The public verification page: does a scorecard's fingerprint belong to a signed-off score?

Public on purpose: whoever holds a PDF (a board member, a customer) has no account here. It
answers only yes (with the four facts of assessments.selectors.verify) or no, and look-ups
are counted per client address so the page cannot be used to test fingerprints in bulk.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import ratelimit
from assessments.audit import client_ip
from assessments.forms.verify import VerifyForm
from assessments.selectors.verify import signed_scorecards


def _within_limit(request) -> bool:
    # Without an address (never behind a sane proxy) all such clients share one counter.
    return ratelimit.allow(
        f"verify:{client_ip(request) or 'unknown'}",
        limit=settings.VERIFY_LOOKUPS_PER_WINDOW,
        window=settings.VERIFY_WINDOW_SECONDS,
    )


@require_GET
def verify(request):
    """GET with ?fingerprint= (the form's own submission, or the PDF's QR code) looks it up;
    without it, the empty form. Only look-ups count towards the limit."""
    if "fingerprint" not in request.GET:
        return render(request, "verify/verify.html", {"form": VerifyForm()})
    if not _within_limit(request):
        minutes = max(1, settings.VERIFY_WINDOW_SECONDS // 60)
        return render(
            request,
            "verify/rate_limited.html",
            {"limit": settings.VERIFY_LOOKUPS_PER_WINDOW, "minutes": minutes},
            status=429,
        )
    form = VerifyForm(request.GET)
    context = {"form": form, "checked": form.is_valid()}
    if form.is_valid():
        context["fingerprint"] = form.cleaned_data["fingerprint"]
        context["matches"] = signed_scorecards(form.cleaned_data["fingerprint"])
    return render(request, "verify/verify.html", context)
