"""What the questionnaire page template gets, and the page helpers its views share.

One block per question, grouped by control and section, and the domain navigation with
progress. Built from rows the selectors loaded (assessments/selectors/questionnaire.py); the
engine decides what applies and what progress is. Not a view module: views/questionnaire.py
and views/evidence.py both render the page through `render_page`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from assessments.access import Access
from assessments.forms.questionnaire import (
    PARTS,
    QuestionnaireForm,
    answer_state,
    initial_values,
)
from assessments.models import Answer, Assessment, AssessmentStatus, Evidence, ReviewComment
from assessments.scoring import engine_answers, score_answers
from assessments.selectors.progress import assessment_progress
from assessments.selectors.questionnaire import (
    PageLayout,
    domain_descriptions,
    load_questions,
    page_layout,
    page_rows,
)
from assessments.services.answers import Conflict, FrameworkOptions, framework_options
from assessments.services.guards import UNDER_REVIEW, frozen_message
from scorecard import scoring
from scorecard.loader import DisplayCodes, load_catalog, load_catalog_and_codes
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
    def reference(self) -> str:
        """How the page names the question (in the error summary): its code, then its id."""
        return self.question.display_ref

    def error_target(self, part: str) -> str:
        """The id of the input an error of `part` is about, for the error summary's link."""
        pk, kind = self.question.pk, self.question.type
        if part in ("number", "text", "justification", "comment"):
            return f"q{pk}-{part}"
        if part in ("choice", "na") and self.question.is_scored:
            return self.choices[0]["id"] if self.choices else f"q{pk}-choice-none"
        if part == "na":
            return f"q{pk}-na" if self.question.allow_na else f"q{pk}-{kind}"
        if part == "choice" and kind in ("number", "text"):
            # The service's refusals land on `choice` whatever the question's type.
            return f"q{pk}-{kind}"
        return f"q{pk}"

    @property
    def carried_over(self) -> bool:
        return bool(self.answer and self.answer.carried_over)


@dataclass(frozen=True)
class ErrorLink:
    """One line of the error summary: a question's error, linking to the input it is about."""

    target: str
    reference: str
    text: str
    message: str


@dataclass
class ControlView:
    control: object
    blocks: list[QuestionBlock]
    # The control's autonomy evidence rule as pages write it ("L3+", "" for none), and
    # whether the assessed system's level reaches it (scoring.expects_evidence decides).
    evidence_rule: str = ""
    evidence_due: bool = False


@dataclass
class SectionView:
    ref: str
    name: str
    description: str
    heading: int  # heading level of the section's own title; 0 for the page's own domain
    controls: list[ControlView]
    code: str = ""  # the domain's display code, "" for a row stored without one


@dataclass
class NavItem:
    ref: str
    name: str
    url: str
    current: bool
    applicable: bool
    answered: int = 0
    total: int = 0
    code: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


# --- building the page ----------------------------------------------------------------------


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


def _show_conflict(block: QuestionBlock, conflict: Conflict) -> None:
    """Their saved answer next to the editor's own, as both would read it."""
    submitted = conflict.submitted
    block.conflict = conflict
    block.conflict_theirs = display(answer_state(conflict.current))
    block.conflict_yours = display(
        {
            "na": submitted.na,
            "option": submitted.option_label,
            "number": submitted.number,
            "text": submitted.text,
        }
    )


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
    codes: DisplayCodes | None = None,
    autonomy_level: int | None = None,
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
            _show_conflict(block, conflict)
        by_control[question.control.ref].append(block)
    controls = {q.control.ref: q.control for q in questions}
    sections = []
    for section in layout.sections:
        views = [
            ControlView(
                controls[c.id],
                by_control[c.id],
                evidence_rule=scoring.rule_text(c.evidence_autonomy),
                evidence_due=scoring.evidence_expected(c, autonomy_level),
            )
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
                code=codes.domain(section.domain.id) if codes else "",
            )
        )
    return sections


def nav_items(
    catalog: scoring.Catalog,
    scope: scoring.Scope | Collection[str],
    current: str,
    url,
    progress: dict[str, scoring.Progress] | None,
    codes: DisplayCodes | None = None,
) -> list[NavItem]:
    """The domain navigation; `progress` per top-level domain id (None in the preview)."""
    items = []
    for domain in catalog.domains:
        done = (progress or {}).get(domain.id, scoring.Progress(0, 0))
        items.append(
            NavItem(
                ref=domain.id,
                name=domain.name,
                url=url(domain.id),
                current=domain.id == current,
                applicable=bool(page_layout(domain, scope).controls),
                answered=done.answered,
                total=done.total,
                code=codes.domain(domain.id) if codes else "",
            )
        )
    return items


