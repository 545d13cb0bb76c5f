"""The PDF's way to its verification page: the full fingerprint, the link to
SITE_URL/verify/?fingerprint=..., and a QR code of that link as an inline SVG with a title,
so WeasyPrint fetches nothing; a draft (a live score, no fingerprint) has none of them."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from assessments.models import ScoreSnapshot
from assessments.reports import pdf
from assessments.reports.context import build_report_context
from assessments.services import workflow

pytestmark = pytest.mark.django_db

SITE = "https://scorecard.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def html_of(assessment) -> str:
    return pdf.render_html(build_report_context(assessment, for_pdf=True))


def link_uris(reader: PdfReader) -> list[str]:
    uris = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def test_the_cover_links_to_the_verification_page_of_its_fingerprint(finalised, auditor):
    workflow.sign_off(assessment=finalised, user=auditor)
    fingerprint = ScoreSnapshot.objects.get(assessment=finalised).result_hash
    fetcher = pdf.StaticFilesFetcher()
    reader = PdfReader(io.BytesIO(pdf.render_assessment_pdf(finalised, fetcher=fetcher)))
    expected = f"https://scorecard.example.org/verify/?fingerprint={fingerprint}"
    cover = "".join(reader.pages[0].extract_text().split())
    assert expected in cover
    assert f"Scorefingerprint:{fingerprint}" in cover
    assert expected in link_uris(reader)
    assert fetcher.refused == []
    assert all(url.startswith(f"{pdf.ORIGIN}/static/") for url in fetcher.requested)


def test_the_qr_code_is_an_inline_svg_with_alternative_text(finalised):
    html = html_of(finalised)
    start = html.index('<svg role="img"')
    svg = html[start : html.index("</svg>", start)]
    assert "<title>QR code linking to this scorecard's verification page</title>" in svg
    assert 'class="verify-qr"' in svg
    assert "<path" in svg
    assert "href" not in svg  # nothing for WeasyPrint to fetch


def test_the_qr_code_encodes_the_verification_link(finalised):
    import segno

    fingerprint = ScoreSnapshot.objects.get(assessment=finalised).result_hash
    expected = segno.make(
        f"https://scorecard.example.org/verify/?fingerprint={fingerprint}", error="m"
    ).svg_inline(scale=1, border=2, omitsize=True)
    path = expected[expected.index("<path") : expected.index("</svg>")]
    assert path in html_of(finalised)


def test_a_draft_has_no_fingerprint_and_no_qr_code(scored):
    html = html_of(scored)
    assert "/verify/" not in html
    assert "<svg" not in html.split('class="cover"', 1)[1].split("</section>", 1)[0]


def test_the_link_follows_site_url(finalised, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert "http://127.0.0.1:8000/verify/?fingerprint=" in html_of(finalised)
