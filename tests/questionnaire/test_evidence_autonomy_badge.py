"""The questionnaire shows each control's autonomy evidence rule ("Evidence expected at
L3+") and, when the assessed system's level reaches it, says so; at no extra query."""

import re

import pytest
from django.urls import reverse

from assessments.models import AISystem
from scorecard.models import Control, Framework, FrameworkStatus
from tests.factories import make_assessment, make_framework
from tests.questionnaire.helpers import page_url

pytestmark = pytest.mark.django_db


def ruled(slug="badge-fw", controls_per_domain=2):
    """D1-C1 expects evidence from L3, D1-C2 from L0; the others state no rule."""
    framework = make_framework(slug=slug, controls_per_domain=controls_per_domain, published=False)
    Control.objects.filter(framework=framework, ref="D1-C1").update(evidence_autonomy=3)
    Control.objects.filter(framework=framework, ref="D1-C2").update(evidence_autonomy=0)
    Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
    framework.refresh_from_db()
    return framework


def at_level(organisation, framework, level):
    assessment = make_assessment(organisation, framework)
    AISystem.objects.filter(pk=assessment.system_id).update(autonomy_level=level)
    return assessment


def notes(html: str) -> dict[str, str]:
    """Control ref -> the text of its evidence note ("" for a control without one)."""
    found = {}
    for ref, body in re.findall(
        r'<h[23] class="h5" id="control-\d+">.*?catalog-ref">([^<]+)</span>.*?</h[23]>(.*?)'
        r'(?=<fieldset|<h[23] class="h5")',
        html,
        re.S,
    ):
        note = re.search(r'<p class="evidence-rule[^"]*">(.*?)</p>', body, re.S)
        found[ref] = " ".join(re.sub(r"<[^>]+>", "", note.group(1)).split()) if note else ""
    return found


@pytest.fixture
def framework(db):
    return ruled()


def test_each_ruled_control_shows_its_rule_and_a_level_that_reaches_it_says_attach(
    client, owner, organisation, framework
):
    client.force_login(owner)
    html = client.get(page_url(at_level(organisation, framework, 4), "D1")).content.decode()
    assert notes(html) == {
        "D1-C1": "Evidence expected at L3+ This system is L4: attach evidence to every answer "
        "rated above zero.",
        "D1-C2": "Evidence expected at L0+ This system is L4: attach evidence to every answer "
        "rated above zero.",
    }
    other = client.get(page_url(at_level(organisation, framework, 4), "D2")).content.decode()
    assert set(notes(other).values()) == {""}


def test_below_the_rule_only_the_rule_is_shown(client, owner, organisation, framework):
    client.force_login(owner)
    html = client.get(page_url(at_level(organisation, framework, 2), "D1")).content.decode()
    assert notes(html) == {
        "D1-C1": "Evidence expected at L3+",
        "D1-C2": "Evidence expected at L0+ This system is L2: attach evidence to every answer "
        "rated above zero.",
    }


def test_with_the_level_not_stated_no_control_asks_for_evidence(
    client, owner, organisation, framework
):
    client.force_login(owner)
    html = client.get(page_url(at_level(organisation, framework, None), "D1")).content.decode()
    assert notes(html) == {"D1-C1": "Evidence expected at L3+", "D1-C2": "Evidence expected at L0+"}


def test_the_catalog_preview_shows_the_rules_without_a_system(client, django_user_model, framework):
    admin = django_user_model.objects.create_superuser(
        email="badge-admin@example.org", password="a-long-passphrase-42"
    )
    client.force_login(admin)
    html = client.get(reverse("catalog_preview", args=[framework.pk])).content.decode()
    assert notes(html) == {"D1-C1": "Evidence expected at L3+", "D1-C2": "Evidence expected at L0+"}


@pytest.mark.parametrize("controls", [5, 20])
def test_the_notes_cost_no_query(client, owner, organisation, controls, django_assert_num_queries):
    """The same 13 queries as the page without rules (tests/questionnaire/test_page.py)."""
    framework = ruled(slug=f"badge-{controls}", controls_per_domain=controls)
    assessment = at_level(organisation, framework, 5)
    client.force_login(owner)
    client.get(page_url(assessment))  # warms the per-process catalog cache
    with django_assert_num_queries(13):
        html = client.get(page_url(assessment)).content.decode()
    assert html.count("This system is L5: attach evidence") == 2
