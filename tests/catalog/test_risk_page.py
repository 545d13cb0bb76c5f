"""The scorecard's page for one risk shows what the catalog says about the risk: its
description, long description and examples rendered as safe HTML, and its references as
links; in the same number of queries whatever the catalog and the risk hold."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scorecard import services
from scorecard.models import Risk
from tests.factories import make_assessment, make_framework

pytestmark = pytest.mark.django_db


def _references(count: int) -> list[dict]:
    return [
        {
            "type": "paper",
            "id": f"ref-{n}",
            "title": f"Paper {n}",
            "url": f"https://example.org/{n}",
        }
        for n in range(count)
    ]


def _assessment(organisation, *, slug="risk-page", domains=2, references=2, **risk_fields):
    framework = make_framework(slug=slug, published=False, domains=domains)
    Risk.objects.filter(framework=framework, ref="risk1").update(
        references=_references(references), **risk_fields
    )
    services.publish_framework(framework=framework)
    return make_assessment(organisation, framework)


def _page(client, assessment, ref="risk1"):
    url = reverse(
        "score_explain", kwargs={"assessment_id": assessment.pk, "kind": "risk", "ref": ref}
    )
    return client.get(url)


def test_the_risk_page_shows_description_texts_and_references(client, organisation, owner):
    assessment = _assessment(
        organisation,
        description="Data gets out.",
        long_description="It leaks **often** ({{ref:ref-1}}).\n\n- by logs\n- by caches",
        examples="A bot said too much.",
    )
    client.force_login(owner)
    html = _page(client, assessment).content.decode()
    assert '<h2 class="h5" id="risk-detail-title">About this risk</h2>' in html
    assert "<p>Data gets out.</p>" in html
    assert (
        '<p>It leaks <strong>often</strong> (<a href="https://example.org/1" '
        'rel="noopener noreferrer external">Paper 1</a>).</p><ul><li>by logs</li>'
        "<li>by caches</li></ul>"
    ) in html
    assert (
        '<h3 class="h6">Examples</h3><div class="risk-examples"><p>A bot said too much.</p>' in html
    )
    assert '<a href="https://example.org/0" rel="noopener noreferrer external">Paper 0</a>' in html
    assert html.count('class="risk-references"') == 1


def test_hostile_catalog_text_is_escaped_on_the_risk_page(client, organisation, owner):
    assessment = _assessment(
        organisation,
        references=0,
        long_description='<script>alert(1)</script> <a href="javascript:alert(2)">x</a>',
        examples="<img src=x onerror=alert(3)>",
    )
    client.force_login(owner)
    html = _page(client, assessment).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html and "<img src=x" not in html


def test_a_risk_the_catalog_says_nothing_more_about_says_so(client, organisation, owner):
    assessment = _assessment(organisation, references=0)
    client.force_login(owner)
    html = _page(client, assessment, ref="risk2").content.decode()
    assert "The catalog describes this risk no further." in html


def test_other_why_pages_show_no_risk_section(client, organisation, owner):
    assessment = _assessment(organisation)
    client.force_login(owner)
    url = reverse(
        "score_explain", kwargs={"assessment_id": assessment.pk, "kind": "control", "ref": "D1-C1"}
    )
    assert "About this risk" not in client.get(url).content.decode()


def _count(client, assessment) -> int:
    _page(client, assessment)  # warm the per-process catalog cache, as a running server has
    with CaptureQueriesContext(connection) as captured:
        response = _page(client, assessment)
    assert response.status_code == 200
    return len(captured)


def test_the_risk_page_costs_the_same_queries_for_small_and_large_catalogs_and_risks(
    client, organisation, owner
):
    client.force_login(owner)
    small = _assessment(organisation, slug="small", domains=1, references=1)
    large = _assessment(organisation, slug="large", domains=15, references=40)
    small_count, large_count = _count(client, small), _count(client, large)
    # Session, user, assessment, membership (twice), answers, the risk's texts, and the
    # session save (an update inside a savepoint pair).
    assert small_count == large_count == 10
    # And the risk's texts cost exactly one query of their own.
    control_url = reverse(
        "score_explain", kwargs={"assessment_id": small.pk, "kind": "control", "ref": "D1-C1"}
    )
    client.get(control_url)
    with CaptureQueriesContext(connection) as captured:
        client.get(control_url)
    # A control page reads its questions and answers (two) instead of the risk (one).
    assert small_count == len(captured) - 1