def error_links(sections: list[SectionView]) -> list[ErrorLink]:
    """Every field error of the page, in page order, for the summary at its top."""
    links = []
    for section in sections:
        for control in section.controls:
            for block in control.blocks:
                for part in PARTS:
                    for message in block.errors.get(part, []):
                        links.append(
                            ErrorLink(
                                target=block.error_target(part),
                                reference=block.reference,
                                text=block.question.text,
                                message=message,
                            )
                        )
    return links


def neighbours(nav: list[NavItem]) -> tuple[NavItem | None, NavItem | None]:
    """The in-scope domains before and after the current one."""
    in_scope = [item for item in nav if item.applicable or item.current]
    at = next((i for i, item in enumerate(in_scope) if item.current), None)
    if at is None:
        return None, None
    before = in_scope[at - 1] if at > 0 else None
    after = in_scope[at + 1] if at + 1 < len(in_scope) else None
    return before, after


# --- the page -------------------------------------------------------------------------------


def is_editable(access: Access, assessment: Assessment) -> bool:
    """Whether the page offers its inputs; the evidence partial asks the same. Only a draft
    takes answers: submitted or in review it is with its reviewers (guards.require_editable)."""
    return access.can("answer") and assessment.status == AssessmentStatus.DRAFT


def page_setup(assessment: Assessment, domain_ref: str):
    catalog = load_catalog(assessment.framework)
    top = scoring.find_top(catalog, domain_ref)
    if top is None:
        raise Http404("No such domain in this framework.")
    layout = page_layout(top, assessment.scope)
    questions = load_questions(assessment.framework, layout)
    return catalog, layout, questions, framework_options(assessment.framework)


def assessment_nav(
    assessment: Assessment, catalog, layout: PageLayout, progress, codes: DisplayCodes
) -> list[NavItem]:
    return nav_items(
        catalog,
        assessment.scope,
        layout.top.id,
        lambda ref: reverse("questionnaire_page", args=[assessment.pk, ref]),
        progress,
        codes,
    )


def render_page(
    request: HttpRequest,
    *,
    assessment: Assessment,
    access: Access,
    catalog: scoring.Catalog,
    layout: PageLayout,
    questions: list[Question],
    options: FrameworkOptions,
    values=None,
    form: QuestionnaireForm | None = None,
    conflicts: dict[int, Conflict] | None = None,
    evidence_errors: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    answers, evidence, comments = page_rows(assessment, questions)
    if values is None:
        values = initial_values(questions, answers, options)
    stored = engine_answers(assessment)
    result = score_answers(assessment, stored)
    _, progress = assessment_progress(assessment, stored)
    _, codes = load_catalog_and_codes(assessment.framework)  # cached with the catalog
    sections = build_sections(
        layout=layout,
        questions=questions,
        values=values,
        options=options,
        form=form,
        answers=answers,
        evidence=evidence,
        comments=comments,
        conflicts=conflicts,
        evidence_errors=evidence_errors,
        descriptions=domain_descriptions(questions),
        codes=codes,
        autonomy_level=assessment.system.autonomy_level,
    )
    nav = assessment_nav(assessment, catalog, layout, progress, codes)
    previous_domain, next_domain = neighbours(nav)
    context = {
        "assessment": assessment,
        "access": access,
        "framework": assessment.framework,
        "domain": layout.top,
        "domain_code": codes.domain(layout.top.id),
        "sections": sections,
        "question_count": len(questions),
        "nav": nav,
        "previous_domain": previous_domain,
        "next_domain": next_domain,
        "result": result,
        "completeness": scoring.format_score(result.completeness),
        # Only a draft takes answers: submitted or in review it is with its reviewers
        # (services.guards.require_editable), and the banner says who holds it since when.
        "editable": is_editable(access, assessment),
        "frozen": frozen_message(assessment) if assessment.status in UNDER_REVIEW else "",
        "preview": False,
        "form_errors": form.non_field_errors() if form is not None else [],
        "error_links": error_links(sections),
        "has_errors": bool(form is not None and form.errors),
        "conflicts": list((conflicts or {}).values()),
        "page_url": request.path,
    }
    return render(request, "assessments/questionnaire/page.html", context, status=status)
