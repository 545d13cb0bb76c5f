"""The PDF scorecard: content, structure, metadata, tagging, and no fetching from outside."""

import io
import socket

import pytest
from pypdf import PdfReader

from assessments.reports import pdf
from assessments.reports.context import build_report_context
from assessments.scoring import current_result
from scorecard.models import Control, Framework, FrameworkStatus, Question
from scorecard.scoring import format_score
from scorecard.services import new_draft_from
from tests.factories import make_assessment
from tests.reports.conftest import answer_everything, make_report_framework

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script><img src="http://203.0.113.9/track.png">'


@pytest.fixture
def no_network(monkeypatch):
    """Fails any attempt to open a network connection and counts the attempts."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def render(assessment, fetcher=None):
    fetcher = fetcher or pdf.StaticFilesFetcher()
    content = pdf.render_assessment_pdf(assessment, fetcher=fetcher)
    return PdfReader(io.BytesIO(content)), fetcher


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def outline_titles(reader: PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


@pytest.fixture
def rendered(scored):
    reader, fetcher = render(scored)
    return scored, reader, fetcher


def test_pdf_has_cover_summary_scores_and_tier(rendered):
    assessment, reader, _ = rendered
    result = current_result(assessment)
    text = text_of(reader)
    assert len(reader.pages) >= 8
    first = reader.pages[0].extract_text()
    assert assessment.title in first
    assert "Acme AI" in first
    assert f"{assessment.framework.name}, version {assessment.framework.version}" in first
    assert format_score(result.overall) in first
    assert result.tier in first
    assert f"The overall readiness score is {format_score(result.overall)}" in " ".join(
        text.split()
    )


def test_pdf_appendix_lists_every_question_answer_and_comment(rendered):
    assessment, reader, _ = rendered
    text = " ".join(text_of(reader).split())
    appendix = text[text.index("Appendix A: Questions and answers", text.index("Appendix E")) :]
    # Each question by its display code (the source ids are in the exports).
    for code, question in Question.objects.filter(framework=assessment.framework).values_list(
        "code", "text"
    ):
        assert f"{code} {question}" in appendix, code
    assert "Checked with the platform team" in appendix
    assert "Why N/A: Not relevant to this system" in appendix


def test_pdf_lists_evidence_with_sha256_review_threads_and_signoffs(rendered):
    _, reader, _ = rendered
    text = text_of(reader)
    flat = "".join(text.split())
    assert "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" in flat
    assert "access-policy.pdf" in text
    assert "Which teams does this cover?" in text
    assert "All of them." in text
    assert "Appendix D: Sign-offs" in text


def test_pdf_has_bookmarks_for_every_section(rendered):
    _, reader, _ = rendered
    titles = outline_titles(reader)
    for section in (
        "Contents",
        "Executive summary",
        "Scores by domain",
        "Results domain by domain",
        "Risk coverage",
        "Crosswalk to other frameworks",
        "Gap roadmap",
        "Appendix A: Questions and answers",
        "Appendix B: Evidence",
        "Appendix C: Review comments",
        "Appendix D: Sign-offs",
        "Appendix E: Methodology",
    ):
        assert section in titles
    # Domains are second-level bookmarks under the results chapter, led by their code.
    assert any(t.startswith("DM1 Domain 1:") for t in titles)


def test_pdf_metadata_language_and_pdf_ua_identification(rendered):
    assessment, reader, _ = rendered
    assert reader.metadata.title == f"AI readiness scorecard: {assessment.title}"
    assert reader.metadata.author == "Acme AI"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp


def test_pdf_variant_can_be_turned_off(settings, scored):
    settings.REPORT_PDF_VARIANT = ""
    reader, _ = render(scored)
    assert "/StructTreeRoot" not in reader.trailer["/Root"]


def test_pdf_has_page_numbers_and_running_headers(rendered):
    assessment, reader, _ = rendered
    total = len(reader.pages)
    third = reader.pages[2].extract_text()
    assert f"Page 3 of {total}" in third
    assert assessment.title in third  # running header: the AI system


def test_pdf_fetches_only_its_own_stylesheet(rendered):
    _, _, fetcher = rendered
    assert fetcher.requested == [f"{pdf.ORIGIN}/static/css/report.css"]
    assert fetcher.refused == []


def test_hostile_catalog_and_user_text_stays_inert_and_fetches_nothing(
    organisation, owner, no_network
):
    # Published catalogs are locked (down to the database): plant the hostile texts in a
    # new draft of the version, then publish that.
    hostile_fw = new_draft_from(framework=make_report_framework(slug="hostile"), version="2.0")
    Control.objects.filter(framework=hostile_fw).update(name=f"Control {HOSTILE}")
    Question.objects.filter(framework=hostile_fw).update(text=f"Question {HOSTILE}")
    Framework.objects.filter(pk=hostile_fw.pk).update(status=FrameworkStatus.PUBLISHED)
    hostile_fw.refresh_from_db()
    assessment = make_assessment(organisation, hostile_fw, title=f"System {HOSTILE}")
    answer_everything(assessment)
    fetcher = pdf.StaticFilesFetcher()
    html = pdf.render_html(build_report_context(assessment, for_pdf=True))
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=&quot;http://203.0.113.9/track.png&quot;&gt;" in html
    reader = PdfReader(io.BytesIO(pdf.render_pdf(html, fetcher=fetcher)))
    assert no_network == []
    assert all("203.0.113.9" not in url for url in fetcher.requested)
    # The text is printed literally, as text.
    assert '<img src="http://203.0.113.9/track.png">' in " ".join(text_of(reader).split())


def test_markup_that_slipped_through_is_refused_by_the_fetcher(no_network):
    """Defence in depth: even raw <img>/<link> tags cannot reach the network or local files."""
    html = (
        '<html lang="en"><head><title>t</title>'
        '<link rel="stylesheet" href="http://203.0.113.9/evil.css"></head><body>'
        '<img src="http://203.0.113.9/track.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        '<img src="/static/../../scorecard/settings.py" alt="">'
        "<p>hello</p></body></html>"
    )
    fetcher = pdf.StaticFilesFetcher()
    content = pdf.render_pdf(html, fetcher=fetcher)
    assert content.startswith(b"%PDF")
    assert no_network == []
    assert len(fetcher.refused) == 4
    assert fetcher.refused == fetcher.requested


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/static/css/report.css",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        f"{pdf.ORIGIN}/media/evidence/secret.pdf",
        f"{pdf.ORIGIN}/static/../manage.py",
        f"{pdf.ORIGIN}/static/%2e%2e/manage.py",
        f"{pdf.ORIGIN}/static/css/report.css?x=1",
        f"{pdf.ORIGIN}/static/css/does-not-exist.css",
        f"{pdf.ORIGIN}/static/",
    ],
)
def test_fetcher_refuses_everything_but_existing_static_files(url, no_network):
    fetcher = pdf.StaticFilesFetcher()
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert no_network == []


def test_fetcher_serves_a_static_file_by_path():
    response = pdf.StaticFilesFetcher().fetch(f"{pdf.ORIGIN}/static/css/report.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_pdf_of_a_catalog_with_two_domains_has_no_radar(organisation, owner):
    framework = make_report_framework(slug="two", domains=2)
    assessment = make_assessment(organisation, framework)
    answer_everything(assessment)
    context = build_report_context(assessment, for_pdf=True)
    assert context["charts"]["radar"] is None
    reader = PdfReader(io.BytesIO(pdf.render_pdf(pdf.render_html(context))))
    assert "Figure 2. Risk coverage" in text_of(reader)
