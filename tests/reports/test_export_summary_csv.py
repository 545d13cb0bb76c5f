"""The summary CSV: one long table (Section, ID, Code, Title, Measure, Value) of the overall
score, tier, gate, completeness, domains, controls, risks, crosswalk and roadmap, with values
computed by hand in tests/reports/export_helpers.py; and its query budget."""

import pytest
from django.urls import reverse

from assessments.scoring import current_result
from tests.factories import make_assessment, make_framework
from tests.reports.export_helpers import (
    get_export,
    make_tiny,
    measure,
    summary_csv,
    summary_csv_rows,
    tiny_framework,
    workbook,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny(organisation, owner):
    return make_tiny(organisation, owner)


def test_summary_csv_has_one_header_and_sections_in_order(client, owner, tiny):
    response = get_export(client, owner, tiny, "summary-csv")
    first = response.content.decode("utf-8").splitlines()[0]
    assert first == "Section,ID,Code,Title,Measure,Value"
    rows = summary_csv(client, owner, tiny)
    order = list(dict.fromkeys(r["Section"] for r in rows))
    assert order == ["overall", "domain", "control", "risk", "crosswalk", "roadmap", "path"]


def test_summary_csv_overall_tier_gate_and_completeness(client, owner, tiny):
    rows = summary_csv(client, owner, tiny)
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
    rows = summary_csv(client, owner, tiny)
    d1 = [r for r in rows if r["Section"] == "domain" and r["ID"] == "D1"]
    assert [(r["Code"], r["Title"], r["Measure"], r["Value"]) for r in d1] == [
        ("DM1", "Domain 1", "Level", "1"),
        ("DM1", "Domain 1", "Score", "100.00"),
        ("DM1", "Domain 1", "Weight", "1"),
        ("DM1", "Domain 1", "Share of overall (%)", "50.00"),
    ]
    assert measure(rows, "domain", "D2", "Score") == "25.00"
    assert measure(rows, "control", "D2-C1", "Score") == "25.00"
    assert measure(rows, "control", "D2-C1", "Critical below threshold") == "yes"
    assert measure(rows, "control", "D1-C1", "Critical below threshold") == "no"
    assert measure(rows, "control", "D2-C1", "Answered") == "1"
    assert measure(rows, "control", "D2-C1", "Domain code") == "DM2"


def test_summary_csv_risk_coverage_and_exposure(client, owner, tiny):
    rows = summary_csv(client, owner, tiny)
    assert measure(rows, "risk", "risk1", "Coverage") == "100.00"
    assert measure(rows, "risk", "risk1", "Exposure") == "0.00"
    assert measure(rows, "risk", "risk1", "High exposure") == "no"
    assert measure(rows, "risk", "risk2", "Coverage") == "25.00"
    assert measure(rows, "risk", "risk2", "Exposure") == "75.00"
    assert measure(rows, "risk", "risk2", "High exposure") == "yes"
    assert measure(rows, "risk", "risk2", "Mitigating controls") == "D2-C1"


def test_summary_csv_crosswalk_groups_and_references(client, owner, tiny):
    rows = summary_csv(client, owner, tiny)
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
    assert measure(rows, "crosswalk", "MAP-2.3", "Level") == "reference"
    assert measure(rows, "crosswalk", "MAP", "Scheme") == "nist-ai-rmf"


def test_summary_csv_roadmap_is_the_gap_list(client, owner, tiny):
    rows = summary_csv(client, owner, tiny)
    roadmap = {r["Measure"]: r["Value"] for r in rows if r["Section"] == "roadmap"}
    assert {r["ID"] for r in rows if r["Section"] == "roadmap"} == {"D2-C1"}
    assert roadmap["Rank"] == "1"
    assert roadmap["Score"] == "25.00"
    assert roadmap["Gap points"] == "37.50"
    assert roadmap["Overall after"] == "100.00"
    assert roadmap["Critical"] == "yes"
    assert roadmap["Next step"] == "Steps to improve control D2-1."


def test_summary_csv_neutralises_formulas_in_titles(client, owner, organisation):
    framework = tiny_framework("formula-fw", first_control_name="=HYPERLINK(1)")
    assessment = make_assessment(organisation, framework, title="Credit model")
    rows = summary_csv(client, owner, assessment)
    titles = {r["Title"] for r in rows if r["Section"] == "control" and r["ID"] == "D1-C1"}
    assert titles == {"'=HYPERLINK(1)"}


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


def test_scorecard_page_links_to_thesummary_csv(client, owner, tiny):
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
    rows = summary_csv_rows(client, owner, assessment)
    assert measure(rows, "control", "D2-C1", "In scope") == "no"
    assert measure(rows, "control", "D2-C1", "Score") == "N/A"
    assert measure(rows, "domain", "D2", "Score") == "N/A"
    assert measure(rows, "domain", "D2", "Share of overall (%)") == "N/A"
    assert measure(rows, "domain", "D1", "Share of overall (%)") == "100.00"
    assert measure(rows, "risk", "risk2", "Coverage") == "N/A"
    assert measure(rows, "risk", "risk2", "Mitigating controls") == ""
    assert measure(rows, "risk", "risk1", "Mitigating controls") == "D1-C1"
    book = workbook(client, owner, assessment)
    domains = book["Domains"]
    assert [domains["E3"].value, domains["G3"].value] == ["N/A", "N/A"]


def test_shares_of_three_equal_domains_round_to_two_decimals(client, owner, scored):
    # The report fixture has three top-level domains of weight 1, each scored: a third each.
    rows = summary_csv_rows(client, owner, scored)
    shares = [
        r["Value"]
        for r in rows
        if r["Section"] == "domain" and r["Measure"] == "Share of overall (%)"
    ]
    assert shares == ["33.33", "33.33", "33.33"]
    sheet = workbook(client, owner, scored)["Domains"]
    assert [sheet[f"G{row}"].value for row in (2, 3, 4)] == [0.3333, 0.3333, 0.3333]
    assert sheet["G2"].number_format == "0.00%"
