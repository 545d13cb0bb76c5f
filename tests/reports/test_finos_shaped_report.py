"""What a FINOS-shaped catalog brings, on the report pages: the crosswalk shows a reference's
title beside it where the catalog's mapping scheme gives one, on the scorecard page, its
"why" page and in the PDF; a scheme our own names do not cover is shown under the catalog's
name for it; and a risk category that is a readable name already is shown once."""

import re

import pytest
from django.urls import reverse

from assessments.reports import pdf
from assessments.reports.context import build_report_context
from scorecard.models import ControlMapping, MappingScheme, Risk
from tests.factories import make_assessment
from tests.reports.conftest import answer_everything, make_report_framework

pytestmark = pytest.mark.django_db

TITLE = "Model hardening <for> tests"


def with_schemes(framework):
    MappingScheme.objects.create(
        framework=framework,
        ref="mitre-atlas",
        name="Not shown: ours wins",
        titles={"AML.M0007": TITLE, "AML.M9999": "Not mapped by any control"},
    )


@pytest.fixture
def assessment(organisation):
    framework = make_report_framework(slug="titled", before_publish=with_schemes)
    assessment = make_assessment(organisation, framework, title="Titled")
    answer_everything(assessment)
    return assessment


def test_the_scorecard_page_shows_the_title_escaped_beside_its_reference(client, owner, assessment):
    client.force_login(owner)
    url = reverse("scorecard", kwargs={"assessment_id": assessment.pk})
    html = client.get(url).content.decode()
    assert (
        '<span class="ref">AML.M0007</span> '
        '<span class="ref-title">Model hardening &lt;for&gt; tests</span>'
    ) in html
    # A reference without a title has none, and the scheme keeps our own name.
    assert re.search(r'<span class="ref">AML\.M0013</span> <span class="num">', html)
    assert "Not shown: ours wins" not in html and "MITRE ATLAS" in html
    assert "Not mapped by any control" not in html


def test_the_why_page_labels_the_reference_with_its_title(client, owner, assessment):
    client.force_login(owner)
    url = reverse(
        "score_explain",
        kwargs={"assessment_id": assessment.pk, "kind": "crosswalk", "ref": "overall"},
    )
    html = client.get(url).content.decode()
    assert "MITRE ATLAS: AML.M0007 (Model hardening &lt;for&gt; tests)" in html
    assert "MITRE ATLAS: AML.M0013 (" not in html


def test_the_pdf_lists_the_title_with_the_reference(assessment):
    context = build_report_context(assessment, for_pdf=True)
    (atlas,) = [t for t in context["crosswalk"] if t.scheme == "mitre-atlas"]
    assert [(e.key, e.title) for e in atlas.rows] == [
        ("AML.M0007", TITLE),
        ("AML.M0013", ""),
        ("AML.M0024", ""),
    ]
    html = pdf.render_html(context)
    assert '<span class="mono">AML.M0007</span> Model hardening &lt;for&gt; tests</th>' in html


def test_a_scheme_we_have_no_name_for_shows_the_catalogs_name(organisation):
    def add_owasp(framework):
        control = ControlMapping.objects.filter(framework=framework).first().control
        ControlMapping.objects.create(
            framework=framework, control=control, scheme="owasp-llm", reference="llm01-2025"
        )
        MappingScheme.objects.create(framework=framework, ref="owasp-llm", name="OWASP LLM Top 10")

    framework = make_report_framework(slug="named", before_publish=add_owasp)
    assessment = make_assessment(organisation, framework, title="Named")
    answer_everything(assessment)
    names = {t.scheme: t.name for t in build_report_context(assessment)["crosswalk"]}
    # nist-ai-rmf has no scheme row: our name still; owasp-llm is none of ours: the catalog's.
    assert names == {
        "mitre-atlas": "MITRE ATLAS",
        "nist-ai-rmf": "NIST AI RMF",
        "owasp-llm": "OWASP LLM Top 10",
    }


def test_a_readable_risk_category_is_shown_once(client, owner, organisation):
    def categorise(framework):
        risks = Risk.objects.filter(framework=framework).order_by("position")
        Risk.objects.filter(pk=risks[0].pk).update(category="Security")
        Risk.objects.filter(pk=risks[1].pk).update(category="risksSupplyChain")

    framework = make_report_framework(slug="categories", before_publish=categorise)
    assessment = make_assessment(organisation, framework, title="Categories")
    answer_everything(assessment)
    client.force_login(owner)
    html = client.get(reverse("scorecard", kwargs={"assessment_id": assessment.pk})).content
    html = html.decode()
    assert "<td>Security</td>" in html
    # An id still shows its readable words and the id itself.
    assert '<td>Supply chain <span class="catalog-ref">risksSupplyChain</span></td>' in html
