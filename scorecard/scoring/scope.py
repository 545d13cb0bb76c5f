"""What applies to an assessment, and how the catalog tree is walked.

Every caller that needs to know which controls and questions count (the questionnaire,
"My work", assignments, reports, comparisons, carrying answers over, the catalog upgrade)
asks here, so the rule exists once (applicability.py states it). The engine itself uses
`control_applies` too. Each function takes a Scope, or bare personas for a Scope of the
current methodology.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from .applicability import control_applies
from .model import SCORED_TYPES, Answer, Catalog, Control, Domain, Question, Scope, as_scope


def question_counts(question: Question) -> bool:
    """Only scored question types count towards progress and scores."""
    return question.type in SCORED_TYPES


@dataclass(frozen=True)
class Place:
    """One question in its place in the tree: the path of domains, the control, itself."""

    domains: tuple[Domain, ...]
    control: Control
    question: Question

    @property
    def top_domain(self) -> Domain:
        return self.domains[0]


def walk_domains(domains: Iterable[Domain], _path: tuple[Domain, ...] = ()) -> Iterator[tuple]:
    """(path of domains, domain) for every domain, depth first in catalog order."""
    for domain in domains:
        path = (*_path, domain)
        yield path, domain
        yield from walk_domains(domain.domains, path)


def walk_controls(catalog: Catalog) -> Iterator[tuple[tuple[Domain, ...], Control]]:
    """(path of domains, control) for every control, in catalog order."""
    for path, domain in walk_domains(catalog.domains):
        for control in domain.controls:
            yield path, control


def find_top(catalog: Catalog, domain_id: str) -> Domain | None:
    """The top-level domain with this id (None for a sub-domain or an unknown id)."""
    return next((d for d in catalog.domains if d.id == domain_id), None)


def top_domain_index(catalog: Catalog) -> dict[str, str]:
    """Every domain, control and question id -> the id of its top-level domain."""
    index: dict[str, str] = {}
    for path, domain in walk_domains(catalog.domains):
        index[domain.id] = path[0].id
        for control in domain.controls:
            index[control.id] = path[0].id
            for question in control.questions:
                index[question.id] = path[0].id
    return index


def walk(catalog: Catalog) -> Iterator[Place]:
    """Every question of the catalog, in catalog order."""
    for path, control in walk_controls(catalog):
        for question in control.questions:
            yield Place(path, control, question)


def applicable_controls(catalog: Catalog, scope: Scope | Iterable[str]) -> list[Control]:
    scope = as_scope(scope)
    return [c for _, c in walk_controls(catalog) if control_applies(c, scope)]


def applicable_questions(
    catalog: Catalog, scope: Scope | Iterable[str], *, scored_only: bool = True
) -> list[Place]:
    """The questions an assessment with this scope answers (scored ones by default)."""
    scope = as_scope(scope)
    return [
        place
        for place in walk(catalog)
        if control_applies(place.control, scope)
        and (question_counts(place.question) or not scored_only)
    ]


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


def progress(
    catalog: Catalog, scope: Scope | Iterable[str], answered: Collection[str]
) -> tuple[Progress, dict[str, Progress]]:
    """Overall progress and progress per top-level domain id.

    `answered` holds the ids of questions with an answer (N/A counts as answered). Only
    scored questions of applicable controls count, so every page shows the same figure.
    """
    totals: dict[str, list[int]] = {d.id: [0, 0] for d in catalog.domains}
    for place in applicable_questions(catalog, scope):
        counts = totals[place.top_domain.id]
        counts[1] += 1
        if place.question.id in answered:
            counts[0] += 1
    per_domain = {key: Progress(done, total) for key, (done, total) in totals.items()}
    overall = Progress(
        sum(p.answered for p in per_domain.values()), sum(p.total for p in per_domain.values())
    )
    return overall, per_domain


# --- stored answers as the engine sees them ------------------------------------------------


def stored_answer(question_id: str, value: float | None, na: bool) -> Answer:
    """The engine's view of a stored answer: only its value and N/A decide a score.

    An N/A row may still carry the value of an option chosen before N/A was ticked; N/A
    wins, as it does on screen.
    """
    return Answer(question_id, None if na else value, bool(na))


def is_answered(answer: Answer) -> bool:
    """What counts as answered for progress: an option chosen, or N/A."""
    return answer.na or answer.value is not None


def answered_ids(answers: Iterable[Answer]) -> set[str]:
    return {answer.question for answer in answers if is_answered(answer)}
