"""What the questionnaire page template gets: one block per question, grouped by control and
section, and the domain navigation with progress. Built from rows the view loaded; the only
queries here are the page's answers, evidence and review threads (one each, two for threads).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from assessments.forms.questionnaire import (
    PARTS,
    PageLayout,
    QuestionnaireForm,
    answer_state,
    page_layout,
    top_level_of,
)
from assessments.models import Answer, Assessment, Evidence, ReviewComment
from assessments.services.answers import Conflict, FrameworkOptions
from scorecard import scoring
from scorecard.models import Question


@dataclass
class QuestionBlock:
    """Everything the template needs to show one question."""

    question: Question
    values: dict
    errors: dict
    choices: list[dict]
    answer: Answer | None = None
    evidence: list[Evidence] = field(default_factory=list)
    comments: list[ReviewComment] = field(default_factory=list)
    conflict: Conflict | None = None
    conflict_theirs: str = ""
    conflict_yours: str = ""
    evidence_errors: list[str] = field(default_factory=list)

    @property
    def names(self) -> dict[str, str]:
        return {part: f"q{self.question.pk}-{part}" for part in PARTS}

    @property
    def carried_over(self) -> bool:
        return bool(self.answer and self.answer.carried_over)


@dataclass
class ControlView:
    control: object
    blocks: list[QuestionBlock]


@dataclass
class SectionView:
    ref: str
    name: str
    description: str
    heading: int  # heading level of the section's own title; 0 for the page's own domain
    controls: list[ControlView]


@dataclass
class NavItem:
    ref: str
    name: str
    url: str
    current: bool
    applicable: bool
    answered: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


# --- building the page ----------------------------------------------------------------------


def find_top(catalog: scoring.Catalog, domain_ref: str) -> scoring.Domain | None:
    return next((d for d in catalog.domains if d.id == domain_ref), None)


def display(state: dict) -> str:
    if state.get("na"):
        return "N/A"
    if state.get("option"):
        return state["option"]
    if state.get("number") is not None:
        return f"{state['number']:g}"
    return state.get("text") or "(no answer)"


def _choices(question: Question, options: FrameworkOptions, chosen: str) -> list[dict]:
    out = []
    base = f"q{question.pk}-choice"
    for i, choice in enumerate(options.for_question(question)):
        out.append(
            {
                "key": choice.key,
                "label": choice.label,
                "description": choice.description,
                "id": f"{base}-{i}",
                "checked": choice.key == chosen,
            }
        )
    return out


def build_sections(
    *,
    layout: PageLayout,
    questions: list[Question],
    values,
    options: FrameworkOptions,
    form: QuestionnaireForm | None = None,
    answers: dict[int, Answer] | None = None,
    evidence: dict[int, list[Evidence]] | None = None,
    comments: dict[int, list[ReviewComment]] | None = None,
    conflicts: dict[int, Conflict] | None = None,
    evidence_errors: dict[int, list[str]] | None = None,
    descriptions: dict[str, str] | None = None,
) -> list[SectionView]:
    answers, evidence, comments = answers or {}, evidence or {}, comments or {}
    conflicts, evidence_errors = conflicts or {}, evidence_errors or {}
    by_control: dict[str, list[QuestionBlock]] = defaultdict(list)
    for question in questions:
        block_values = {part: values.get(f"q{question.pk}-{part}", "") for part in PARTS}
        block = QuestionBlock(
            question=question,
            values=block_values,
            errors=form.errors_for(question) if form is not None else {},
            choices=_choices(question, options, block_values["choice"]),
            answer=answers.get(question.pk),
            evidence=evidence.get(question.pk, []),
            comments=comments.get(question.pk, []),
            evidence_errors=evidence_errors.get(question.pk, []),
        )
        conflict = conflicts.get(question.pk)
        if conflict is not None:
            block.conflict = conflict
            block.conflict_theirs = display(answer_state(conflict.current))
            submitted = conflict.submitted
            block.conflict_yours = display(
                {
                    "na": submitted.na,
                    "option": submitted.option_label,
                    "number": submitted.number,
                    "text": submitted.text,
                }
            )
        by_control[question.control.ref].append(block)
    controls = {q.control.ref: q.control for q in questions}
    sections = []
    for section in layout.sections:
        views = [
            ControlView(controls[c.id], by_control[c.id])
            for c in section.controls
            if c.id in controls
        ]
        if section.depth and not views:
            continue
        sections.append(
            SectionView(
                ref=section.domain.id,
                name=section.trail,
                description=(descriptions or {}).get(section.domain.id, ""),
                heading=0 if section.depth == 0 else 2,
                controls=views,
            )
        )
    return sections


def nav_items(catalog, personas, current: str, url, result: scoring.Result | None) -> list[NavItem]:
    tops = top_level_of(catalog)
    answered: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    if result is not None:
        for control in result.controls.values():
            top = tops.get(control.id)
            answered[top] += control.answered
            total[top] += control.scored_questions
    items = []
    for domain in catalog.domains:
        layout = page_layout(domain, personas)
        items.append(
            NavItem(
                ref=domain.id,
                name=domain.name,
                url=url(domain.id),
                current=domain.id == current,
                applicable=bool(layout.controls),
                answered=answered[domain.id],
                total=total[domain.id],
            )
        )
    return items


def page_rows(assessment: Assessment, questions: list[Question]):
    """The page's answers, evidence and review comments: one query each."""
    ids = [q.pk for q in questions]
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(assessment=assessment, question_id__in=ids).select_related(
            "updated_by"
        )
    }
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in Evidence.objects.filter(assessment=assessment, question_id__in=ids):
        evidence[item.question_id].append(item)
    # Threads: top-level comments with their replies (two queries for the whole page).
    comments: dict[int, list[ReviewComment]] = defaultdict(list)
    replies = Prefetch("replies", queryset=ReviewComment.objects.select_related("author"))
    for comment in (
        ReviewComment.objects.filter(
            assessment=assessment, question_id__in=ids, parent__isnull=True
        )
        .select_related("author")
        .prefetch_related(replies)
    ):
        comments[comment.question_id].append(comment)
    return answers, evidence, comments


def domain_descriptions(questions: list[Question]) -> dict[str, str]:
    """Domain descriptions from rows the page already has: each question's domain and its
    parent (selected with the questions). A deeper ancestor without questions of its own
    goes without a description rather than costing a query."""
    out: dict[str, str] = {}
    for question in questions:
        domain = question.control.domain
        out.setdefault(domain.ref, domain.description)
        if domain.parent_id is not None:
            out.setdefault(domain.parent.ref, domain.parent.description)
    return out
