"""Complete exports: overall, tier, gate, completeness, domains, controls, risks, crosswalk and
roadmap in the summary CSV and in one XLSX sheet each, with frozen headers, number formats
and a chart sheet.

The assessment is small enough to score by hand (the factory catalog, two domains of one
critical control with two questions each, weights 1, tiers Initial 0 / Developing 30 /
Defined 55 / Managed 75 / Optimised 90, gate tier Developing, critical threshold 50):

- D1-C1 (DM1-1): q1 "Optimised" 1.0, q2 "All" 1.0          -> 100
- D2-C1 (DM2-1): q1 "Partial" 0.5, q2 unanswered (counts 0) -> 25
- domains D1 = 100, D2 = 25; each carries half the overall -> overall (100 + 25) / 2 = 62.5
- 62.5 reaches Defined, but D2-C1 is critical and below 50 -> capped at Developing
- completeness: 3 of 4 scored questions answered -> 75 %
- risk1 (D1-C1) coverage 100, exposure 0; risk2 (D2-C1) coverage 25, exposure 75 (high)
- NIST AI RMF: GOVERN-1.1 mapped by both controls -> 62.5; MAP-2.3 by D2-C1 -> 25;
  groups GOVERN 62.5, MAP 25
- roadmap: D2-C1 alone has a gap, 0.5 * (100 - 25) = 37.5 points; overall after 100
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Answer
from assessments.scoring import current_result
from scorecard.models import Control, ControlMapping, Framework, FrameworkStatus, Question
from tests.factories import make_assessment, make_framework

pytestmark = pytest.mark.django_db

SHEETS = ["Answers", "Summary", "Domains", "Controls", "Risks", "Crosswalk", "Roadmap", "Charts"]
ANSWERS = {"D1-C1.q1": ("Optimised", 1.0), "D1-C1.q2": ("All", 1.0), "D2-C1.q1": ("Partial", 0.5)}


def _tiny_framework(slug="tiny-fw", first_control_name=None):
    framework = make_framework(
        slug=slug,
        domains=2,
        controls_per_domain=1,
        questions_per_control=2,
        published=False,
        with_personas=False,
    )
    controls = {c.ref: c for c in Control.objects.filter(framework=framework)}
    ControlMapping.objects.bulk_create(
        ControlMapping(
            framework=framework, control=controls[ref], scheme="nist-ai-rmf", reference=r
        )
        for ref, r in (
            ("D1-C1", "GOVERN-1.1@1.0"),
            ("D2-C1", "GOVERN-1.1@1.0"),
            ("D2-C1", "MAP-2.3@1.0"),
        )
    )
    if first_control_name is not None:
        Control.objects.filter(pk=controls["D1-C1"].pk).update(name=first_control_name)
    Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
    framework.refresh_from_db()
    return framework


@pytest.fixture
def tiny(organisation, owner):
    assessment = make_assessment(
        organisation, _tiny_framework(), title="Credit model", created_by=owner
    )
    questions = {q.ref: q for q in Question.objects.filter(framework=assessment.framework)}
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=questions[ref], option_label=label, value=value)
        for ref, (label, value) in ANSWERS.items()
    )
    return assessment


def _get(client, owner, assessment, fmt):
    client.force_login(owner)
    url = reverse("assessment_export", kwargs={"assessment_id": assessment.pk, "fmt": fmt})
    response = client.get(url)
    assert response.status_code == 200
    return response


def _book(client, owner, assessment):
    return load_workbook(io.BytesIO(_get(client, owner, assessment, "xlsx").content))


def _values(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


# --- the summary CSV ---------------------------------------------------------------------


def _summary_csv(client, owner, assessment) -> list[dict]:
    response = _get(client, owner, assessment, "summary-csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert 'filename="scorecard-credit-model-rev1.summary.csv"' in disposition
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def _measure(rows, section, ident, measure):
    [row] = [
        r for r in rows if r["Section"] == section and r["ID"] == ident and r["Measure"] == measure
    ]
    return row["Value"]


def test_summary_csv_has_one_header_and_sections_in_order(client, owner, tiny):
    response = _get(client, owner, tiny, "summary-csv")
    first = response.content.decode("utf-8").splitlines()[0]
    assert first == "Section,ID,Code,Title,Measure,Value"
    rows = _summary_csv(client, owner, tiny)
    order = list(dict.fromkeys(r["Section"] for r in rows))
    assert order == ["overall", "domain", "control", "risk", "crosswalk", "roadmap"]


def test_summary_csv_overall_tier_gate_and_completeness(client, owner, tiny):
    rows = _summary_csv(client, owner, tiny)
    overall = {r["Measure"]: r["Value"] for r in rows if r["Section"] == "overall"}
    assert overall["Overall score"] == "62.50"
    assert overall["Tier"] == "Developing"
    assert overall["Tier before the gate"] == "Defined"
    assert overall["Gate tier"] == "Developing"
    assert overall["Critical threshold"] == "50.00"
    assert overall["Capped by the gate"] == "yes"
    assert overall["Capped by"] == "D2-C1"
    assert overall["Critical controls below the threshold"] == "Control D2-1 (D2-C1)"
    assert overall["Completeness (%)"] == "75.00"
    assert overall["Answered questions"] == "3"
    assert overall["Applicable questions"] == "4"


def test_summary_csv_domains_and_controls_with_codes(client, owner, tiny):
    rows = _summary_csv(client, owner, tiny)
    d1 = [r for r in rows if r["Section"] == "domain" and r["ID"] == "D1"]
    assert [(r["Code"], r["Title"], r["Measure"], r["Value"]) for r in d1] == [
        ("DM1", "Domain 1", "Level", "1"),
        ("DM1", "Domain 1", "Score", "100.00"),
        ("DM1", "Domain 1", "Weight", "1"),
        ("DM1", "Domain 1", "Share of overall (%)", "50.00"),
    ]
    assert _measure(rows, "domain", "D2", "Score") == "25.00"
    assert _measure(rows, "control", "D2-C1", "Score") == "25.00"
    assert _measure(rows, "control", "D2-C1", "Critical below threshold") == "yes"
    assert _measure(rows, "control", "D1-C1", "Critical below threshold") == "no"
    assert _measure(rows, "control", "D2-C1", "Answered") == "1"
    assert _measure(rows, "control", "D2-C1", "Domain code") == "DM2"


def test_summary_csv_risk_coverage_and_exposure(client, owner, tiny):
    rows = _summary_csv(client, owner, tiny)
    assert _measure(rows, "risk", "risk1", "Coverage") == "100.00"
    assert _measure(rows, "risk", "risk1", "Exposure") == "0.00"
    assert _measure(rows, "risk", "risk1", "High exposure") == "no"
    assert _measure(rows, "risk", "risk2", "Coverage") == "25.00"
    assert _measure(rows, "risk", "risk2", "Exposure") == "75.00"
    assert _measure(rows, "risk", "risk2", "High exposure") == "yes"
    assert _measure(rows, "risk", "risk2", "Mitigating controls") == "D2-C1"


def test_summary_csv_crosswalk_groups_and_references(client, owner, tiny):
    rows = _summary_csv(client, owner, tiny)
    scores = [
        (r["ID"], r["Value"])
        for r in rows
        if r["Section"] == "crosswalk" and r["Measure"] == "Score"
    ]
    assert scores == [
        ("GOVERN", "62.50"),
        ("MAP", "25.00"),
        ("GOVERN-1.1", "62.50"),
        ("MAP-2.3", "25.00"),
    ]
    assert _measure(rows, "crosswalk", "MAP-2.3", "Level") == "reference"
    assert _measure(rows, "crosswalk", "MAP", "Scheme") == "nist-ai-rmf"


def test_summary_csv_roadmap_is_the_gap_list(client, owner, tiny):
    rows = _summary_csv(client, owner, tiny)
    roadmap = {r["Measure"]: r["Value"] for r in rows if r["Section"] == "roadmap"}
    assert {r["ID"] for r in rows if r["Section"] == "roadmap"} == {"D2-C1"}
    assert roadmap["Rank"] == "1"
    assert roadmap["Score"] == "25.00"
    assert roadmap["Gap points"] == "37.50"
    assert roadmap["Overall after"] == "100.00"
    assert roadmap["Critical"] == "yes"
    assert roadmap["Next step"] == "Steps to improve control D2-1."


def test_summary_csv_neutralises_formulas_in_titles(client, owner, organisation):
    framework = _tiny_framework("formula-fw", first_control_name="=HYPERLINK(1)")
    assessment = make_assessment(organisation, framework, title="Credit model")
    rows = _summary_csv(client, owner, assessment)
    titles = {r["Title"] for r in rows if r["Section"] == "control" and r["ID"] == "D1-C1"}
    assert titles == {"'=HYPERLINK(1)"}


# --- the XLSX sheets ---------------------------------------------------------------------


def test_xlsx_has_a_sheet_per_section_each_with_a_frozen_header(client, owner, tiny):
    book = _book(client, owner, tiny)
    assert book.sheetnames == SHEETS
    for name in SHEETS:
        assert book[name].freeze_panes == "A2", name
        assert all(c.font.bold for c in book[name][1] if c.value), name


def test_xlsx_summary_sheet_tier_gate_and_completeness(client, owner, tiny):
    sheet = _book(client, owner, tiny)["Summary"]
    assert [c.value for c in sheet[1]] == ["Field", "Value"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert cells["AI system"].value == "Credit model"
    assert cells["Organisation"].value == "Acme AI"
    assert cells["Framework"].value == "Test framework tiny-fw 1.0"
    assert cells["Status"].value == "Draft"
    assert cells["Revision"].value == 1
    assert cells["Methodology version"].value == "1.0"
    assert cells["Overall score"].value == 62.5
    assert cells["Overall score"].number_format == "0.00"
    assert cells["Tier"].value == "Developing"
    assert cells["Tier before the gate"].value == "Defined"
    assert cells["Capped by the gate"].value == "yes"
    assert cells["Capped by"].value == "D2-C1"
    assert cells["Completeness (%)"].value == 0.75
    assert cells["Completeness (%)"].number_format == "0.00%"


def test_xlsx_domains_sheet_header_rows_and_formats(client, owner, tiny):
    sheet = _book(client, owner, tiny)["Domains"]
    assert _values(sheet) == [
        ["Domain ID", "Domain code", "Domain", "Level", "Score", "Weight", "Share of overall (%)"],
        ["D1", "DM1", "Domain 1", 1, 100.0, 1.0, 0.5],
        ["D2", "DM2", "Domain 2", 1, 25.0, 1.0, 0.5],
    ]
    assert sheet["E2"].number_format == "0.00"
    assert sheet["G2"].number_format == "0.00%"


def test_xlsx_controls_sheet_first_rows(client, owner, tiny):
    sheet = _book(client, owner, tiny)["Controls"]
    rows = _values(sheet)
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
    sheet = _book(client, owner, tiny)["Risks"]
    assert _values(sheet) == [
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
    book = _book(client, owner, tiny)
    assert _values(book["Crosswalk"]) == [
        ["Reference ID", "Reference", "Scheme", "Level", "Score"],
        ["GOVERN", "GOVERN", "nist-ai-rmf", "group", 62.5],
        ["MAP", "MAP", "nist-ai-rmf", "group", 25.0],
        ["GOVERN-1.1", "GOVERN-1.1", "nist-ai-rmf", "reference", 62.5],
        ["MAP-2.3", "MAP-2.3", "nist-ai-rmf", "reference", 25.0],
    ]
    roadmap = book["Roadmap"]
    assert _values(roadmap) == [
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
    sheet = _book(client, owner, tiny)["Charts"]
    assert _values(sheet) == [
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


# --- query budget ------------------------------------------------------------------------


# Counted once on the small assessment; the point is that 4 x 4 controls cost the same as
# 1 x 1 (the XLSX reads more than the summary CSV: its Answers sheet needs the appendix).
@pytest.mark.parametrize(("fmt", "queries"), [("xlsx", 14), ("summary-csv", 9)])
def test_export_queries_do_not_grow_with_the_catalog(
    client, owner, organisation, django_assert_num_queries, fmt, queries
):
    from tests.reports.conftest import answer_everything, make_report_framework

    for slug, size in (("small-fw", 1), ("large-fw", 4)):
        framework = make_report_framework(
            slug=slug, domains=size, controls_per_domain=size, questions_per_control=2
        )
        assessment = make_assessment(organisation, framework, title=slug, created_by=owner)
        answer_everything(assessment, user=owner)
        current_result(assessment)  # the score cache, as a page view would leave it
        client.force_login(owner)
        url = reverse("assessment_export", kwargs={"assessment_id": assessment.pk, "fmt": fmt})
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_scorecard_page_links_to_the_summary_csv(client, owner, tiny):
    client.force_login(owner)
    page = client.get(reverse("scorecard", kwargs={"assessment_id": tiny.pk}))
    url = reverse("assessment_export", kwargs={"assessment_id": tiny.pk, "fmt": "summary-csv"})
    assert f'href="{url}" download>Summary CSV</a>' in page.content.decode()


def test_out_of_scope_control_and_its_domain_export_as_na(client, owner, organisation):
    # With personas, D2-C1 (the second control) is for the model builder only; an assessment
    # for the application user leaves it, and so domain D2 and risk2, without a score.
    framework = make_framework(
        slug="persona-fw", domains=2, controls_per_domain=1, questions_per_control=2
    )
    assessment = make_assessment(
        organisation, framework, title="Chat assistant", personas=["personaUser"]
    )
    rows = _summary_csv_named(client, owner, assessment)
    assert _measure(rows, "control", "D2-C1", "In scope") == "no"
    assert _measure(rows, "control", "D2-C1", "Score") == "N/A"
    assert _measure(rows, "domain", "D2", "Score") == "N/A"
    assert _measure(rows, "domain", "D2", "Share of overall (%)") == "N/A"
    assert _measure(rows, "domain", "D1", "Share of overall (%)") == "100.00"
    assert _measure(rows, "risk", "risk2", "Coverage") == "N/A"
    assert _measure(rows, "risk", "risk2", "Mitigating controls") == ""
    assert _measure(rows, "risk", "risk1", "Mitigating controls") == "D1-C1"
    book = load_workbook(io.BytesIO(_get(client, owner, assessment, "xlsx").content))
    domains = book["Domains"]
    assert [domains["E3"].value, domains["G3"].value] == ["N/A", "N/A"]


def _summary_csv_named(client, owner, assessment) -> list[dict]:
    response = _get(client, owner, assessment, "summary-csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_shares_of_three_equal_domains_round_to_two_decimals(client, owner, scored):
    # The report fixture has three top-level domains of weight 1, each scored: a third each.
    rows = _summary_csv_named(client, owner, scored)
    shares = [
        r["Value"]
        for r in rows
        if r["Section"] == "domain" and r["Measure"] == "Share of overall (%)"
    ]
    assert shares == ["33.33", "33.33", "33.33"]
    sheet = _book(client, owner, scored)["Domains"]
    assert [sheet[f"G{row}"].value for row in (2, 3, 4)] == [0.3333, 0.3333, 0.3333]
    assert sheet["G2"].number_format == "0.00%"
