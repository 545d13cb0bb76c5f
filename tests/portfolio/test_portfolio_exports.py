"""CSV and XLSX of the portfolio: the table's figures, the heat map as a second sheet,
formulas neutralised, filters honoured, the export audited."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import AISystem, AuditEvent
from tests.portfolio.helpers import build

pytestmark = pytest.mark.django_db


def url(fmt):
    return reverse("portfolio_export", args=[fmt])


@pytest.fixture
def data(organisation, categorised, owner):
    build(organisation, categorised, 2, owner=owner, finalised_scores=(60.0, 72.5))
    AISystem.objects.filter(name="System 001").update(name='=HYPERLINK("http://x.example")')


def test_csv_has_one_row_per_system_with_the_figures_and_neutralised_names(client, owner, data):
    client.force_login(owner)
    response = client.get(url("csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert header[0] == "AI system" and header[-1] == "Change since previous"
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_name) == {"System 000", '\'=HYPERLINK("http://x.example")'}
    first = by_name["System 000"]
    assert first["Overall score"] == "72.50"
    assert first["Finalised scores (oldest first)"] == "60.00 72.50"
    assert first["Change since previous"] == "12.50"
    assert first["Figures from"] == "System 000 rev. 2 (latest finalised)"
    assert first["Latest assessment"] == "System 000 rev. 3"
    assert first["Owner"] == "owner@acme.example"
    second = by_name['\'=HYPERLINK("http://x.example")']
    assert second["Overall score"] == "6.25" and second["Change since previous"] == ""
    event = AuditEvent.objects.get(action="report.export", actor=owner)
    assert event.data["kind"] == "portfolio" and event.data["systems"] == 2


def test_xlsx_has_the_table_and_the_heat_map_sheets(client, owner, data):
    client.force_login(owner)
    response = client.get(url("xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Portfolio", "Heat map"]
    table = list(book["Portfolio"].iter_rows(values_only=True))
    assert table[0][0] == "AI system"
    # By name: "=" sorts before "S".
    assert [r[0] for r in table[1:]] == ['\'=HYPERLINK("http://x.example")', "System 000"]
    assert table[2][6] == 72.5  # a number, shown with two decimals
    heat = list(book["Heat map"].iter_rows(values_only=True))
    assert heat[0] == ("AI system", "Data", "Model")
    # The draft system: Data = 100 - mean(25, 0) = 87.5, Model = 100.
    assert heat[1][1:] == (87.5, 100.0)


def test_exports_follow_the_filters_and_unknown_formats_are_404(client, owner, data):
    AISystem.objects.filter(name="System 000").update(autonomy_level=None)
    client.force_login(owner)
    response = client.get(url("csv"), {"autonomy": "none"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [r[0] for r in rows[1:]] == ["System 000"]
    assert client.get(url("json")).status_code == 404
