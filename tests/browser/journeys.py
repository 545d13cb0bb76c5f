"""Helpers shared by the browser journeys: logging in, checking every page a journey
reaches, and filling a questionnaire page the way a person would."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from scorecard.models import Framework
from tests.browser.accessibility import assert_accessible
from tests.factories import PASSWORD

BUNDLED_SLUG = "ai-risk-readiness"
BUNDLED_NAME = "AI Risk Readiness Scorecard"


def load_bundled_framework() -> Framework:
    call_command("load_bundled_catalogs", verbosity=0)
    return Framework.objects.get(slug=BUNDLED_SLUG, version="1.1")


@dataclass
class Journey:
    """One person's browser tab. `arrive` is called on every page the journey reaches:
    one h1, no serious or critical axe violation, and a screenshot when the page is a key one."""

    page: Page
    base_url: str
    screenshot: Callable[..., Path]

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def arrive(self, shot: str | None = None, *, exclude: list[list[str]] | None = None) -> None:
        self.page.wait_for_load_state("load")
        expect(self.page.locator("h1")).to_have_count(1)
        assert_accessible(self.page, exclude=exclude)
        if shot:
            self.screenshot(shot, self.page)

    def visit(self, path: str, shot: str | None = None, **kwargs) -> None:
        self.page.goto(self.url(path))
        self.arrive(shot, **kwargs)

    def log_in(self, email: str, password: str = PASSWORD, shot: str | None = None) -> None:
        """Through the login page, as the person would. Members land on their organisation's
        assessments, everyone else on the welcome page."""
        self.visit("/accounts/login/", shot)
        self.page.get_by_label("E-mail address").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("navigation", name="Main")).to_contain_text(email)
        self.arrive()

    def status_message(self) -> Locator:
        """The flash messages shown at the top of <main> after a form was handled."""
        return self.page.locator("main > .alert[role=status]")


# --- the questionnaire ---------------------------------------------------------------------


def questions(page: Page) -> Locator:
    return page.locator("fieldset.question")


def question(page: Page, ref: str) -> Locator:
    return questions(page).filter(has=page.locator("legend", has_text=ref))


def overall_progress(page: Page) -> float:
    """The whole assessment's completeness as the page shows it (the <progress> value)."""
    return float(page.locator("#overall-progress").get_attribute("value"))


def overall_progress_label(page: Page) -> str:
    return page.locator("label[for=overall-progress]").inner_text()


@dataclass
class PageAnswers:
    answered: int = 0
    na: list[str] = field(default_factory=list)
    comments: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    choices: dict[str, str] = field(default_factory=dict)


# What each question of the page offers, read in one round trip instead of several per question.
_QUESTION_SHAPES = """() => [...document.querySelectorAll('fieldset.question')].map(q => ({
  id: q.id,
  ref: q.querySelector('legend .catalog-ref').textContent.trim(),
  na: !!q.querySelector('[data-na-choice]'),
  text: q.querySelector('textarea[name$="-text"]')?.id || null,
  options: [...q.querySelectorAll('.answer-options input[type=radio]:not([value=""])')]
    .map(r => ({id: r.id, label: q.querySelector(`label[for="${r.id}"]`).textContent.trim()})),
}))"""


def answer_every_question(
    page: Page, *, seed: int, na_refs: int = 0, comment_refs: int = 0
) -> PageAnswers:
    """Click an answer for each question of the page (a different option from question to
    question), mark the first `na_refs` questions that allow it N/A with a justification
    and comment on the first `comment_refs` questions. Nothing is saved yet."""
    done = PageAnswers()
    for index, shape in enumerate(page.evaluate(_QUESTION_SHAPES)):
        ref, fieldset = shape["ref"], page.locator(f"#{shape['id']}")
        if shape["na"] and len(done.na) < na_refs:
            fieldset.get_by_label(re.compile(r"^Not applicable")).check()
            fieldset.get_by_label(re.compile(r"^Why it does not apply")).fill(
                "The system has no such component."
            )
            done.na.append(ref)
        elif shape["options"]:
            option = shape["options"][(seed + index) % len(shape["options"])]
            # Clicking the label, as a person does; it must tick the radio it names.
            page.locator(f"label[for='{option['id']}']").click()
            expect(page.locator(f"#{option['id']}")).to_be_checked()
            done.choices[ref] = option["label"]
        else:
            text = f"Written answer for {ref}."
            page.locator(f"#{shape['text']}").fill(text)
            done.texts[ref] = text
        if len(done.comments) < comment_refs:
            comment = f"Confirmed with the platform team ({ref})."
            fieldset.get_by_label("Comment (optional)").fill(comment)
            done.comments[ref] = comment
        done.answered += 1
    return done


def save_page(page: Page, expected: int) -> None:
    page.get_by_role("button", name="Save draft").click()
    plural = "" if expected == 1 else "s"
    expect(page.locator("main > .alert[role=status]")).to_contain_text(
        f"Saved {expected} answer{plural}."
    )


def domain_links(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Questionnaire domains").get_by_role("link")


# --- people ----------------------------------------------------------------------------------


def make_catalog_admin(email: str):
    """Staff in the "Catalog editors" group, not a superuser. The group comes from a data
    migration, which the flush between transactional tests removes: rebuild it the same way."""
    from django.contrib.auth.models import Group, Permission

    from tests.factories import make_user

    group, _ = Group.objects.get_or_create(name="Catalog editors")
    group.permissions.set(Permission.objects.filter(content_type__app_label="scorecard"))
    user = make_user(email, is_staff=True, full_name="Cara Catalog")
    user.groups.add(group)
    return user
