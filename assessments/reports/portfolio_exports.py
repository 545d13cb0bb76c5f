"""CSV and XLSX of the portfolio: the table, and in XLSX the heat map's numbers too.

The same rules as the assessment exports (reports/exports.py): scores through format_score,
and every text cell neutralised, since system names and titles are typed by people and must
never run as spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.text import slugify

from assessments.reports import exports_xlsx
from assessments.reports.export_sections import neutralise
from assessments.reports.portfolio import (
    COLUMNS,
    SCORE_COLUMNS,
    category_label,
    heat_rows,
    table_rows,
)
from assessments.selectors.portfolio import Portfolio
from scorecard.scoring import format_score

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TABLE_SHEET = "Portfolio"
HEAT_SHEET = "Heat map"


def filename(organisation, fmt: str) -> str:
    stem = slugify(organisation.name)[:60] or "organisation"
    return f"portfolio-{stem}-{timezone.now():%Y-%m-%d}.{fmt}"


def to_csv(portfolio: Portfolio) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    scores = [i for i, name in enumerate(COLUMNS) if name in SCORE_COLUMNS]
    for row in table_rows(portfolio):
        for i in scores:
            row[i] = "" if row[i] is None else format_score(row[i])
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def to_xlsx(portfolio: Portfolio) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    table = book.create_sheet(TABLE_SHEET)
    exports_xlsx.write_header(table, COLUMNS, {"AI system": 32, "Latest assessment": 32})
    scores = {i for i, name in enumerate(COLUMNS) if name in SCORE_COLUMNS}
    for values in table_rows(portfolio):
        line = []
        for i, value in enumerate(values):
            if i in scores:
                value = "" if value is None else exports_xlsx.score_value(value)
            cell = WriteOnlyCell(table, value=exports_xlsx.text_value(value))
            if i in scores and isinstance(value, float):
                cell.number_format = exports_xlsx.SCORE_FORMAT
            line.append(cell)
        table.append(line)
    heat = book.create_sheet(HEAT_SHEET)
    labels = [exports_xlsx.text_value(category_label(c)) for c in portfolio.categories]
    exports_xlsx.write_header(heat, ["AI system", *labels], {"AI system": 32})
    for name, values in heat_rows(portfolio):
        line = [WriteOnlyCell(heat, value=exports_xlsx.text_value(name))]
        for value in values:
            # Blank means no data: a 0 would claim no exposure at all.
            cell = WriteOnlyCell(
                heat, value=None if value is None else exports_xlsx.score_value(value)
            )
            if value is not None:
                cell.number_format = exports_xlsx.SCORE_FORMAT
            line.append(cell)
        heat.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(portfolio: Portfolio, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(portfolio)
    if fmt == "xlsx":
        return to_xlsx(portfolio)
    raise ValueError(f"unknown portfolio export format {fmt!r}")
