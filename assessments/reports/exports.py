"""CSV, XLSX and JSON exports of an assessment: one row per question, with its scores.

Every score goes through format_score, so a spreadsheet shows the same digits as the page and
the PDF. Text that a spreadsheet would run as a formula (= + - @, tab, carriage return) gets
a leading apostrophe: answers and comments are user input and must never become formulas.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator

from django.utils.text import slugify

from assessments.reports import roadmap
from assessments.reports.appendix import load_appendix
from assessments.services.transfer import export_assessment_document
from scorecard.loader import DisplayCodes, load_catalog_and_codes
from scorecard.scoring import Catalog, Result, format_score

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
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
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold at all.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value):
    """Text a spreadsheet would evaluate is prefixed with an apostrophe; the rest is kept."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def filename(assessment, fmt: str) -> str:
    stem = slugify(assessment.title)[:60] or "assessment"
    return f"scorecard-{stem}-rev{assessment.revision}.{fmt}"


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
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Answers")
    sheet.freeze_panes = "A2"
    widths = {"Question": 60, "Justification": 40, "Comment": 40, "Domain": 24, "Control": 32}
    for i, name in enumerate(COLUMNS):
        letter = _column_letter(i)
        sheet.column_dimensions[letter].width = widths.get(name, 14)
    bold = Font(bold=True)
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    scores = set(_score_positions())
    wrap = Alignment(wrap_text=True, vertical="top")
    loaded = load_catalog_and_codes(assessment.framework)
    for values in rows(assessment, result, loaded):
        line = []
        for i, value in enumerate(values):
            if i in scores and value != "":
                value = _xlsx_score(value)
            cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
            if i in scores and isinstance(value, float):
                cell.number_format = "0.00"
            if isinstance(value, str) and len(value) > 40:
                cell.alignment = wrap
            line.append(cell)
        sheet.append(line)
    _summary_sheet(book, assessment, result, loaded[1])
    _roadmap_sheet(book, roadmap.tier_path(loaded[0], result, loaded[1]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _summary_sheet(book, assessment, result: Result, codes: DisplayCodes) -> None:
    sheet = book.create_sheet("Summary")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 14
    fields = [
        ("AI system", assessment.title),
        ("Organisation", assessment.organisation.name),
        ("Framework", f"{assessment.framework.name} {assessment.framework.version}"),
        ("Status", assessment.get_status_display()),
        ("Revision", assessment.revision),
        ("Methodology version", result.methodology_version),
        ("Overall score", _xlsx_score(result.overall)),
        ("Tier", result.tier or "N/A"),
        ("Capped by critical controls", ", ".join(result.gated_by) or "no"),
        ("Completeness (%)", _xlsx_score(result.completeness)),
    ]
    for label, value in fields:
        sheet.append([label, _cell(sheet, value)])
    sheet.append([])
    sheet.append(["Domain ID", "Domain code", "Domain", "Score"])
    for node in result.domains.values():
        score = _cell(sheet, _xlsx_score(node.score))
        sheet.append([node.id, codes.domain(node.id), _xlsx_text(node.name), score])


def _roadmap_sheet(book, view: roadmap.TierPathView) -> None:
    """The path to the next tier, one row per step, after a line saying where it leads."""
    from openpyxl.styles import Font

    sheet = book.create_sheet("Roadmap")
    sheet.freeze_panes = "A3"
    for letter, width in zip("ABCDEFGHI", (8, 24, 14, 40, 16, 12, 12, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    target = view.target or "none"
    sheet.append([_xlsx_text(f"Path to {target}: {view.status}"), _xlsx_text(view.reason)])
    header = []
    for name in roadmap.EXPORT_COLUMNS:
        cell = _cell(sheet, name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for values in roadmap.export_rows(view):
        for i in (5, 6, 7):
            values[i] = _xlsx_score(values[i])
        sheet.append([_cell(sheet, v) for v in values])


def _cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
    if isinstance(value, float):
        cell.number_format = "0.00"
    return cell


def _xlsx_score(value: float | None):
    # A rounded number, shown with two decimals, reads back as format_score's digits.
    return "N/A" if value is None else float(format_score(value))


def _xlsx_text(value):
    if isinstance(value, str):
        return neutralise(_ILLEGAL_XML.sub("", value))
    return value


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


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
    raise ValueError(f"unknown export format {fmt!r}")
