"""The verification link a PDF prints beside its score fingerprint, and its QR code.

The QR code is an inline SVG made here (segno, pure Python), so WeasyPrint has nothing to
fetch. segno is imported on first use: the PDF is the only thing that needs it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

QR_TITLE = "QR code linking to this scorecard's verification page"


def verify_url(fingerprint: str) -> str:
    """SITE_URL/verify/?fingerprint=<fingerprint>: absolute, since it leaves the instance."""
    return f"{settings.SITE_URL}{reverse('verify')}?{urlencode({'fingerprint': fingerprint})}"


def qr_svg(url: str) -> SafeString:
    """The URL as a QR code, an <svg> element with a <title> (its alternative text)."""
    import segno

    # Medium error correction survives a smudged or creased print; the quiet zone (border)
    # is drawn by the SVG itself so the code scans wherever it is placed.
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=1, border=2, title=QR_TITLE, svgclass="verify-qr", omitsize=True)
    # segno's output is built from the URL's bits only: no user text reaches it unescaped.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


def verification(snapshot) -> dict | None:
    """What the PDF cover prints for a stored snapshot; None for a live (draft) score."""
    if snapshot is None:
        return None
    url = verify_url(snapshot.result_hash)
    return {"url": url, "qr_svg": qr_svg(url), "fingerprint": snapshot.result_hash}
