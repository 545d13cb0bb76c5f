"""The Excel workbook: one sheet per summary section with a bold, frozen header row, scores
as 0.00 numbers, shares as 0.00% cells, and a chart sheet with two bar charts; values computed
by hand in tests/reports/export_helpers.py."""

import pytest

from tests.reports.export_helpers import SHEETS, make_tiny, values, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny(organisation, owner):
    return make_tiny(organisation, owner)


def test_xlsx_has_a_sheet_per_section_each_with_a_frozen_header(client, owner, tiny):
    book = workbook(client, owner, tiny)
    assert book.sheetnames == SHEETS
    for name in SHEETS:
        assert book[name].freeze_panes == "A2", name
        assert all(c.font.bold for c in book[name][1] if c.value), name


def test_xlsx_summary_sheet_tier_gate_and_completeness(client, owner, tiny):
    sheet = workbook(client, owner, tiny)["Summary"]
    assert [c.value for c in sheet[1]] == ["Field", "Value"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert cells["AI system"].value == "Credit model"
    assert cells["Organisation"].value == "Acme AI"
    assert cells["Framework"].value == "Test framework tiny-fw 1.0"
    assert cells["Status"].value == "Draft"
    assert cells["Revision"].value == 1
    assert cells["Methodology version"].value == "1.1"
    assert cells["Overall score"].value == 62.5
    assert cells["Overall score"].number_format == "0.00"
    assert cells["Tier"].value == "Developing"
    assert cells["Tier before the gate"].value == "Defined"
    assert cells["Capped by the gate"].value == "yes"
    assert cells["Capped by"].value == "D2-C1"
    assert cells["Completeness (%)"].value == 0.75
    assert cells["Completeness (%)"].number_format == "0.00%"


def test_xlsx_domains_sheet_header_rows_and_formats(client, owner, tiny):
    sheet = workbook(client, owner, tiny)["Domains"]
    assert values(sheet) == [
        ["Domain ID", "Domain code", "Domain", "Level", "Score", "Weight", "Share of overall (%)"],
        ["D1", "DM1", "Domain 1", 1, 100.0, 1.0, 0.5],
        ["D2", "DM2", "Domain 2", 1, 25.0, 1.0, 0.5],
    ]
    assert sheet["E2"].number_format == "0.00"
    assert sheet["G2"].number_format == "0.00%"


def test_xlsx_controls_sheet_first_rows(client, owner, tiny):
    sheet = workbook(client, owner, tiny)["Controls"]
    rows = values(sheet)
    assert rows[0] == [
        "Control ID",
        "Control code",
        "Control",
        "Domain ID",
        "Domain code",
        "In scope",
        "Critical",
        "Critical below threshold",
        "Score",
        "Weight",
        "Share of overall (%)",
        "Answered",
        "Scored questions",
    ]
    assert rows[1] == ["D1-C1", "DM1-1", "Control D1-1", "D1", "DM1", "yes", "yes", "no"] + [
        100.0,
        1.0,
        0.5,
        2,
        2,
    ]
    assert rows[2][:9] == ["D2-C1", "DM2-1", "Control D2-1", "D2", "DM2", "yes", "yes", "yes", 25.0]
    assert sheet["I3"].number_format == "0.00"
    assert sheet["K3"].number_format == "0.00%"


def test_xlsx_risks_sheet_coverage_and_exposure(client, owner, tiny):
    sheet = workbook(client, owner, tiny)["Risks"]
    assert values(sheet) == [
        [
            "Risk ID",
            "Risk",
            "Category",
            "Coverage",
            "Exposure",
            "High exposure",
            "Mitigating controls",
        ],
        ["risk1", "Risk 1", None, 100.0, 0.0, "no", "D1-C1"],
        ["risk2", "Risk 2", None, 25.0, 75.0, "yes", "D2-C1"],
    ]
    assert sheet["D3"].number_format == "0.00"
    assert sheet["E3"].number_format == "0.00"


def test_xlsx_crosswalk_and_roadmap_sheets(client, owner, tiny):
    book = workbook(client, owner, tiny)
    assert values(book["Crosswalk"]) == [
        ["Reference ID", "Reference", "Scheme", "Level", "Score"],
        ["GOVERN", "GOVERN", "nist-ai-rmf", "group", 62.5],
        ["MAP", "MAP", "nist-ai-rmf", "group", 25.0],
        ["GOVERN-1.1", "GOVERN-1.1", "nist-ai-rmf", "reference", 62.5],
        ["MAP-2.3", "MAP-2.3", "nist-ai-rmf", "reference", 25.0],
    ]
    roadmap = book["Roadmap"]
    assert values(roadmap) == [
        [
            "Control ID",
            "Control code",
            "Control",
            "Rank",
            "Domain code",
            "Domain",
            "Critical",
            "Score",
            "Gap points",
            "Overall after",
            "Next step",
        ],
        [
            "D2-C1",
            "DM2-1",
            "Control D2-1",
            1,
            "DM2",
            "Domain 2",
            "yes",
            25.0,
            37.5,
            100.0,
            "Steps to improve control D2-1.",
        ],
    ]
    assert [roadmap[f"{col}2"].number_format for col in "HIJ"] == ["0.00"] * 3


def test_xlsx_chart_sheet_has_domain_and_risk_bar_charts(client, owner, tiny):
    sheet = workbook(client, owner, tiny)["Charts"]
    assert values(sheet) == [
        ["Domain", "Domain score", "Risk", "Risk coverage"],
        ["DM1 Domain 1", 100.0, "Risk 1", 100.0],
        ["DM2 Domain 2", 25.0, "Risk 2", 25.0],
    ]
    charts = sheet._charts
    assert [type(c).__name__ for c in charts] == ["BarChart", "BarChart"]
    refs = [c.series[0].val.numRef.f for c in charts]
    assert refs == ["'Charts'!$B$2:$B$3", "'Charts'!$D$2:$D$3"]
    categories = [c.series[0].cat.numRef or c.series[0].cat.strRef for c in charts]
    assert [c.f for c in categories] == ["'Charts'!$A$2:$A$3", "'Charts'!$C$2:$C$3"]
    assert [c.title.tx.rich.p[0].r[0].t for c in charts] == [
        "Readiness score by domain",
        "Risk coverage",
    ]
    assert all(c.x_axis.delete is False and c.y_axis.delete is False for c in charts)
    assert [(c.y_axis.scaling.min, c.y_axis.scaling.max) for c in charts] == [(0, 100)] * 2
