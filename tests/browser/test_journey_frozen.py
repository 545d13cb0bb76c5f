"""Journey: while an assessment is with its reviewers the team can change nothing; once a
reviewer returns it the team edits and resubmits, and the reviewer sees what changed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Answer, Assessment, AssessmentStatus, Submission
from assessments.services import workflow
from tests.browser.accessibility import assert_accessible
from tests.browser.console import collect_console_errors
from tests.browser.journeys import Journey, question
from tests.factories import make_assessment, make_framework, make_member, make_organisation
from tests.workflow.helpers import answer_all

pytestmark = pytest.mark.django_db(transaction=True)

CHANGED = "D1-C1.q1"


@pytest.fixture
def submitted():
    organisation = make_organisation("acme", "Acme AI")
    owner = make_member(organisation, "owner", "owner@acme.example")
    make_member(organisation, "assessor", "assessor@acme.example")
    make_member(organisation, "auditor", "auditor@audit.example")
    assessment = make_assessment(
        organisation, make_framework(), title="Claims triage model", created_by=owner
    )
    answer_all(assessment, owner)
    # As the page would save them: no justification where the answer is not N/A.
    Answer.objects.filter(assessment=assessment).update(justification="")
    workflow.submit(assessment=assessment, user=owner)
    return assessment


def test_an_assessor_cannot_change_anything_in_review(live_server, page, screenshot, submitted):
    errors = collect_console_errors(page)
    team = Journey(page, live_server.url, screenshot)
    team.log_in("assessor@acme.example")
    a = submitted.pk

    team.visit(f"/assessments/{a}/questionnaire/D1/", "frozen-questionnaire")
    banner = page.locator("#frozen-banner")
    expect(banner).to_contain_text("with its reviewers (submitted by owner@acme.example on")
    answers = page.locator(
        "input[form=questionnaire-form]:not([type=hidden]), textarea[form=questionnaire-form]"
    )
    assert answers.count() > 0
    assert answers.evaluate_all("els => els.every(el => el.disabled)") is True
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    expect(page.locator("input[type=file]")).to_have_count(0)
    expect(page.locator("form[action*='/evidence/']")).to_have_count(0)

    team.visit(f"/assessments/{a}/scope/")
    expect(page.locator("#frozen-banner")).to_be_visible()
    expect(page.locator("main form[method=post]")).to_have_count(0)
    expect(page.get_by_role("button", name="Save scope")).to_have_count(0)

    team.visit(f"/assessments/{a}/")
    expect(page.locator("#frozen-banner")).to_be_visible()
    for hidden in ("Submit for review", "Assign domains", "Edit the scope"):
        expect(page.get_by_text(hidden)).to_have_count(0)
    assert errors == []


def test_a_returned_assessment_is_edited_resubmitted_and_the_reviewer_sees_the_change(
    live_server, browser, page, screenshot, submitted
):
    a = submitted.pk
    reviewer = Journey(page, live_server.url, screenshot)
    reviewer_errors = collect_console_errors(page)
    reviewer.log_in("auditor@audit.example")
    reviewer.visit(f"/assessments/{a}/review/")
    page.get_by_label("What should the team change?").fill("Please raise D1-C1.q1.")
    page.get_by_role("button", name="Return to draft").click()
    expect(reviewer.status_message()).to_contain_text("Returned to draft")

    team_context = browser.new_context()
    team_page = team_context.new_page()
    team_errors = collect_console_errors(team_page)
    team = Journey(team_page, live_server.url, screenshot)
    team.log_in("assessor@acme.example")
    team.visit(f"/assessments/{a}/questionnaire/D1/")
    expect(team_page.locator("#frozen-banner")).to_have_count(0)
    fieldset = question(team_page, CHANGED)
    fieldset.get_by_text("Optimised", exact=True).click()
    team_page.get_by_role("button", name="Save draft").click()
    expect(team.status_message()).to_contain_text("Saved 1 answer.")
    team.visit(f"/assessments/{a}/")
    team_page.get_by_role("button", name="Submit for review").click()
    expect(team.status_message()).to_contain_text("Submitted for review")
    assert Submission.objects.filter(assessment_id=a).count() == 2
    assert Assessment.objects.get(pk=a).status == AssessmentStatus.SUBMITTED

    reviewer.visit(f"/assessments/{a}/review/")
    diff = page.locator("#review-diff")
    expect(diff).to_contain_text("1 question changed")
    changed = page.locator("#change-d1-c1q1")
    expect(changed.locator("del")).to_have_text("Partial")
    expect(changed.locator("ins")).to_have_text("Optimised")
    page.get_by_role("link", name="Show only the changed question").click()
    page.wait_for_load_state("load")
    expect(page.locator(".review-change")).to_have_count(1)
    expect(page.locator("#change-d1-c1q1")).to_be_visible()
    assert_accessible(page)
    screenshot("review-diff")
    expect(page.get_by_role("link", name=re.compile(r"^Show all \d+ questions"))).to_be_visible()
    team_context.close()
    assert reviewer_errors == [] and team_errors == []
