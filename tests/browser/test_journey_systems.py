"""Journey 5: an owner adds two AI systems to the inventory, assesses both against the
bundled catalog, reads on the scoping page why each control is in or out, and finds both on
the portfolio page, its heat map and its PDF.

The expected reasons are read off the bundled catalog by hand: DAT-2 concerns the
components Application output checks and Model serving; DAT-1 concerns Training and
fine-tuning and Model evaluation only. The chatbot uses Model serving and Application output
checks; the agent uses Tools and services and Memory.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.models import AISystem, Assessment, Report, ReportKind, ReportStatus
from assessments.scoring import score_assessment
from scorecard.scoring import format_score
from tests.browser.journeys import (
    BUNDLED_NAME,
    Journey,
    answer_every_question,
    load_bundled_framework,
    save_page,
)
from tests.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db(transaction=True)

CHATBOT = ("Support chatbot", ["Model serving", "Application output checks"], "L1")
AGENT = ("Ops agent", ["Tools and services", "Memory"], "L4")


@pytest.fixture
def owner_journey(live_server, page, screenshot):
    framework = load_bundled_framework()
    organisation = make_organisation("acme", "Acme AI")
    owner = make_member(organisation, "owner", "owner@acme.example")
    journey = Journey(page, live_server.url, screenshot)
    journey.log_in(owner.email)
    return framework, organisation, journey


def _add_system(journey: Journey, name: str, components: list[str], level: str) -> None:
    page = journey.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="AI systems").click()
    page.get_by_role("link", name="Add an AI system").click()
    journey.arrive()
    page.locator("#id_name").fill(name)
    page.locator("#id_purpose").fill(f"What {name} is for.")
    for component in components:
        page.locator("#div_id_components").get_by_label(component, exact=True).check()
    page.locator(f"#div_id_autonomy_level input[value='{level[1]}']").check()
    page.get_by_role("button", name="Add the system").click()
    expect(journey.status_message()).to_contain_text(f"{name} added to the inventory.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    # The level's meaning is shown with it.
    expect(page.locator("main")).to_contain_text(level)
    journey.arrive(f"system-{level}")


def _row_text(journey: Journey, control_id: str) -> str:
    return " ".join(journey.page.locator(f"#scope-{control_id}").inner_text().split())


def _start_and_answer(journey: Journey, name: str, seed: int) -> Assessment:
    page = journey.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="AI systems").click()
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_role("link", name="Start an assessment").click()
    journey.arrive()
    page.get_by_label("Framework version").select_option(label=f"{BUNDLED_NAME} 1.1")
    page.get_by_role("button", name="Start and choose the scope").click()
    expect(journey.status_message()).to_contain_text("Assessment started")
    journey.arrive(f"scoping-{seed}")
    assessment = Assessment.objects.get(system__name=name)
    assert assessment.methodology == "1.1"
    # One questionnaire page answered in the browser, as a person does.
    page.goto(journey.url(f"/assessments/{assessment.pk}/"))
    page.get_by_role("link", name=re.compile("^Continue with")).click()
    page.wait_for_url(re.compile("/questionnaire/"))
    journey.arrive()
    done = answer_every_question(page, seed=seed)
    assert done.answered > 0, (page.url, page.locator("main").inner_text()[:1500])
    save_page(page, done.answered)
    page.goto(journey.url(f"/assessments/{assessment.pk}/scope/"))
    journey.arrive()
    return assessment


def test_two_systems_are_scoped_by_their_components_and_shown_in_the_portfolio(
    owner_journey,
):
    framework, organisation, journey = owner_journey
    page = journey.page
    for name, components, level in (CHATBOT, AGENT):
        _add_system(journey, name, components, level)
    assert set(AISystem.objects.values_list("name", "autonomy_level")) == {
        ("Support chatbot", 1),
        ("Ops agent", 4),
    }

    chatbot = _start_and_answer(journey, CHATBOT[0], seed=0)
    expect(page.locator("#applicability")).to_contain_text("methodology 1.1")
    assert _row_text(journey, "controlRuntimePrivacyEnhancingTechnologies").endswith(
        "In in: components Application output checks, Model serving"
    )
    assert _row_text(journey, "controlModelPrivacyEnhancingTechnologies").endswith(
        "Out out: components Training and fine-tuning, Model evaluation not in use"
    )

    agent = _start_and_answer(journey, AGENT[0], seed=1)
    assert _row_text(journey, "controlRuntimePrivacyEnhancingTechnologies").endswith(
        "Out out: components Application output checks, Model serving not in use"
    )
    # The two systems' scopes differ, so do their scored controls.
    assert set(score_assessment(chatbot).controls) != set(score_assessment(agent).controls)

    # The portfolio lists both, with the score each one's answers give now.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolio").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Portfolio")
    journey.arrive("portfolio")
    for assessment in (chatbot, agent):
        row = page.locator("#portfolio tbody tr").filter(has_text=assessment.system.name)
        expect(row).to_contain_text(format_score(score_assessment(assessment).overall))
    heat = page.locator("#heat-map tbody tr")
    expect(heat).to_have_count(2)
    expect(heat.filter(has_text="Ops agent")).to_have_count(1)
    # Each cell is painted in its band's colour (app.css), whatever Bootstrap's table sets.
    band_colours = {
        "heat-low": "rgb(216, 240, 221)",
        "heat-moderate": "rgb(255, 241, 194)",
        "heat-high": "rgb(255, 214, 176)",
        "heat-severe": "rgb(246, 193, 193)",
        "heat-none": "rgb(236, 239, 242)",
    }
    cells = page.locator("#heat-map td.heat")
    for index in range(cells.count()):
        cell = cells.nth(index)
        band = next(c for c in cell.get_attribute("class").split() if c in band_colours)
        colour = cell.evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour == band_colours[band], (band, colour)

    # Its PDF, made by the report pipeline, carries both systems.
    page.get_by_role("button", name="Create portfolio PDF").click()
    link = page.get_by_role("link", name="Download the portfolio PDF")
    for _ in range(10):
        if link.count():
            break
        page.get_by_role("link", name="Check again").click()
    expect(link).to_be_visible()
    journey.arrive("portfolio-pdf-ready")
    report = Report.objects.get(organisation=organisation, kind=ReportKind.PORTFOLIO)
    assert report.status == ReportStatus.DONE
    with page.expect_download() as pending:
        link.click()
    with open(pending.value.path(), "rb") as handle:
        text = " ".join(p.extract_text() for p in PdfReader(handle).pages)
    for name in ("Support chatbot", "Ops agent"):
        assert name in text
    assert "Heat map" in text or "heat map" in text
