"""The path to the next tier on the scorecard page, in the PDF and in the exports.

One domain, four one-question controls: D1-C1 and D1-C2 critical with weight 1, D1-C3 and
D1-C4 with weight 4 (total 10, so shares .1, .1, .4, .4). Tiers (tests/factories.py):
Initial 0, Developing 30, Defined 55, Managed 75, Optimised 90; gate tier Developing,
critical threshold 50. Answers C1 .25, C2 0, C3 .25, C4 .5:
overall = (.25 + 0 + 4*.25 + 4*.5) / 10 = 32.5, tier Developing.
Gaps: C3 .4*75 = 30, C4 .4*50 = 20, C2 .1*100 = 10, C1 .1*75 = 7.5.
Points alone would start with C3 (62.5: Defined, capped at Developing by C1 and C2).
The path to Defined takes C2 (42.5, Developing), C1 (50, Developing), then C3 (80, Managed).
"""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import Answer
from assessments.reports import pdf
from assessments.services.transfer import import_assessment_document
from scorecard.models import Control, Framework, FrameworkStatus, Question
from tests.factories import make_assessment, make_framework

pytestmark = pytest.mark.django_db

SENTENCE = (
    "To reach Defined: improve these 3 controls (the first 2 clear the critical-control gate); "
    "the tier would then be Managed at an overall score of 80.00."
)


LABELS = {0.0: "Not started", 0.25: "Ad hoc", 0.5: "Partial", 1.0: "Optimised"}


@pytest.fixture
def path_assessment(organisation, owner):
    framework = make_framework(
        slug="path-fw", domains=1, controls_per_domain=4, questions_per_control=1, published=False
    )
    Control.objects.filter(framework=framework, ref__in=["D1-C1", "D1-C2"]).update(critical=True)
    Control.objects.filter(framework=framework, ref__in=["D1-C3", "D1-C4"]).update(weight=4)
    Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
    framework.refresh_from_db()
    assessment = make_assessment(organisation, framework, title="Path system", created_by=owner)
    values = {"D1-C1": 0.25, "D1-C2": 0.0, "D1-C3": 0.25, "D1-C4": 0.5}
    for question in Question.objects.filter(framework=framework):
        Answer.objects.create(
            assessment=assessment,
            question=question,
            value=values[question.control.ref],
            option_label=LABELS[values[question.control.ref]],
        )
    return assessment


def page_text(client, owner, assessment) -> str:
    client.force_login(owner)
    url = reverse("scorecard", kwargs={"assessment_id": assessment.pk})
    html = client.get(url).content.decode()
    # Each number links to its derivation (tests/reports/test_every_figure_explained.py);
    # here only the number printed counts.
    html = re.sub(
        r'<a class="score-link" href="[^"]*">([^<]*)<span class="visually-hidden">[^<]*</span></a>',
        r"\1",
        html,
    )
    return " ".join(html.split())


def export(client, owner, assessment, fmt):
    client.force_login(owner)
    url = reverse("assessment_export", kwargs={"assessment_id": assessment.pk, "fmt": fmt})
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def test_page_says_what_it_takes_to_reach_the_next_tier(client, owner, path_assessment):
    text = page_text(client, owner, path_assessment)
    assert "The path to Defined" in text
    assert SENTENCE in text


def test_page_names_the_critical_controls_that_stop_the_tier_rising(client, owner, path_assessment):
    text = page_text(client, owner, path_assessment)
    blockers = text.split("What stops the tier from rising above Developing:</strong>")[1]
    blockers = blockers.split("</p>")[0]
    # Roadmap order: C2 (10 gap points) before C1 (7.5).
    assert blockers.index("D1-C2") < blockers.index("D1-C1")
    assert "(0.00)" in blockers and "(25.00)" in blockers
    assert "critical controls below 50" in blockers


def test_page_lists_each_step_with_overall_and_tier_after(client, owner, path_assessment):
    text = page_text(client, owner, path_assessment)
    table = text.split('class="table table-sm tier-path-table"')[1].split("</table>")[0]
    rows = table.split('<tr class="tier-path-step">')[1:]
    expected = [
        ("D1-C2", "+10.00", "42.50", "Developing", True),
        ("D1-C1", "+7.50", "50.00", "Developing", True),
        ("D1-C3", "+30.00", "80.00", "Managed", False),
    ]
    assert len(rows) == 3
    for row, (ref, points, after, tier, gate) in zip(rows, expected, strict=True):
        assert ref in row
        assert f'<td class="num">{points}</td><td class="num">{after}</td><td>{tier}</td>' in row
        assert ("Clears the gate" in row) is gate


def test_top_tier_page_says_there_is_no_tier_above(client, owner, path_assessment):
    Answer.objects.filter(assessment=path_assessment).update(value=1.0, option_label="Optimised")
    text = page_text(client, owner, path_assessment)
    assert "Optimised is the highest tier; there is no tier above it." in text
    assert "What stops the tier from rising" not in text


def test_csv_marks_each_control_on_the_path(client, owner, path_assessment):
    content = export(client, owner, path_assessment, "csv").decode()
    rows = {r["Control ID"]: r for r in csv.DictReader(io.StringIO(content))}
    got = {
        ref: (r["Roadmap step"], r["Gap points"], r["Overall after step"], r["Tier after step"])
        for ref, r in rows.items()
    }
    assert got == {
        "D1-C2": ("1", "10.00", "42.50", "Developing"),
        "D1-C1": ("2", "7.50", "50.00", "Developing"),
        "D1-C3": ("3", "30.00", "80.00", "Managed"),
        "D1-C4": ("", "", "", ""),
    }


