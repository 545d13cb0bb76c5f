"""Reads of the questionnaire page: its layout (from the cached engine catalog), its question
rows, and the answers, evidence and review threads on them (one query each)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from assessments.models import Answer, Assessment, Evidence, ReviewComment
from scorecard import scoring
from scorecard.models import Question


@dataclass(frozen=True)
class Section:
    domain: scoring.Domain
    depth: int  # 0 for the page's top-level domain
    trail: str  # "Parent › Child" for sub-domains
    controls: tuple[scoring.Control, ...]  # applicable ones only


@dataclass(frozen=True)
class PageLayout:
    top: scoring.Domain
    sections: tuple[Section, ...]

    @property
    def controls(self) -> list[scoring.Control]:
        return [control for section in self.sections for control in section.controls]

    @property
    def domain_refs(self) -> list[str]:
        return [section.domain.id for section in self.sections]


def page_layout(top: scoring.Domain, scope: scoring.Scope | Collection[str]) -> PageLayout:
    """A top-level domain and its sub-domains, each with the controls that apply (engine rule)."""
    scope = scoring.as_scope(scope)
    sections = []
    for path, domain in scoring.walk_domains([top]):
        trail = " › ".join(d.name for d in path[1:]) or top.name
        applicable = tuple(c for c in domain.controls if scoring.control_applies(c, scope))
        sections.append(Section(domain, len(path) - 1, trail, applicable))
    return PageLayout(top, tuple(sections))


def load_questions(framework, layout: PageLayout) -> list[Question]:
    """The page's questions in catalog order, with their control and domain (one query)."""
    order = {control.id: i for i, control in enumerate(layout.controls)}
    if not order:
        return []
    rows = Question.objects.filter(framework=framework, control__ref__in=order).select_related(
        "control__domain__parent"
    )
    return sorted(rows, key=lambda q: (order[q.control.ref], q.position, q.pk))


def question_frameworks(pks: Iterable[int]) -> dict[int, int]:
    """Question pk -> framework pk, for telling a foreign question from another page's."""
    pks = list(pks)
    if not pks:
        return {}
    return dict(Question.objects.filter(pk__in=pks).values_list("pk", "framework_id"))


def page_answers(assessment: Assessment, questions: list[Question]) -> dict[int, Answer]:
    return {
        a.question_id: a
        for a in Answer.objects.filter(assessment=assessment, question__in=questions)
    }


def page_rows(assessment: Assessment, questions: list[Question]):
    """The page's answers, evidence and review comments: one query each (two for threads)."""
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


def question_evidence(assessment: Assessment, question: Question) -> list[Evidence]:
    """One question's evidence, for its block on its own (swapped in place by htmx)."""
    return list(Evidence.objects.filter(assessment=assessment, question=question))
