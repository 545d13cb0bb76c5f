"""The PDF of the bundled catalog reads as a report: display codes and titles in its text,
the catalog's camelCase source ids only in Appendix F's "Source id" columns, each id whole
on one line, and no text smaller than 8 pt."""

from __future__ import annotations

import io
import math
import re

import pytest
from pypdf import PdfReader

from assessments.models import Answer, Role
from assessments.reports import pdf
from scorecard.catalog.bundled import READINESS_FILE, bundled_dir, load_bundled_file
from scorecard.models import Control, Domain, Risk
from tests.factories import make_assessment, make_member, make_organisation
from tests.reports.conftest import answer_everything

pytestmark = pytest.mark.django_db

# A camelCase word: lower-case letters, then at least one capital. Prose, codes (DAT-1.2),
# crosswalk references (AML.M0015, GOVERN-1.1) and fingerprints never match it.
CAMEL = re.compile(r"\b[a-z]+[A-Z][A-Za-z0-9]*\b")
INDEX_START = "This report names domains and controls by their display codes"


@pytest.fixture
def bundled_report():
    framework, _ = load_bundled_file(bundled_dir() / READINESS_FILE)
    organisation = make_organisation("bundled-org", "Bundled Org")
    owner = make_member(organisation, Role.OWNER)
    assessment = make_assessment(organisation, framework, title="Claims triage", created_by=owner)
    answer_everything(assessment, user=owner, notes=False)
    # The test data's N/A reasons quote the question id; a person's would not.
    Answer.objects.filter(assessment=assessment, na=True).update(justification="Not relevant.")
    ids = set()
    for model in (Domain, Control, Risk):
        ids |= set(model.objects.filter(framework=framework).values_list("ref", flat=True))
    ids |= set(Risk.objects.filter(framework=framework).values_list("category", flat=True))
    return PdfReader(io.BytesIO(pdf.render_assessment_pdf(assessment))), ids


def test_camel_case_ids_appear_only_whole_and_only_in_the_catalog_id_appendix(bundled_report):
    reader, ids = bundled_report
    pages = [page.extract_text() for page in reader.pages]
    start = next(i for i, text in enumerate(pages) if INDEX_START in text)
    before = [(i + 1, word) for i, text in enumerate(pages[:start]) for word in CAMEL.findall(text)]
    assert before == [], "source ids outside Appendix F"
    index_words = [w for text in pages[start:] for w in CAMEL.findall(text)]
    # A word broken inside an id would leave a fragment that is not an id.
    assert set(index_words) <= ids
    assert {i for i in ids if CAMEL.fullmatch(i)} <= set(index_words)


def test_no_text_in_the_pdf_is_smaller_than_8_pt(bundled_report):
    reader, _ = bundled_report
    smallest: list[tuple[float, int, str]] = []
    for number, page in enumerate(reader.pages, start=1):

        def visit(text, cm, tm, font, size, number=number):
            if not text.strip():
                return
            # The printed size is the font size scaled by the text and graphics matrices
            # (SVG charts are drawn scaled into the page).
            a, b, c, d = (
                tm[0] * cm[0] + tm[1] * cm[2],
                tm[0] * cm[1] + tm[1] * cm[3],
                tm[2] * cm[0] + tm[3] * cm[2],
                tm[2] * cm[1] + tm[3] * cm[3],
            )
            smallest.append((size * math.sqrt(abs(a * d - b * c)), number, text.strip()[:40]))

        page.extract_text(visitor_text=visit)
    assert len(smallest) > 1000
    assert min(smallest)[0] >= 7.99, min(smallest)
