"""Journey 1: a team assesses its AI system against the bundled catalog, in a real browser,
from the login page to submitting for review; and one page completed with the keyboard only."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import expect

from assessments.models import Answer, Assessment, AssessmentStatus, Evidence
from assessments.scoring import score_assessment
from scorecard.models import Persona, PersonaQuestion, Question
from scorecard.scoring import format_score
from tests.browser.journeys import (
    BUNDLED_NAME,
    Journey,
    answer_every_question,
    domain_links,
    load_bundled_framework,
    overall_progress,
    overall_progress_label,
    question,
    questions,
    save_page,
)
from tests.factories import PASSWORD, make_assessment, make_member, make_organisation

pytestmark = pytest.mark.django_db(transaction=True)

IN_SCOPE = ("personaApplicationDeveloper", "personaGovernance")


@pytest.fixture
def team(live_server, page, screenshot):
    framework = load_bundled_framework()
    organisation = make_organisation("acme", "Acme AI")
    assessor = make_member(organisation, "assessor", "assessor@acme.example")
    journey = Journey(page, live_server.url, screenshot)
    return framework, organisation, assessor, journey


def _scope(journey: Journey, framework) -> None:
    """Answer the persona questions: yes for the application builder's and the first
    oversight question, no for every other; then let the page propose personas."""
    page = journey.page
    yes_for = {
        pq.text
        for pq in PersonaQuestion.objects.filter(
            framework=framework, persona__ref="personaApplicationDeveloper"
        )
    }
    yes_for.add(
        PersonaQuestion.objects.filter(framework=framework, persona__ref="personaGovernance")
        .order_by("position")
        .first()
        .text
    )
    texts = list(PersonaQuestion.objects.filter(framework=framework).values_list("text", flat=True))
    assert len(texts) == 24
    for text in texts:
        group = page.locator("fieldset").filter(has=page.locator("legend", has_text=text))
        group.get_by_label("Yes" if text in yes_for else "No", exact=True).check()
    page.get_by_role("button", name="Propose personas").click()
    expect(page.get_by_role("status").filter(has_text="Personas proposed")).to_be_visible()
    journey.arrive("scoping")
    names = dict(Persona.objects.filter(framework=framework).values_list("ref", "name"))
    for ref, name in names.items():
        box = page.get_by_role("checkbox", name=name, exact=True)
        if ref in IN_SCOPE:
            expect(box).to_be_checked()
        else:
            expect(box).not_to_be_checked()


def test_team_assesses_the_bundled_catalog_and_submits_it(team, tmp_path):
    framework, organisation, assessor, journey = team
    page = journey.page

    # Log in from the front door.
    page.goto(journey.url("/"))
    expect(page).to_have_url(journey.url("/accounts/login/?next=/"))
    journey.arrive("login")
    page.get_by_label("E-mail address").fill(assessor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Members land on their organisation's assessments; start one on the bundled scorecard.
    expect(page).to_have_url(journey.url("/assessments/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments of Acme AI")
    journey.arrive("assessment-list-empty")
    page.get_by_role("link", name="Start an assessment").click()
    journey.arrive("start")
    page.get_by_label("Framework version").select_option(label=f"{BUNDLED_NAME} 1.1")
    page.get_by_label("Assessment title").fill("Support chatbot")
    page.get_by_label("Purpose").fill("Answers customer questions about orders.")
    page.get_by_label("System owner").fill("Customer care platform team")
    page.get_by_role("button", name="Start and choose the scope").click()
    expect(journey.status_message()).to_contain_text("Assessment started")
    assessment = Assessment.objects.get(organisation=organisation)
    assert (assessment.title, assessment.framework_id) == ("Support chatbot", framework.pk)

    _scope(journey, framework)
    page.get_by_role("button", name="Save scope").click()
    expect(journey.status_message()).to_contain_text("Scope saved.")
    assessment.refresh_from_db()
    assert assessment.personas == list(IN_SCOPE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Support chatbot")
    journey.arrive("detail-scoped")

    # Every questionnaire page, through the left-hand navigation.
    page.get_by_role("link", name="Continue with Data").click()
    # The heading leads with the display code; the source id follows as secondary text.
    expect(page.get_by_role("heading", level=1)).to_have_text("DAT Data controlsData")
    nav = domain_links(page)
    domain_names = nav.all_inner_texts()
    assert len(domain_names) == 6
    expect(page.get_by_role("navigation", name="Questionnaire domains")).not_to_contain_text(
        "Not in scope"
    )
    assert overall_progress(page) == 0
    progress = [0.0]
    answered = 0
    for number, name in enumerate(domain_names):
        if number:
            domain_links(page).filter(has_text=name).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
        first_page = number == 0
        journey.arrive("questionnaire" if first_page else None)
        done = answer_every_question(
            page, seed=number, na_refs=2 if first_page else 0, comment_refs=1
        )
        assert done.answered == questions(page).count() > 0
        save_page(page, done.answered)
        answered += done.answered
        # The pages are long; one full-page picture of a saved page is enough.
        journey.arrive("questionnaire-saved" if first_page else None)
        # The page shows the completeness the engine computes, and it grows page by page.
        shown = re.search(r"([0-9.]+)%", overall_progress_label(page)).group(1)
        assert shown == format_score(score_assessment(assessment).completeness)
        assert abs(overall_progress(page) - float(shown)) <= 0.5  # the bar, rounded
        progress.append(float(shown))
        assert progress[-1] > progress[-2], f"progress did not grow on {name}: {progress}"
        # What the page showed is what was stored.
        stored = {
            a.question.ref: a
            for a in Answer.objects.filter(assessment=assessment).select_related("question")
        }
        for ref, label in done.choices.items():
            assert stored[ref].option_label == label and not stored[ref].na
        for ref in done.na:
            assert stored[ref].na and stored[ref].justification
        for ref, comment in done.comments.items():
            assert stored[ref].comment == comment
        for ref, text in done.texts.items():
            assert stored[ref].text == text
        if first_page:
            _upload_evidence(journey, assessment, tmp_path)

    assert Answer.objects.filter(assessment=assessment).count() == answered
    result = score_assessment(assessment)
    assert result.completeness == 100
    assert progress[-1] == 100
    assert overall_progress_label(page) == "Whole assessment: 100.00% answered"
    assert Answer.objects.filter(assessment=assessment, na=True).count() == 2

    # The overview agrees, and the team submits for review.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Support chatbot"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support chatbot")
    expect(page.locator("dd").filter(has_text="scored questions")).to_contain_text(
        f"100.00% ({result.answered} of {result.applicable_questions} scored questions)"
    )
    journey.arrive("detail-complete")
    page.get_by_role("button", name="Submit for review").click()
    expect(journey.status_message()).to_contain_text("Submitted for review.")
    expect(page.locator(".badge").filter(has_text="Submitted")).to_be_visible()
    expect(page.get_by_role("button", name="Submit for review")).to_have_count(0)
    journey.arrive("detail-submitted")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_at is not None

    # The list shows the new state to the team too.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessments").click()
    row = page.get_by_role("row").filter(has_text="Support chatbot")
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text("100.00")
    journey.arrive("assessment-list")


def _upload_evidence(journey: Journey, assessment: Assessment, tmp_path) -> None:
    page = journey.page
    target = questions(page).first
    ref = target.locator("legend .catalog-ref").inner_text().strip()
    code = target.locator("legend .catalog-code").inner_text().strip()
    evidence = tmp_path / "access-review.txt"
    evidence.write_text("Quarterly access review, signed by the platform lead.\n")
    target.locator("summary", has_text="Add evidence").click()
    target.get_by_label("File (PDF", exact=False).set_input_files(evidence)
    target.get_by_label("Description").first.fill("Access review minutes")
    target.get_by_role("button", name="Upload").click()
    # In place (htmx): the outcome is said inside the question's evidence block.
    expect(target.locator(".evidence-notice")).to_contain_text(
        f"Uploaded access-review.txt as evidence for {code} ({ref})."
    )
    expect(question(page, ref).get_by_role("link", name="access-review.txt")).to_be_visible()
    journey.arrive("questionnaire-evidence")
    item = Evidence.objects.get(assessment=assessment)
    assert (item.question.ref, item.filename, item.description) == (
        ref,
        "access-review.txt",
        "Access review minutes",
    )
    assert item.sha256 == hashlib.sha256(evidence.read_bytes()).hexdigest()


# --- keyboard only -------------------------------------------------------------------------

FOCUSED = """() => {
  const el = document.activeElement;
  const fieldset = el.closest('fieldset.question');
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
    value: el.value || '', text: (el.innerText || '').trim(), checked: !!el.checked,
    question: fieldset ? fieldset.id : '', label: el.labels && el.labels.length ?
      el.labels[0].innerText.trim() : ''
  };
}"""


def test_a_whole_questionnaire_page_is_completed_with_the_keyboard_only(
    live_server, page, screenshot
):
    """Tab, arrows, space and typing only: every question of the Model page answered, one
    of them N/A with a justification, a comment, then saved with Enter."""
    framework = load_bundled_framework()
    organisation = make_organisation("acme", "Acme AI")
    assessor = make_member(organisation, "assessor", "assessor@acme.example")
    assessment = make_assessment(
        organisation, framework, title="Keyboard system", personas=list(IN_SCOPE)
    )
    journey = Journey(page, live_server.url, screenshot)
    journey.log_in(assessor.email)
    journey.visit(f"/assessments/{assessment.pk}/questionnaire/controlsModel/")
    expect(page.get_by_role("heading", level=1)).to_have_text("MOD Model controlsModel")
    expected = set(
        Question.objects.filter(
            framework=framework, control__domain__ref="controlsModel"
        ).values_list("pk", flat=True)
    )

    answered: set[int] = set()
    na_done = commented = False
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        qid = int(focused["question"][1:]) if focused["question"] else None
        if focused["tag"] == "button" and focused["text"] == "Save draft":
            break
        if qid is None:
            continue
        if focused["type"] == "radio" and qid not in answered:
            # "Not answered yet" is last and checked; N/A, where allowed, comes just before
            # it in the same group. Up selects N/A (kept for the first such question) or the
            # last level; down wraps round to the first level.
            page.keyboard.press("ArrowUp" if qid % 2 or not na_done else "ArrowDown")
            after = page.evaluate(FOCUSED)
            if after["value"] == "na" and na_done:
                page.keyboard.press("ArrowUp")
                after = page.evaluate(FOCUSED)
            elif after["value"] == "na":
                na_done = True
            assert after["checked"] and after["value"], after
            answered.add(qid)
        elif focused["type"] == "checkbox" and focused["name"].endswith("-na") and not na_done:
            page.keyboard.press("Space")
            assert page.evaluate(FOCUSED)["checked"]
            na_done = True
        elif focused["name"].endswith("-justification") and na_done and not commented:
            page.keyboard.type("No adversarial training: the model is bought in.")
            commented = True
        elif focused["name"].endswith("-comment") and qid == min(expected):
            page.keyboard.type("Filters reviewed in March.")
    else:
        pytest.fail("Tab never reached the Save draft button")

    assert answered == expected
    assert na_done and commented
    page.keyboard.press("Enter")
    expect(journey.status_message()).to_contain_text(f"Saved {len(expected)} answers.")
    journey.arrive("questionnaire-keyboard")
    stored = Answer.objects.filter(assessment=assessment)
    assert set(stored.values_list("question_id", flat=True)) == expected
    assert stored.filter(na=True).count() == 1
    assert stored.get(question_id=min(expected)).comment == "Filters reviewed in March."
    assert all(a.na or a.option_label for a in stored)
