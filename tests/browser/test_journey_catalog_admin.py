"""Journey 3: a catalog admin copies the bundled framework into a new draft in the admin,
adds a control with a question, publishes it, sees teams offered the new version, and cannot
change the published version afterwards."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from scorecard.models import Control, Framework, FrameworkStatus, Question
from tests.browser.journeys import (
    BUNDLED_NAME,
    BUNDLED_SLUG,
    Journey,
    load_bundled_framework,
    make_catalog_admin,
)
from tests.factories import PASSWORD, make_member, make_organisation

pytestmark = pytest.mark.django_db(transaction=True)

NEW_CONTROL = "controlModelCardPublication"
NEW_QUESTION = f"{NEW_CONTROL}.q1"
QUESTION_TEXT = "How complete are the model cards published for each model in use?"


def admin_messages(page):
    """The admin's flash messages (the locked-version banner uses the same list style)."""
    return page.locator("ul.messagelist:not(.catalog-locked)")


def test_catalog_admin_publishes_a_new_version_that_teams_can_start(
    live_server, page, browser, screenshot
):
    released = load_bundled_framework()
    admin_user = make_catalog_admin("catalog@scorecard.example")
    organisation = make_organisation("acme", "Acme AI")
    assessor = make_member(organisation, "assessor", "assessor@acme.example")
    journey = Journey(page, live_server.url, screenshot)

    # Log in to the admin through its own login page.
    page.goto(journey.url("/admin/"))
    expect(page).to_have_url(journey.url("/admin/login/?next=/admin/"))
    journey.arrive("admin-login")
    page.get_by_label("E-mail address").fill(admin_user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(journey.url("/admin/"))
    journey.arrive("admin-index")

    # The released version: read-only, with the way to a new draft.
    page.locator("#content-main").get_by_role("link", name="Frameworks", exact=True).click()
    journey.arrive("admin-frameworks")
    page.get_by_role("link", name=BUNDLED_NAME).click()
    expect(page.locator(".catalog-locked")).to_contain_text("Published versions are read-only")
    expect(page.get_by_role("button", name="Save", exact=True)).to_have_count(0)
    journey.arrive("admin-framework")

    page.locator(".object-tools").get_by_role("link", name="New draft from this version").click()
    journey.arrive("admin-new-draft")
    page.get_by_label("New version").fill("1.2")
    page.get_by_role("button", name="Create draft").click()
    expect(admin_messages(page)).to_contain_text("is a new draft copied from 1.1")
    draft = Framework.objects.get(slug=BUNDLED_SLUG, version="1.2")
    assert (draft.status, draft.derived_from_id) == (FrameworkStatus.DRAFT, released.pk)
    assert (
        Question.objects.filter(framework=draft).count()
        == Question.objects.filter(framework=released).count()
    )
    journey.arrive("admin-draft")

    # Add a control to the Governance domain, from the domain's page (controls inline).
    page.locator("tr.has_original").filter(has_text="controlsGovernance Governance").get_by_role(
        "link", name="Change"
    ).click()
    expect(page.get_by_role("heading", level=2).filter(has_text="Governance")).to_be_visible()
    journey.arrive("admin-domain")
    controls = page.locator("#controls-group")
    controls.get_by_role("button", name="Add another Control").click()
    row = controls.locator("tr.dynamic-controls").last
    # The inputs of a new row are found by their (visually hidden) labels.
    row.get_by_label("Position").fill("99")
    row.get_by_label("Id", exact=True).fill(NEW_CONTROL)
    row.get_by_label("Name").fill("Model cards are published")
    row.get_by_label("Weight").fill("1")
    journey.arrive()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(admin_messages(page)).to_contain_text("was changed successfully")
    journey.arrive()
    control = Control.objects.get(framework=draft, ref=NEW_CONTROL)
    assert control.domain.ref == "controlsGovernance"

    # Its question, from the control's page (questions inline).
    page.locator("tr.has_original").filter(has_text=NEW_CONTROL).get_by_role(
        "link", name="Change"
    ).click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Model cards are published")
    page.get_by_label("Description").fill("Each model in use has a published model card.")
    journey.arrive("admin-control")
    questions = page.locator("#questions-group")
    questions.get_by_role("button", name="Add another Question").click()
    row = questions.locator("tr.dynamic-questions").last
    row.get_by_label("Position").fill("0")
    row.get_by_label("Id", exact=True).fill(NEW_QUESTION)
    row.get_by_label("Type").select_option("scale")
    row.get_by_label("Text").fill(QUESTION_TEXT)
    row.get_by_label("Weight").fill("1")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(admin_messages(page)).to_contain_text("was changed successfully")
    journey.arrive()
    question = Question.objects.get(framework=draft, ref=NEW_QUESTION)
    assert (question.control_id, question.type, question.text) == (
        control.pk,
        "scale",
        QUESTION_TEXT,
    )

    # Publish the draft: it passes validation and becomes read-only.
    page.locator(".catalog-parents").get_by_role("link", name=f"{BUNDLED_NAME} 1.2").click()
    expect(page.locator("#content h2").first).to_have_text(f"{BUNDLED_NAME} 1.2")
    journey.arrive()
    page.locator(".object-tools").get_by_role("link", name="Publish", exact=True).click()
    journey.arrive("admin-publish")
    page.get_by_role("button", name=f"Publish {BUNDLED_NAME} 1.2").click()
    expect(admin_messages(page)).to_contain_text(f"{BUNDLED_NAME} 1.2 is published.")
    expect(page.locator(".catalog-locked")).to_contain_text("Published versions are read-only")
    expect(page.get_by_role("button", name="Save", exact=True)).to_have_count(0)
    expect(page.locator("#content input[type=text], #content textarea")).to_have_count(0)
    journey.arrive("admin-published")
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.PUBLISHED and draft.published_at is not None

    # Behind the read-only page, the server refuses a change all the same.
    _posting_to_the_published_version_is_refused(journey, draft, control)

    # A team member, in their own browser, is offered the new version and gets its question.
    member = Journey(browser.new_page(), live_server.url, screenshot)
    try:
        _team_starts_on_the_new_version(member, assessor, draft)
    finally:
        member.page.context.close()


def _posting_to_the_published_version_is_refused(journey: Journey, framework, control) -> None:
    page = journey.page
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    before = (
        Framework.objects.filter(pk=framework.pk).values().get(),
        Control.objects.filter(pk=control.pk).values().get(),
        Question.objects.filter(framework=framework).count(),
    )
    framework_change = journey.url(f"/admin/scorecard/framework/{framework.pk}/change/")
    response = page.request.post(
        framework_change,
        form={
            "csrfmiddlewaretoken": token,
            "slug": framework.slug,
            "name": "Renamed after publishing",
            "version": framework.version,
            "critical_threshold": "10",
            "_save": "Save",
        },
        headers={"Referer": framework_change},
    )
    # Refused as a locked version, not for a bad CSRF token (also a 403, with its own text).
    assert response.status == 403 and "CSRF" not in response.text()
    control_change = journey.url(f"/admin/scorecard/control/{control.pk}/change/")
    response = page.request.post(
        control_change,
        form={
            "csrfmiddlewaretoken": token,
            "name": "Renamed after publishing",
            "weight": "5",
            "_save": "Save",
        },
        headers={"Referer": control_change},
    )
    assert response.status == 403 and "CSRF" not in response.text()
    after = (
        Framework.objects.filter(pk=framework.pk).values().get(),
        Control.objects.filter(pk=control.pk).values().get(),
        Question.objects.filter(framework=framework).count(),
    )
    assert after == before


def _team_starts_on_the_new_version(member: Journey, assessor, framework) -> None:
    page = member.page
    member.log_in(assessor.email)
    page.get_by_role("link", name="Start an assessment").click()
    offered = page.get_by_label("Framework version").locator("option").all_inner_texts()
    assert f"{BUNDLED_NAME} 1.2" in offered and f"{BUNDLED_NAME} 1.1" in offered
    member.arrive("start-new-version")
    page.get_by_label("Framework version").select_option(label=f"{BUNDLED_NAME} 1.2")
    page.get_by_label("Assessment title").fill("Model catalogue")
    page.get_by_role("button", name="Start and choose the scope").click()
    expect(member.status_message()).to_contain_text("Assessment started")
    member.arrive()
    page.get_by_role("button", name="Save scope").click()
    expect(member.status_message()).to_contain_text("Scope saved.")
    member.arrive()
    page.get_by_role("link", name="Governance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("GOV Governance controlsGovernance")
    expect(page.get_by_role("group", name=QUESTION_TEXT, exact=False)).to_be_visible()
    member.arrive()
