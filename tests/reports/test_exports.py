"""CSV, XLSX and JSON exports: one row per question, safe in a spreadsheet, audited."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Answer, AuditEvent
from assessments.reports import exports
from assessments.scoring import current_result
from scorecard.models import Question
from scorecard.scoring import format_score

pytestmark = pytest.mark.django_db


def export_url(assessment, fmt):
    return reverse("assessment_export", kwargs={"assessment_id": assessment.pk, "fmt": fmt})


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def formula_comment(scored):
    answer = Answer.objects.filter(assessment=scored).order_by("pk").first()
    Answer.objects.filter(pk=answer.pk).update(
        comment='=HYPERLINK("http://evil.example","click")', justification="@SUM(A1)"
    )
    return answer.question.ref


def test_csv_has_one_row_per_question_with_scores(client, owner, scored):
    client.force_login(owner)
    response = client.get(export_url(scored, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="scorecard-fraud-detection-model-rev1.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    refs = list(Question.objects.filter(framework=scored.framework).values_list("ref", flat=True))
    assert sorted(r["Question ID"] for r in rows) == sorted(refs)
    assert list(rows[0]) == list(exports.COLUMNS)
    result = current_result(scored)
    for row in rows:
        control = result.controls[row["Control ID"]]
        assert row["Control score"] == format_score(control.score)
        assert row["Domain score"] == format_score(result.domains[row["Domain ID"]].score)
        assert row["Overall score"] == format_score(result.overall)
    evidence_row = next(r for r in rows if r["Question ID"] == "D1-C1.q1")
    assert evidence_row["Evidence count"] == "2"
    na_row = next(r for r in rows if r["Question ID"] == "D1-C1.q2")
    assert na_row["N/A"] == "yes" and na_row["Justification"] == "Not relevant to this system."


def test_csv_neutralises_spreadsheet_formulas(client, owner, scored, formula_comment):
    client.force_login(owner)
    rows = csv_rows(client.get(export_url(scored, "csv")))
    row = next(r for r in rows if r["Question ID"] == formula_comment)
    assert row["Comment"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["Justification"] == "'@SUM(A1)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
        (1.5, 1.5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert exports.neutralise(value) == expected


def test_xlsx_has_answers_and_a_summary_with_the_same_scores(
    client, owner, scored, formula_comment
):
    client.force_login(owner)
    response = client.get(export_url(scored, "xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Answers",
        "Summary",
        "Domains",
        "Controls",
        "Risks",
        "Crosswalk",
        "Roadmap",
        "Path to next tier",
        "Charts",
    ]
    sheet = book["Answers"]
    header = [c.value for c in sheet[1]]
    assert header == list(exports.COLUMNS)
    rows = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    assert len(rows) == Question.objects.filter(framework=scored.framework).count()
    result = current_result(scored)
    scored_row = next(r for r in rows if r["Control ID"] in result.controls)
    assert format_score(scored_row["Control score"]) == format_score(
        result.controls[scored_row["Control ID"]].score
    )
    score_cell = next(c for c in sheet[2] if header[c.column - 1] == "Control score")
    assert score_cell.number_format == "0.00"
    risky = next(r for r in rows if r["Question ID"] == formula_comment)
    assert risky["Comment"].startswith("'=")
    assert all(
        not (isinstance(c.value, str) and c.data_type == "f")
        for row in sheet.iter_rows()
        for c in row
    )
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows() if row[0].value}
    assert format_score(summary["Overall score"]) == format_score(result.overall)
    assert summary["Tier"] == result.tier


def test_json_is_the_assessment_document(client, owner, scored):
    client.force_login(owner)
    response = client.get(export_url(scored, "json"))
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["format"] == "scorecard-assessment/1"
    assert document["scores"]["overall"] == round(current_result(scored).overall, 2)


@pytest.mark.parametrize("fmt", ["pdf", "txt", "CSV"])
def test_unknown_export_format_is_404(client, owner, scored, fmt):
    client.force_login(owner)
    assert client.get(export_url(scored, fmt)).status_code == 404
    assert not AuditEvent.objects.filter(action="report.export").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_every_export_is_written_to_the_audit_log(client, viewer, scored, fmt):
    client.force_login(viewer)
    assert client.get(export_url(scored, fmt)).status_code == 200
    event = AuditEvent.objects.get(action="report.export")
    assert event.actor == viewer
    assert event.organisation == scored.organisation
    assert event.target_id == str(scored.pk)
    assert event.data["format"] == fmt


def test_export_of_an_assessment_without_answers(client, owner, organisation, report_framework):
    from tests.factories import make_assessment

    empty = make_assessment(organisation, report_framework, title="Empty")
    client.force_login(owner)
    rows = csv_rows(client.get(export_url(empty, "csv")))
    assert len(rows) == 27
    assert {r["Answer"] for r in rows} == {""}
    assert {r["Control score"] for r in rows} == {"0.00"}
