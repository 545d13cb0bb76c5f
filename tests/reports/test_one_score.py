"""One score everywhere: the page, the PDF, the CSV, the XLSX and the JSON print the same digits."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.reports import pdf
from assessments.scoring import current_result
from scorecard.models import Control, Domain
from scorecard.scoring import format_score

pytestmark = pytest.mark.django_db


def test_overall_domain_and_control_scores_are_identical_in_every_output(client, owner, finalised):
    assessment = finalised
    result = current_result(assessment)
    overall = format_score(result.overall)
    domains = {d: format_score(n.score) for d, n in result.domains.items()}
    controls = {c: format_score(s.score) for c, s in result.controls.items()}
    client.force_login(owner)

    # The page: each score is the text of the link to its derivation.
    page = client.get(
        reverse("scorecard", kwargs={"assessment_id": assessment.pk})
    ).content.decode()

    def link(kind, ref, text):
        url = reverse(
            "score_explain", kwargs={"assessment_id": assessment.pk, "kind": kind, "ref": ref}
        )
        return f'href="{url}">{text}<'

    assert link("overall", "overall", overall) in page
    for did, text in domains.items():
        assert link("domain", did, text) in page
    for cid, text in controls.items():
        assert link("control", cid, text) in page

    # The PDF: the summary sentence, the domain table and the per-domain control tables.
    reader = PdfReader(io.BytesIO(pdf.render_assessment_pdf(assessment)))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert f"The overall readiness score is {overall} out of 100" in text
    # Tables read "<code> <name>", e.g. "DM1 Domain 1" (codes from the factory); the source
    # ids are in Appendix F only.
    code = {
        **dict(Domain.objects.filter(framework=assessment.framework).values_list("ref", "code")),
        **dict(Control.objects.filter(framework=assessment.framework).values_list("ref", "code")),
    }
    assert code["D1"] == "DM1" and code["D1-C1"] == "DM1-1"
    for did, node in result.domains.items():
        assert f"{code[did]} {node.name} {domains[did]} " in text
    # A control row carries its flag between the label and the score: critical controls say
    # so, and those below the framework's threshold say that too.
    threshold = assessment.framework.critical_threshold
    critical = set(
        Control.objects.filter(framework=assessment.framework, critical=True).values_list(
            "ref", flat=True
        )
    )
    for cid, control in result.controls.items():
        flag = ""
        if cid in critical:
            flag = (
                f" · critical, below {threshold:g}" if control.score < threshold else " · critical"
            )
        assert f"{code[cid]} {control.name}{flag} {controls[cid]} " in text

    # CSV: every row carries its control's, its domain's and the overall score.
    url = reverse("assessment_export", kwargs={"assessment_id": assessment.pk, "fmt": "csv"})
    csv_rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
    for row in csv_rows:
        assert row["Overall score"] == overall
        assert row["Domain score"] == domains[row["Domain ID"]]
        assert row["Control score"] == controls[row["Control ID"]]

    url = reverse("assessment_export", kwargs={"assessment_id": assessment.pk, "fmt": "xlsx"})
    sheet = load_workbook(io.BytesIO(client.get(url).content))["Answers"]
    header = [c.value for c in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        row = dict(zip(header, cells, strict=True))
        for column, expected in (
            ("Overall score", overall),
            ("Domain score", domains[row["Domain ID"].value]),
            ("Control score", controls[row["Control ID"].value]),
        ):
            cell = row[column]
            # What a spreadsheet shows: the number in the cell's two-decimal format.
            assert cell.number_format == "0.00"
            assert f"{cell.value:.2f}" == expected

    # JSON: the published scores.
    url = reverse("assessment_export", kwargs={"assessment_id": assessment.pk, "fmt": "json"})
    scores = json.loads(client.get(url).content)["scores"]
    assert format_score(scores["overall"]) == overall
    assert {d: format_score(v) for d, v in scores["domains"].items()} == domains
    assert {c: format_score(v) for c, v in scores["controls"].items()} == controls
