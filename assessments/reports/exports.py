"""CSV, XLSX and JSON exports of an assessment.

The CSV (format "csv") has one row per question with its scores, unchanged for the tools that
read it; the summary CSV ("summary-csv") carries the sections of export_sections in one long
table; the XLSX (exports_xlsx) has both, a sheet per section, and a chart sheet.

Every score goes through format_score, so a spreadsheet shows the same digits as the page and
the PDF. Text that a spreadsheet would run as a formula (= + - @, tab, carriage return) gets
a leading apostrophe: answers and comments are user input and must never become formulas.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from django.utils.text import slugify

from assessments.reports import export_sections as sections
from assessments.reports import exports_xlsx, roadmap
from assessments.reports.appendix import load_appendix
from assessments.reports.export_sections import neutralise
from assessments.services.transfer import export_assessment_document
from scorecard.loader import DisplayCodes, load_catalog_and_codes
from scorecard.scoring import Catalog, Result, format_score

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "summary-csv": "text/csv; charset=utf-8",
}
# File name endings that differ from the format's name.
EXTENSIONS = {
    "csv": "csv",
    "xlsx": "xlsx",
    "json": "json",
    "summary-csv": "summary.csv",
    "pdf": "pdf",
}
# Each display code sits right after the id it stands for; the ids stay, since other tools
# and the assessment JSON identify questions by them.
COLUMNS = (
    "Domain ID",
    "Domain code",
    "Domain",
    "Control ID",
    "Control code",
    "Control",
    "In scope",
    "Question ID",
    "Question code",
    "Question",
    "Answer",
    "Value",
    "N/A",
    "Justification",
    "Comment",
    "Evidence count",
    "Control score",
    "Domain score",
    "Overall score",
)
# Where the control stands on the path to the next tier (blank when it is not a step).
ROADMAP_COLUMNS = ("Roadmap step", "Gap points", "Overall after step", "Tier after step")
COLUMNS = COLUMNS + ROADMAP_COLUMNS
SCORE_COLUMNS = frozenset(
    {"Control score", "Domain score", "Overall score", "Gap points", "Overall after step"}
)
# The summary CSV (format "summary-csv"): one row per section entry and measure.
SUMMARY_COLUMNS = ("Section", "ID", "Code", "Title", "Measure", "Value")


def filename(assessment, fmt: str) -> str:
    stem = slugify(assessment.title)[:60] or "assessment"
    return f"scorecard-{stem}-rev{assessment.revision}.{EXTENSIONS.get(fmt, fmt)}"


def rows(
    assessment, result: Result, loaded: tuple[Catalog, DisplayCodes] | None = None
) -> Iterator[list]:
    """Each question of the catalog, in catalog order, as values for COLUMNS.

    Scores stay floats (None for N/A) so each format can render them its own way. `loaded`
    is the catalog and codes when the caller has read them already."""
    catalog, codes = loaded or load_catalog_and_codes(assessment.framework)
    appendix = load_appendix(assessment, catalog, result, codes)
    on_path = _roadmap_cells(roadmap.tier_path(catalog, result, codes))
    for domain, control, question in appendix.rows():
        yield [
            domain.id,
            domain.code,
            domain.name,
            control.id,
            control.code,
            control.name,
            "yes" if control.in_scope else "no",
            question.ref,
            question.code,
            question.text,
            question.answer,
            question.value,
            "yes" if question.na else "no",
            question.justification,
            question.comment,
            len(question.evidence),
            control.score,
            domain.score,
            result.overall,
            *on_path.get(control.id, _OFF_PATH),
        ]


_OFF_PATH = ("", "", "", "")


def _roadmap_cells(view: roadmap.TierPathView) -> dict[str, tuple]:
    """ROADMAP_COLUMNS for each control that is a step on the path to the next tier."""
    return {
        s.control: (s.rank, s.points, s.overall_after, s.tier_after or "none") for s in view.steps
    }


def _score_positions() -> list[int]:
    return [i for i, name in enumerate(COLUMNS) if name in SCORE_COLUMNS]


def to_csv(assessment, result: Result) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    scores = _score_positions()
    value_at = COLUMNS.index("Value")
    for row in rows(assessment, result):
        for i in scores:
            # "" leaves a roadmap cell blank for a control that is not a step.
            row[i] = row[i] if row[i] == "" else format_score(row[i])
        row[value_at] = "" if row[value_at] is None else f"{row[value_at]:g}"
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def to_xlsx(assessment, result: Result) -> bytes:
    loaded = load_catalog_and_codes(assessment.framework)
    return exports_xlsx.to_xlsx(
        assessment, result, rows(assessment, result, loaded), COLUMNS, SCORE_COLUMNS, loaded
    )


def to_summary_csv(assessment, result: Result) -> bytes:
    """Every summary section in one long table: one row per entry and measure.

    One header, fixed columns, so a pipeline filters on Section and Measure and a
    spreadsheet user on the same two columns; values are text as the page prints them."""
    catalog, codes = load_catalog_and_codes(assessment.framework)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SUMMARY_COLUMNS)
    for section in sections.summary_sections(assessment, catalog, result, codes):
        for entry in section.entries:
            for measure, kind, value in sections.cells(section, entry):
                line = [section.key, entry.id, entry.code, entry.title, measure, _text(kind, value)]
                writer.writerow([neutralise(cell) for cell in line])
    return out.getvalue().encode("utf-8")


def _text(kind: str, value) -> str:
    if kind in (sections.SCORE, sections.PERCENT):
        return format_score(value)
    if kind == sections.FLAG:
        return "yes" if value else "no"
    if kind == sections.WEIGHT:
        return f"{value:g}"
    return "" if value is None else str(value)


def to_json(assessment, result: Result | None = None) -> bytes:
    document = export_assessment_document(assessment)
    if result is not None:
        # Under "scores", which an import ignores, so the file still imports as it did.
        catalog, codes = load_catalog_and_codes(assessment.framework)
        document["scores"]["roadmap"] = roadmap.export_json(
            roadmap.tier_path(catalog, result, codes)
        )
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")


def export(assessment, fmt: str, result: Result) -> bytes:
    if fmt == "csv":
        return to_csv(assessment, result)
    if fmt == "xlsx":
        return to_xlsx(assessment, result)
    if fmt == "json":
        return to_json(assessment, result)
    if fmt == "summary-csv":
        return to_summary_csv(assessment, result)
    raise ValueError(f"unknown export format {fmt!r}")