def test_xlsx_has_a_roadmap_sheet_with_one_row_per_step(client, owner, path_assessment):
    book = load_workbook(io.BytesIO(export(client, owner, path_assessment, "xlsx")))
    sheet = book["Path to next tier"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == [
        "Control ID",
        "Control code",
        "Control",
        "Step",
        "Clears the gate",
        "Score now",
        "Gap points",
        "Overall after",
        "Tier after",
    ]
    assert [(r[0], r[3], r[4], r[5], r[6], r[7], r[8]) for r in values[1:]] == [
        ("D1-C2", 1, "yes", 0.0, 10.0, 42.5, "Developing"),
        ("D1-C1", 2, "yes", 25.0, 7.5, 50.0, "Developing"),
        ("D1-C3", 3, "no", 25.0, 30.0, 80.0, "Managed"),
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet["G3"].number_format == "0.00"
    summary = {r[0].value: r[1].value for r in book["Summary"].iter_rows(min_row=2)}
    assert summary["Next tier"] == "Defined"
    assert summary["Path to the next tier"] == "reachable"


def test_summary_csv_has_the_path_to_the_next_tier(client, owner, path_assessment):
    client.force_login(owner)
    url = reverse(
        "assessment_export", kwargs={"assessment_id": path_assessment.pk, "fmt": "summary-csv"}
    )
    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
    path = [r for r in rows if r["Section"] == "path"]
    steps = {}
    for r in path:
        steps.setdefault(r["ID"], {})[r["Measure"]] = r["Value"]
    assert list(steps) == ["D1-C2", "D1-C1", "D1-C3"]
    assert steps["D1-C2"] == {
        "Step": "1",
        "Clears the gate": "yes",
        "Score now": "0.00",
        "Gap points": "10.00",
        "Overall after": "42.50",
        "Tier after": "Developing",
    }
    assert steps["D1-C3"]["Tier after"] == "Managed"
    assert steps["D1-C3"]["Clears the gate"] == "no"


def test_json_carries_the_path_under_scores(client, owner, path_assessment):
    document = json.loads(export(client, owner, path_assessment, "json"))
    path = document["scores"]["roadmap"]
    assert (path["status"], path["current_tier"], path["target_tier"]) == (
        "reachable",
        "Developing",
        "Defined",
    )
    assert path["blocked_by"] == ["D1-C2", "D1-C1"]
    assert [
        (
            s["step"],
            s["control"],
            s["clears_gate"],
            s["gap_points"],
            s["overall_after"],
            s["tier_after"],
        )
        for s in path["steps"]
    ] == [
        (1, "D1-C2", True, 10.0, 42.5, "Developing"),
        (2, "D1-C1", True, 7.5, 50.0, "Developing"),
        (3, "D1-C3", False, 30.0, 80.0, "Managed"),
    ]


def test_pdf_summary_and_roadmap_use_the_path(path_assessment):
    content = pdf.render_assessment_pdf(path_assessment, fetcher=pdf.StaticFilesFetcher())
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert SENTENCE in text
    assert "Closing the five largest gaps" not in text
    assert "The path to Defined" in text
    assert "What stops the tier from rising above Developing:" in text


def test_json_download_with_the_path_still_imports(
    client, owner, path_assessment, other_organisation
):
    document = json.loads(export(client, owner, path_assessment, "json"))
    imported = import_assessment_document(
        document=document, organisation=other_organisation, user=owner
    )
    assert Answer.objects.filter(assessment=imported).count() == 4


def test_methodology_states_the_path_rule(client):
    html = " ".join(client.get(reverse("methodology")).content.decode().split())
    rule = html.split('id="tier-path-rule">')[1].split("</p>")[0]
    assert "every critical control below the critical threshold comes first" in rule
    assert "stops at the first step after which the tier, with the gate applied" in rule


def test_best_next_step_card_points_to_the_first_step_of_the_path(client, owner, path_assessment):
    text = page_text(client, owner, path_assessment)
    card = text.split('<p class="summary-label">Best next step</p>')[1].split("</div>")[0]
    # The largest gap is D1-C3 (30 points); the path starts with the critical D1-C2.
    assert '<a href="#gap-1">Control D1-3</a>' in card
    assert (
        'Toward Defined, start with <a href="#tier-path">Control D1-2</a>: a critical control '
        "that caps the tier." in card
    )


def test_summary_csv_says_why_a_top_tier_assessment_has_no_path(client, owner, path_assessment):
    Answer.objects.filter(assessment=path_assessment).update(value=1.0, option_label="Optimised")
    client.force_login(owner)
    url = reverse(
        "assessment_export", kwargs={"assessment_id": path_assessment.pk, "fmt": "summary-csv"}
    )
    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
    overall = {r["Measure"]: r["Value"] for r in rows if r["Section"] == "overall"}
    assert overall["Next tier"] == "none"
    assert overall["Path to the next tier"] == "top"
    assert overall["Path note"] == "Optimised is the highest tier; there is no tier above it."
    assert [r for r in rows if r["Section"] == "path"] == []
