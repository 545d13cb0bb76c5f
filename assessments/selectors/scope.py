"""Why each control is in or out of an assessment's scope, as the scoping page lists it.

The decision and its words are the engine's (scoring.applicability); this reads the scope
(a draft's live one, or the one a finalised assessment's score was made with) and the
names of the personas and terms so the reasons read as the catalog names them.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import Assessment
from assessments.scoring import current_result
from scorecard import scoring
from scorecard.loader import load_catalog_and_codes, load_vocabulary
from scorecard.models import Persona


@dataclass(frozen=True)
class ScopeRow:
    code: str
    control: scoring.Control
    domain: str
    applies: bool
    reason: str


@dataclass(frozen=True)
class StatedTerms:
    """What the scope states of one kind, by name ("not stated" when empty)."""

    label: str
    names: tuple[str, ...]
    read: bool


@dataclass(frozen=True)
class ScopeExplanation:
    scope: scoring.Scope
    rows: tuple[ScopeRow, ...]
    stated: tuple[StatedTerms, ...]

    @property
    def in_scope(self) -> int:
        return sum(1 for row in self.rows if row.applies)

    @property
    def out_of_scope(self) -> int:
        return len(self.rows) - self.in_scope


def scope_explanation(assessment: Assessment) -> ScopeExplanation:
    """Every control of the catalog with its decision and reason, in catalog order."""
    catalog, codes = load_catalog_and_codes(assessment.framework)
    # A finalised score keeps the scope it was made with, whatever the system says now.
    scope = current_result(assessment).scope if assessment.is_finalised else assessment.scope
    names = {term.id: term.name for term in load_vocabulary(assessment.framework)}
    names.update(
        Persona.objects.filter(framework_id=assessment.framework_id).values_list("ref", "name")
    )
    rows = []
    for path, control in scoring.walk_controls(catalog):
        decision = scoring.applicability(control, scope)
        rows.append(
            ScopeRow(
                code=codes.control(control.id),
                control=control,
                domain=path[0].name,
                applies=decision.applies,
                reason=decision.describe(names),
            )
        )
    stated = [StatedTerms("Personas", tuple(names.get(p, p) for p in sorted(scope.personas)), True)]
    for kind, _, plural in scoring.SCOPE_TERM_KINDS:
        terms = tuple(names.get(ref, ref) for ref in sorted(getattr(scope, kind)))
        stated.append(StatedTerms(plural.capitalize(), terms, scope.reads_system_terms))
    return ScopeExplanation(scope, tuple(rows), tuple(stated))
