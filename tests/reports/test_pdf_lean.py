"""A lean PDF: the report packs its long lists into few boxes, lists what a board reads, gives
no page to a one-sentence appendix, and is typeset with the garbage collector paused.
tests/benchmarks/test_reports_bench.py measures what each of these saves."""

import gc
import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from assessments.models import SignOff
from assessments.reports import pdf
from assessments.reports.context import build_report_context
from assessments.scoring import current_result, latest_snapshot
from scorecard.models import Question
from tests.factories import make_assessment
from tests.reports.conftest import answer_everything, make_report_framework
from tests.reports.export_helpers import make_tiny
from tests.reports.test_pdf import render, text_of

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return " ".join(text.split())


def page_with(reader, needle: str) -> str:
    pages = [page.extract_text() for page in reader.pages if needle in page.extract_text()]
    assert len(pages) == 1, needle
    return pages[0]


def test_appendix_a_prints_each_question_as_one_paragraph_without_inline_boxes(scored):
    html = pdf.render_html(build_report_context(scored, for_pdf=True))
    paragraphs = re.findall(r'<p class="qa">(.*?)</p>', html, re.S)
    assert len(paragraphs) == Question.objects.filter(framework=scored.framework).count() == 27
    # Only the pointer to the review thread is a link; nothing else gets a box of its own.
    for paragraph in paragraphs:
        assert "<" not in paragraph.replace('<a href="#reviews">Appendix C</a>', "")
    # The question, its answer and the pointer each start a line of their own.
    text = text_of(PdfReader(io.BytesIO(pdf.render_pdf(html))))
    assert (
        "DM1-1.1 Question 1 about Control D1-1?\nAnswer: Partial (value 0.5) · "
        "Evidence: access-policy.pdf; https://wiki.example.org/runbook\n"
        "Review discussion: 1 thread in Appendix C, under DM1-1.1.\n"
    ) in text


def test_results_flag_a_critical_control_after_its_name(organisation, owner):
    # The tiny catalog (tests/reports/export_helpers.py): both controls critical, threshold
    # 50; D1-C1 scores 100, D2-C1 scores 25.
    reader, _ = render(make_tiny(organisation, owner))
    text = flat(text_of(reader))
    assert "DM1-1 Control D1-1 · critical 100.00 2/2 50.00" in text
    assert "DM2-1 Control D2-1 · critical, below 50 25.00 1/2 50.00" in text


def test_roadmap_details_ten_gaps_and_ranks_twenty_more(organisation, owner):
    framework = make_report_framework(slug="forty", domains=4, controls_per_domain=10)
    assessment = make_assessment(organisation, framework, created_by=owner)
    answer_everything(assessment)
    below_100 = [c for c in current_result(assessment).controls.values() if c.score < 100]
    assert len(below_100) > 30  # the random answers leave most controls short of 100
    reader, _ = render(assessment)
    text = flat(text_of(reader))
    roadmap = text[text.index("All gaps by points", text.index("Appendix E")) :]
    roadmap = roadmap[: roadmap.index("Appendix A: Questions and answers")]
    assert roadmap.count("Next step:") == 10
    assert "The next 20 gaps in the same order" in roadmap
    assert f"{len(below_100) - 30} smaller gaps" in roadmap


def test_an_appendix_of_one_sentence_follows_the_one_before(scored):
    # A draft has no sign-off: Appendix D is a sentence, printed under Appendix C's thread.
    reader, _ = render(scored)
    page = page_with(reader, "Sign-off happens after the assessment is finalised.")
    assert "Which teams does this cover?" in page


def test_an_appendix_with_content_starts_a_page(finalised, auditor):
    SignOff.objects.create(
        assessment=finalised,
        snapshot=latest_snapshot(finalised),
        user=auditor,
        statement="Checked every answer against the evidence.",
        created_at=datetime(2026, 3, 14, 9, 30, tzinfo=UTC),
    )
    reader, _ = render(finalised)
    page = page_with(reader, "Checked every answer against the evidence.")
    assert "Which teams does this cover?" not in page
    assert page.lstrip().startswith("Appendix D: Sign-offs")


class RecordingFetcher(pdf.StaticFilesFetcher):
    """Notes whether the collector runs while WeasyPrint fetches the stylesheet."""

    def __init__(self):
        super().__init__()
        self.collector_enabled = []

    def fetch(self, url, headers=None):
        self.collector_enabled.append(gc.isenabled())
        return super().fetch(url, headers)


HTML = '<html lang="en"><title>t</title><link rel="stylesheet" href="/static/css/report.css"><p>x'


def test_typesetting_pauses_the_garbage_collector_and_restores_it():
    assert gc.isenabled()
    fetcher = RecordingFetcher()
    assert pdf.render_pdf(HTML, fetcher=fetcher).startswith(b"%PDF")
    assert fetcher.collector_enabled == [False]
    assert gc.isenabled()


def test_a_failed_render_restores_the_collector_and_a_paused_one_stays_paused():
    with pytest.raises(ZeroDivisionError), pdf.collector_paused():
        assert not gc.isenabled()
        1 / 0  # noqa: B018
    assert gc.isenabled()
    gc.disable()
    try:
        pdf.render_pdf(HTML)
        assert not gc.isenabled()
    finally:
        gc.enable()
