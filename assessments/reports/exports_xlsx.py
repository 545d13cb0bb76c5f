"""The Excel export: the answers, one sheet per summary section (the path to the next tier
among them), then a chart sheet.

Every sheet has a bold header row frozen in place. Scores are numbers rounded the way
format_score rounds them and shown with two decimals ("0.00"); shares and completeness are
percentage cells ("0.00%", so 50 % is stored as 0.5); N/A stays the text "N/A".
"""

from __future__ import annotations

import io

from assessments.reports import export_sections as sections
from scorecard.scoring import Result, format_score

SCORE_FORMAT = "0.00"
PERCENT_FORMAT = "0.00%"
CHART_SHEET = "Charts"
WIDTHS = {"Question": 60, "Justification": 40, "Comment": 40, "Domain": 24, "Control": 32}
WIDE = {"Field": 36, "Value": 40, "Next step": 60, "Mitigating controls": 32, "Risk": 32}


def to_xlsx(assessment, result: Result, rows, columns, score_columns, loaded) -> bytes:
    """`rows` yields the answer rows for `columns` (exports.rows); `loaded` is the catalog."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _answers_sheet(book, rows, columns, score_columns)
    catalog, codes = loaded
    summary = sections.summary_sections(assessment, catalog, result, codes)
    for section in summary:
        _section_sheet(book, section)
    _chart_sheet(book, summary)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header(sheet, names, widths) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for i, name in enumerate(names):
        sheet.column_dimensions[get_column_letter(i + 1)].width = widths.get(name, 14)
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)


# The header every sheet starts with, for the other workbooks (the portfolio's).
write_header = _header


def _answers_sheet(book, rows, columns, score_columns) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    sheet = book.create_sheet("Answers")
    _header(sheet, columns, WIDTHS)
    scores = {i for i, name in enumerate(columns) if name in score_columns}
    wrap = Alignment(wrap_text=True, vertical="top")
    for values in rows:
        line = []
        for i, value in enumerate(values):
            if i in scores and value != "":  # "" is a roadmap cell of a control off the path
                value = score_value(value)
            cell = WriteOnlyCell(sheet, value=text_value(value))
            if i in scores and isinstance(value, float):
                cell.number_format = SCORE_FORMAT
            if isinstance(value, str) and len(value) > 40:
                cell.alignment = wrap
            line.append(cell)
        sheet.append(line)


def _section_sheet(book, section: sections.Section) -> None:
    sheet = book.create_sheet(section.sheet)
    noun = section.noun
    if section.key == "overall":
        names = ["Field", "Value"]
    else:
        ident = [f"{noun} ID", f"{noun} code"] if section.has_codes else [f"{noun} ID"]
        names = [*ident, noun, *(name for name, _ in section.measures)]
    _header(sheet, names, {**WIDTHS, **WIDE})
    for entry in section.entries:
        if section.key == "overall":
            line = [entry.title]
        else:
            line = [entry.id, entry.code] if section.has_codes else [entry.id]
            line.append(entry.title)
        line.extend(_cell(sheet, kind, value) for _, kind, value in sections.cells(section, entry))
        sheet.append([text_value(v) if isinstance(v, str) else v for v in line])


def _cell(sheet, kind: str, value):
    from openpyxl.cell import WriteOnlyCell

    if kind == sections.SCORE:
        value = score_value(value)
        fmt = SCORE_FORMAT
    elif kind == sections.PERCENT:
        # The percent is rounded to format_score's two decimals first, then stored as a share.
        value = "N/A" if value is None else float(format_score(value)) / 100
        fmt = PERCENT_FORMAT
    elif kind == sections.FLAG:
        value, fmt = ("yes" if value else "no"), None
    else:
        fmt = None
    cell = WriteOnlyCell(sheet, value=text_value(value))
    if fmt and isinstance(value, float):
        cell.number_format = fmt
    return cell


def _chart_sheet(book, summary: list[sections.Section]) -> None:
    """Domain scores and risk coverage as bar charts, over small tables on the same sheet.

    The tables sit beside the charts so each chart reads one contiguous range: top-level
    domains only (sub-domains would repeat their parent's share), and every risk."""
    from openpyxl.chart import BarChart, Reference

    by_key = {s.key: s for s in summary}
    domains = [e for e in by_key["domain"].entries if e.values[0] == 1]
    risks = list(by_key["risk"].entries)
    sheet = book.create_sheet(CHART_SHEET)
    _header(sheet, ["Domain", "Domain score", "Risk", "Risk coverage"], {"Domain": 32, "Risk": 32})
    for i in range(max(len(domains), len(risks))):
        line: list = [None, None, None, None]
        if i < len(domains):
            d = domains[i]
            line[0:2] = [_label(d), _cell(sheet, sections.SCORE, d.values[1])]
        if i < len(risks):
            r = risks[i]
            line[2:4] = [text_value(r.title), _cell(sheet, sections.SCORE, r.values[1])]
        sheet.append(line)
    for col, count, title, anchor in (
        (1, len(domains), "Readiness score by domain", "F2"),
        (3, len(risks), "Risk coverage", "F20"),
    ):
        chart = BarChart()
        chart.type = "bar"
        chart.title = title
        chart.y_axis.title = "Score (0-100)"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        chart.legend = None
        # Spelled out: left unset, recent Excel versions hide both axes.
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        # Horizontal bars list the first row at the top, as the table beside them does.
        chart.x_axis.scaling.orientation = "maxMin"
        chart.width, chart.height = 18, max(7.5, 0.8 * count + 3)
        data = Reference(sheet, min_col=col + 1, min_row=1, max_row=count + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=col, min_row=2, max_row=count + 1))
        sheet.add_chart(chart, anchor)


def _label(entry: sections.Entry) -> str:
    return text_value(f"{entry.code} {entry.title}" if entry.code else entry.title)


def score_value(value: float | None):
    # A rounded number, shown with two decimals, reads back as format_score's digits.
    return "N/A" if value is None else float(format_score(value))


def text_value(value):
    return sections.clean_text(value)
