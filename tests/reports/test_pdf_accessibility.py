"""The PDF scorecard's accessibility: the `pdfua` checker, and structure checks of our own.

One finalised, signed-off report is rendered for the whole module (the PDF takes seconds); the
tests read the file the way assistive technology does: the structure tree, its marked
content, the link annotations and the bookmarks. README "Accessibility of the PDF" lists what
these tests prove and what WeasyPrint still gets wrong.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from types import SimpleNamespace

import lxml.html
import pdfua
import pytest
from django.db import transaction

from assessments.models import SignOff
from assessments.reports import pdf
from assessments.reports.context import build_report_context
from assessments.scoring import latest_snapshot
from tests.factories import make_member, make_organisation
from tests.reports.conftest import finalise, make_report_framework, make_scored
from tests.reports.pdf_structure import TaggedPdf, artifact_text, flat

# pdfua rules that cannot run on our files, with the reason. Anything else skipped fails.
KNOWN_SKIPS = {
    # pdfua 0.1.3's empty-heading rule asks every /K for `is_integer` with getattr(); pikepdf 10
    # answers that with ValueError for an array, which the rule does not expect, so it stops on
    # the first heading whose /K is an array: all of ours. The same check is made by
    # test_headings_are_not_empty_and_skip_no_level below.
    "UA-14-001": "is_integer",
}
HEADINGS = ("/H1", "/H2", "/H3")

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), transaction.atomic():
        organisation = make_organisation("acme", "Acme AI")
        owner = make_member(organisation, "owner", "owner@acme.example")
        auditor = make_member(organisation, "auditor", "auditor@audit.example")
        assessment = finalise(
            make_scored(organisation, make_report_framework(), owner, auditor), owner
        )
        SignOff.objects.create(
            assessment=assessment,
            snapshot=latest_snapshot(assessment),
            user=auditor,
            statement="Checked.",
            created_at=datetime(2026, 3, 14, 9, 30, tzinfo=UTC),
        )
        html = pdf.render_html(build_report_context(assessment, for_pdf=True))
        data = pdf.render_pdf(html)
        transaction.set_rollback(True)
    path = tmp_path_factory.mktemp("pdfua") / "scorecard.pdf"
    path.write_bytes(data)
    return SimpleNamespace(
        html=lxml.html.fromstring(html), data=data, path=path, tagged=TaggedPdf(data)
    )


def test_pdfua_checker_finds_nothing_and_skips_only_the_known_rule(report):
    result = pdfua.validate(str(report.path))
    assert [f.to_dict() for f in result.findings] == []
    skipped = {o.rule_id: o.skipped_reason for o in result.skipped}
    assert skipped.keys() == KNOWN_SKIPS.keys()
    for rule_id, reason in skipped.items():
        assert KNOWN_SKIPS[rule_id] in reason
    assert len(result.outcomes) - len(result.skipped) == 11  # of pdfua's 12 checks


def test_every_header_cell_has_a_scope_column_in_the_table_head_row_in_the_body(report):
    tagged = report.tagged
    cells = tagged.with_role("/TH")
    checked = 0
    for table in tagged.with_role("/Table"):
        for group in table.children:
            for row in group.children:
                for cell in (c for c in row.children if c.role == "/TH"):
                    attributes = cell.obj.A
                    assert attributes.O == "/Table"
                    expected = "/Column" if group.role == "/THead" else "/Row"
                    assert attributes.Scope == expected, tagged.text(cell)
                    # An empty header cell is the rest of a row split over two pages.
                    assert tagged.text(cell), f"page {cell.page + 1}"
                    checked += 1
    assert checked == len(cells) > 100
    # A row header belongs to one body row and is never repeated, so the PDF has exactly the
    # HTML's row headers; column headers repeat on every page a table continues on.
    by_scope = {"row": 0, "col": 0}
    for th in report.html.iter("th"):
        by_scope[th.get("scope")] += 1
    scopes = [str(c.obj.A.Scope) for c in cells]
    assert scopes.count("/Row") == by_scope["row"]
    assert scopes.count("/Column") >= by_scope["col"]


def test_report_html_puts_column_headers_in_the_head_and_row_headers_in_the_body(report):
    # The rule pdf_tags uses to give each TH its scope, checked on the HTML it reads.
    headers = list(report.html.iter("th"))
    assert len(headers) > 20
    for th in headers:
        group = th.getparent().getparent().tag
        assert (th.get("scope"), group) in {("col", "thead"), ("row", "tbody")}, th.text_content()


def test_every_figure_has_the_alt_text_of_its_chart_and_a_box_on_its_page(report):
    figures = report.tagged.with_role("/Figure")
    titles = [flat(svg.findtext("title")) for svg in report.html.iter("svg")]
    assert len(titles) >= 5  # QR code, domains, radar, risks, a crosswalk chart
    assert all(titles)
    assert [str(f.obj.Alt) for f in figures] == titles
    for figure in figures:
        x1, y1, x2, y2 = (float(v) for v in figure.obj.A.BBox)
        left, bottom, right, top = (float(v) for v in report.tagged.pages[figure.page].MediaBox)
        assert left <= x1 < x2 <= right and bottom <= y1 < y2 <= top, figure.obj.Alt


def test_qr_code_figure_box_is_where_the_stylesheet_puts_it(report):
    qr = report.tagged.with_role("/Figure")[0]
    assert qr.page == 0
    x1, y1, x2, y2 = (float(v) for v in qr.obj.A.BBox)
    # report.css: .cover-verify has a 20 mm left margin, its svg is 26 mm square.
    assert x1 == pytest.approx(20 / 25.4 * 72, abs=0.01)  # 56.69 pt
    assert x2 - x1 == pytest.approx(26 / 25.4 * 72, abs=0.01)  # 73.70 pt
    assert y2 - y1 == pytest.approx(26 / 25.4 * 72, abs=0.01)


def test_every_link_annotation_belongs_to_a_link_element_in_the_tree(report):
    tagged = report.tagged
    links = tagged.link_annotations()
    # Each contents entry has two (its text and its page number, a float), the verification
    # link wraps over two lines, and Appendix A points to the one review thread.
    entries = len(report.html.xpath("//nav//a"))
    assert entries >= 11
    assert len(links) == 2 * entries + 2 + 1
    parents = tagged.parent_tree()
    in_tree = {e.obj.objgen: e for e in tagged.elements}
    for page, annotation in links:
        element = in_tree[parents[int(annotation.StructParent)].objgen]
        assert element.role == "/Link"
        owned = [r for r in element.objrs if r.Obj.objgen == annotation.objgen]
        assert len(owned) == 1
        assert tagged.page_index(owned[0].Pg) == page


def test_link_descriptions_are_the_link_text_not_the_target(report):
    texts_of_href = defaultdict(set)
    for a in report.html.iter("a"):
        texts_of_href[a.get("href")].add(flat(a.text_content()))
    assert texts_of_href["#reviews"] == {"Appendix C: Review comments", "Appendix C"}
    for _, annotation in report.tagged.link_annotations():
        # An internal link names its target (/Dest), an external one its URI.
        href = f"#{annotation.Dest}" if "/Dest" in annotation else str(annotation.A.URI)
        assert str(annotation.Contents) in texts_of_href[href]


def test_all_page_content_is_in_the_tree_or_an_artifact(report):
    tagged = report.tagged
    parents = tagged.parent_tree()
    for page, mcids in enumerate(tagged.stream_mcids):
        owners = {mcid: e for e in tagged.elements if e.page == page for mcid in e.mcids}
        assert sorted(mcids) == sorted(owners), f"page {page + 1}"
        for mcid, element in owners.items():
            assert parents[page][mcid].objgen == element.obj.objgen
    # The running header and footer are page furniture, outside the tree.
    pages = len(tagged.pages)
    artifacts = artifact_text(report.data)
    assert f"Page 3 of {pages}" in artifacts[2]
    assert all(f"Page 3 of {pages}" not in t for t in tagged.mcid_text[2].values())


def test_headings_in_structure_order_are_the_html_headings_in_order(report):
    in_tree = [(level, text) for level, text, _ in headings(report.tagged)]
    in_html = [(int(h.tag[1]), flat(h.text_content())) for h in report.html.iter("h1", "h2", "h3")]
    assert in_tree == in_html


def test_headings_follow_the_page_order(report):
    # Structure order is reading order; it must not jump back on the page or to a page before.
    tagged = report.tagged
    positions = []
    for heading in tagged.with_role(*HEADINGS):
        page, mcid = heading.marked()[0]
        positions.append((page, tagged.stream_mcids[page].index(mcid)))
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)


def test_headings_are_not_empty_and_skip_no_level(report):
    found = headings(report.tagged)
    assert found[0][0] == 1
    for (level, text, _), (next_level, _, _) in zip(found, found[1:], strict=False):
        assert text
        assert next_level <= level + 1, text
    assert found[-1][1]


def test_bookmarks_are_the_first_and_second_level_headings_in_order(report):
    expected = [(level, text) for level, text, _ in headings(report.tagged) if level <= 2]
    # report.css labels the cover's bookmark (the AI system's name) as the cover.
    expected[0] = (1, f"Cover: {expected[0][1]}")
    assert report.tagged.outline() == expected


def headings(tagged: TaggedPdf) -> list[tuple[int, str, int]]:
    """(level, text, page) of each H1–H3 in structure order."""
    return [(int(h.role[2]), tagged.text(h), h.page) for h in tagged.with_role(*HEADINGS)]
