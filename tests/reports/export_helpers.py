"""The small assessment the export tests score by hand, and helpers to read its exports.

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

from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Answer
from scorecard.models import Control, ControlMapping, Framework, FrameworkStatus, Question
from tests.factories import make_assessment, make_framework

SHEETS = [
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
ANSWERS = {"D1-C1.q1": ("Optimised", 1.0), "D1-C1.q2": ("All", 1.0), "D2-C1.q1": ("Partial", 0.5)}


def tiny_framework(slug="tiny-fw", first_control_name=None):
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


def make_tiny(organisation, owner):
    assessment = make_assessment(
        organisation, tiny_framework(), title="Credit model", created_by=owner
    )
    questions = {q.ref: q for q in Question.objects.filter(framework=assessment.framework)}
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=questions[ref], option_label=label, value=value)
        for ref, (label, value) in ANSWERS.items()
    )
    return assessment


def get_export(client, owner, assessment, fmt):
    client.force_login(owner)
    url = reverse("assessment_export", kwargs={"assessment_id": assessment.pk, "fmt": fmt})
    response = client.get(url)
    assert response.status_code == 200
    return response


def workbook(client, owner, assessment):
    return load_workbook(io.BytesIO(get_export(client, owner, assessment, "xlsx").content))


def values(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


def summary_csv(client, owner, assessment) -> list[dict]:
    response = get_export(client, owner, assessment, "summary-csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert 'filename="scorecard-credit-model-rev1.summary.csv"' in disposition
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def measure(rows, section, ident, measure):
    [row] = [
        r for r in rows if r["Section"] == section and r["ID"] == ident and r["Measure"] == measure
    ]
    return row["Value"]


def summary_csv_rows(client, owner, assessment) -> list[dict]:
    response = get_export(client, owner, assessment, "summary-csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
