"""The scorecard, its "why" pages, the comparison and the PDF lead with display codes and keep
the source id visible; CSV, XLSX and JSON exports carry a code column beside each id."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.reports import exports
from tests.factories import make_assessment
from tests.reports.test_pdf import render, text_of

pytestmark = pytest.mark.django_db

# make_framework's codes (tests/factories.py): domain D1 is DM1, control D1-C1 is DM1-1.
D1 = '<span class="catalog-code">DM1</span> Domain 1 <span class="catalog-ref">D1</span>'
C1 = '<span class="catalog-code">DM1-1</span> Control D1-1 <span class="catalog-ref">D1-C1</span>'


def _get(client, user, name, **kwargs):
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def test_scorecard_tables_show_code_title_and_source_id(client, owner, scored):
    html = _get(client, owner, "scorecard", assessment_id=scored.pk)
    assert f'<th scope="row">{D1}</th>' in html
    assert f'<th scope="row">{C1}</th>' in html
    assert f"<summary>{D1}</summary>" in html


def test_why_a_control_scores_lists_its_questions_by_code(client, owner, scored):
    html = _get(
        client, owner, "score_explain", assessment_id=scored.pk, kind="control", ref="D1-C1"
    )
    assert "<title>Why DM1-1 Control D1-1 (D1-C1) scores" in html
    assert (
        '<th scope="row"><span class="catalog-code">DM1-1.1</span> Question 1 about Control '
        'D1-1? <span class="catalog-ref">D1-C1.q1</span>'
    ) in html


def test_why_a_domain_scores_lists_its_controls_by_code(client, owner, scored):
    html = _get(client, owner, "score_explain", assessment_id=scored.pk, kind="domain", ref="D1")
    assert "Why this score: DM1 Domain 1 (D1)</h1>" in html
    assert f'<th scope="row">{C1}</th>' in html


def test_comparison_rows_show_domain_codes(client, owner, organisation, report_framework, scored):
    other = make_assessment(organisation, report_framework, title="Other system")
    html = _get(client, owner, "assessment_compare", assessment_id=scored.pk, other_id=other.pk)
    assert f'<th scope="row">{D1}</th>' in html


def test_the_pdf_names_rows_by_code_and_title_and_lists_source_ids_once(scored):
    reader, _ = render(scored)
    text = " ".join(text_of(reader).split())
    assert "DM1-1 Control D1-1 " in text
    assert "DM1-1.1 Question 1 about Control D1-1? Answer" in text  # the appendix
    index = text[text.index("This report names domains and controls") :]
    assert "DM1 Domain 1 D1 DM1-1 Control D1-1 D1-C1 " in index  # code and title, then the id
    before = text[: text.index("This report names domains and controls")]
    assert "Control D1-1 D1-C1" not in before and "(risk1)" not in before


def _export(client, owner, assessment, fmt):
    client.force_login(owner)
    url = reverse("assessment_export", kwargs={"assessment_id": assessment.pk, "fmt": fmt})
    return client.get(url).content


def test_csv_has_a_code_column_after_each_id(client, owner, scored):
    content = _export(client, owner, scored, "csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(content)))
    header = content.splitlines()[0].split(",")
    assert header[:10] == [
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
    ]
    first = rows[0]
    assert (first["Domain ID"], first["Domain code"]) == ("D1", "DM1")
    assert (first["Control ID"], first["Control code"]) == ("D1-C1", "DM1-1")
    assert (first["Question ID"], first["Question code"]) == ("D1-C1.q1", "DM1-1.1")


def test_xlsx_answers_and_domains_carry_the_codes(client, owner, scored):
    book = load_workbook(io.BytesIO(_export(client, owner, scored, "xlsx")))
    answers = list(book["Answers"].iter_rows(values_only=True))
    header = list(answers[0])
    first = dict(zip(header, answers[1], strict=True))
    assert header.index("Question code") == header.index("Question ID") + 1
    assert (first["Domain code"], first["Control code"], first["Question code"]) == (
        "DM1",
        "DM1-1",
        "DM1-1.1",
    )
    # The domain scores moved from the Summary sheet to a Domains sheet of their own.
    domains = list(book["Domains"].iter_rows(values_only=True))
    assert domains[0][:3] == ("Domain ID", "Domain code", "Domain")
    assert domains[1][:3] == ("D1", "DM1", "Domain 1")
    controls = list(book["Controls"].iter_rows(values_only=True))
    assert controls[1][:3] == ("D1-C1", "DM1-1", "Control D1-1")


def test_json_answers_carry_the_question_code(client, owner, scored):
    document = json.loads(_export(client, owner, scored, "json"))
    first = document["answers"][0]
    assert (first["question"], first["code"]) == ("D1-C1.q1", "DM1-1.1")


def test_export_columns_name_every_code():
    assert [name for name in exports.COLUMNS if name.endswith("code")] == [
        "Domain code",
        "Control code",
        "Question code",
    ]
