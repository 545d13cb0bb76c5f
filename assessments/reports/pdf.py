"""The PDF scorecard: HTML from templates/reports/pdf/, typeset by WeasyPrint.

WeasyPrint would fetch any URL a document names. The fetcher here serves only the app's own
static files, looked up by path through the staticfiles finders, and raises for everything
else: user text is escaped by the templates anyway, and even if markup slipped through, an
<img src="http://..."> could never make the worker talk to the network or read local files.

WeasyPrint costs half a second to import, and this module is reached from the URL
configuration and the Celery tasks, so every `manage.py` command and worker start would pay
for it. It is imported only when a PDF is typeset or a fetcher is made (tests/test_lazy_imports.py).
"""

from __future__ import annotations

import functools
import gc
import mimetypes
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from assessments.reports.context import build_report_context
from assessments.reports.pdf_tags import finish_tags
from assessments.reports.signing import sign_pdf
from assessments.reports.verification import verification

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

# Part of every cached PDF's key: bump it whenever the PDF templates or report.css change.
TEMPLATE_VERSION = "5"
DEFAULT_VARIANT = "pdf/ua-1"
TEMPLATE = "reports/pdf/report.html"

# A reserved host that never resolves; document URLs are joined onto it, so the only URLs
# the fetcher accepts are this origin's /static/ paths, and any other is refused.
ORIGIN = "https://scorecard.invalid"
BASE_URL = f"{ORIGIN}/"
STATIC_PREFIX = "/static/"


class RefusedURL(ValueError):
    """A document asked for something other than one of the app's static files."""


@functools.cache
def _fetcher_class() -> type[URLFetcher]:
    # The class derives from WeasyPrint's, so it is defined on first use (see the docstring).
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves static files by path and refuses every other URL; records what was asked."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("https",), allow_redirects=False, timeout=1)
            self.requested: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            self.requested.append(url)
            path = static_path(url)
            if path is None:
                self.refused.append(url)
                raise RefusedURL(f"only the app's static files may be embedded, not {url!r}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesFetcher


def __getattr__(name: str):
    # `pdf.StaticFilesFetcher` still names the class, built when first asked for.
    if name == "StaticFilesFetcher":
        return _fetcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def static_path(url: str) -> Path | None:
    """The file behind one of our static URLs, or None for any other URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if f"{parts.scheme}://{parts.netloc}" != ORIGIN or parts.query or parts.fragment:
        return None
    if not parts.path.startswith(STATIC_PREFIX):
        return None
    relative = unquote(parts.path[len(STATIC_PREFIX) :])
    pure = PurePosixPath(relative)
    if not relative or "\\" in relative or pure.is_absolute() or ".." in pure.parts:
        return None
    found = finders.find(str(pure))
    if not found or isinstance(found, list):
        return None
    path = Path(found)
    return path if path.is_file() else None


def static_url(relative: str) -> str:
    return f"{STATIC_PREFIX}{relative}"


def pdf_variant() -> str | None:
    # An empty setting turns tagging off, e.g. to compare rendering times.
    return getattr(settings, "REPORT_PDF_VARIANT", DEFAULT_VARIANT) or None


def render_html(context: dict) -> str:
    return render_to_string(
        TEMPLATE,
        {
            **context,
            "report_css": static_url("css/report.css"),
            "verification": verification(context.get("snapshot")),
            "signoffs_now": current_signoffs(context),
        },
    )


def current_signoffs(context: dict) -> list:
    """The sign-offs of the scores this report prints: those bound to its snapshot. A draft
    has none, and a sign-off of an earlier finalisation stays in Appendix D only."""
    snapshot = context.get("snapshot")
    appendix = context.get("appendix")
    if snapshot is None or appendix is None:
        return []
    return [s for s in appendix.signoffs if s.snapshot_id == snapshot.pk]


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off while a document is typeset, then one sweep of
    the youngest generation.

    Typesetting allocates hundreds of thousands of objects that all stay alive until the PDF
    is written, so every automatic collection in between walks a heap that only grows and
    frees almost nothing: a fifth to a quarter of the CPU time of a 50-page report
    (tests/benchmarks/test_reports_bench.py). Everything allocated while paused is still in
    the youngest generation afterwards, so the sweep frees the document's reference cycles
    without walking the rest of the worker's heap; peak memory stays as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(0)


def render_pdf(html: str, *, fetcher: URLFetcher | None = None) -> bytes:
    with collector_paused():
        # The document is a local of _typeset, gone before the sweep that frees its cycles.
        return _typeset(html, fetcher or _fetcher_class()())


def _typeset(html: str, fetcher: URLFetcher) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher, media_type="print")
    variant = pdf_variant()
    # The finisher repairs what WeasyPrint's tagging gets wrong (see pdf_tags).
    return document.write_pdf(pdf_variant=variant, finisher=finish_tags if variant else None)


def render_assessment_pdf(assessment, *, fetcher: URLFetcher | None = None) -> bytes:
    context = build_report_context(assessment, for_pdf=True)
    return sign_pdf(render_pdf(render_html(context), fetcher=fetcher))
