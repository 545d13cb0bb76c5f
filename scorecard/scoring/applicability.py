"""The applicability rule: whether a control is in an assessment's scope, and why.

Methodology 1.0 scoped by personas alone. Methodology 1.1 keeps that test and adds one per
kind of system term (components, lifecycle stages, actor access): a control stays in unless
the system states terms of that kind, the control lists terms of that kind, and none of them
is shared. A control marked "all" concerns every term of the kind and one marked "none" no
particular term, so neither narrows the scope. Impact types describe harm, not where a
control acts, so they never decide applicability.

`control_applies` is the fast yes/no every caller uses; `applicability` gives the same
answer with one check per test, which the scoping page and the methodology page put into
words. A property test holds the two to the same answer.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from .model import ALL_TERMS, NO_TERMS, SCOPE_TERM_KINDS, Control, Scope, TermRefs, as_scope

# Why a check came out as it did.
SHARED = "shared"  # the control and the scope share these terms: in
NOT_IN_SCOPE = "not in scope"  # the control lists only terms the scope lacks: out
EVERY_TERM = "all"  # the control concerns every term of the kind: in
NO_PARTICULAR_TERM = "none"  # the control concerns no particular term of the kind: in
SCOPE_SILENT = "scope silent"  # the assessment or system states nothing of the kind: in
CONTROL_SILENT = "control silent"  # the catalog lists nothing of the kind for it: in


def personas_apply(control_personas: Collection[str], selected: Collection[str]) -> bool:
    """The persona test: no personas selected, none named, or at least one shared.

    An empty selection means "the whole catalog"; a control with no personas is for
    everyone; otherwise one shared persona is enough.
    """
    if not selected or not control_personas:
        return True
    return not set(selected).isdisjoint(control_personas)


def terms_apply(control_terms: TermRefs, system_terms: Collection[str]) -> bool:
    """The test for one kind of system term (methodology 1.1)."""
    if not system_terms or not control_terms or control_terms in (ALL_TERMS, NO_TERMS):
        return True
    return not set(system_terms).isdisjoint(control_terms)


# The reason a left-out control's term gives in its domain's explanation. The persona
# test keeps the words methodology 1.0 stored, so 1.0 explanations hash as they did.
NOT_FOR_PERSONAS = "not applicable to the selected personas"


def out_of_scope_reason(control: Control, scope: Scope) -> str:
    """For a control that does not apply: which test left it out, in a few words."""
    failed = [check.kind for check in applicability(control, scope).checks if not check.applies]
    if "persona" in failed:
        return NOT_FOR_PERSONAS
    kinds = " and ".join(_KIND_WORDS[kind][1] for kind in failed)
    return f"not applicable to the system's {kinds}"


def control_applies(control: Control, scope: Scope | Iterable[str]) -> bool:
    """Whether the control counts for an assessment with this scope (or these personas)."""
    scope = as_scope(scope)
    if not personas_apply(control.personas, scope.personas):
        return False
    if not scope.reads_system_terms:
        return True
    return all(
        terms_apply(getattr(control, kind), getattr(scope, kind)) for kind, _, _ in SCOPE_TERM_KINDS
    )


@dataclass(frozen=True)
class Check:
    """One test of the rule: its kind ("persona" or a SCOPE_TERM_KINDS field), the outcome,
    why, and the term ids it turned on (the shared ones when in, the control's when out)."""

    kind: str
    applies: bool
    why: str
    terms: tuple[str, ...] = ()

    def words(self, names: Mapping[str, str] | None = None) -> str:
        """The check in words, e.g. "component Model serving" or "lifecycle stage
        Retirement not in use"; terms are named from `names` (id -> name) where known."""
        singular, plural = _KIND_WORDS[self.kind]
        named = ", ".join((names or {}).get(ref, ref) for ref in self.terms)
        noun = singular if len(self.terms) == 1 else plural
        if self.why == SHARED:
            return f"{noun} {named}"
        if self.why == NOT_IN_SCOPE:
            missing = "not selected" if self.kind == "persona" else "not in use"
            return f"{noun} {named} {missing}"
        if self.why == EVERY_TERM:
            return f"every {singular}"
        if self.why == NO_PARTICULAR_TERM:
            return f"no particular {singular}"
        if self.why == SCOPE_SILENT:
            return f"{plural} not stated" if self.kind != "persona" else "no personas selected"
        return f"the catalog names no {plural} for it"


@dataclass(frozen=True)
class Applicability:
    applies: bool
    checks: tuple[Check, ...]

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """The decision in words: "in: component Model serving; out: lifecycle stage
        Retirement not in use". Checks that narrowed nothing are left out, and a control
        that nothing narrows says so."""
        parts = [
            f"{'in' if check.applies else 'out'}: {check.words(names)}"
            for check in self.checks
            if check.why in (SHARED, NOT_IN_SCOPE, EVERY_TERM, NO_PARTICULAR_TERM)
        ]
        return "; ".join(parts) or "in: nothing in the scope narrows it"


def applicability(control: Control, scope: Scope | Iterable[str]) -> Applicability:
    """The rule of control_applies, one Check per test it makes under the scope's version."""
    scope = as_scope(scope)
    checks = [_check("persona", control.personas, scope.personas)]
    if scope.reads_system_terms:
        checks.extend(
            _check(kind, getattr(control, kind), getattr(scope, kind))
            for kind, _, _ in SCOPE_TERM_KINDS
        )
    return Applicability(all(check.applies for check in checks), tuple(checks))


def _check(kind: str, control_terms: TermRefs, scope_terms: Collection[str]) -> Check:
    if control_terms == ALL_TERMS:
        return Check(kind, True, EVERY_TERM)
    if control_terms == NO_TERMS:
        return Check(kind, True, NO_PARTICULAR_TERM)
    if not scope_terms:
        return Check(kind, True, SCOPE_SILENT)
    if not control_terms:
        return Check(kind, True, CONTROL_SILENT)
    shared = tuple(ref for ref in control_terms if ref in scope_terms)
    if shared:
        return Check(kind, True, SHARED, shared)
    return Check(kind, False, NOT_IN_SCOPE, tuple(control_terms))


_KIND_WORDS = {
    "persona": ("persona", "personas"),
    **{kind: (singular, plural) for kind, singular, plural in SCOPE_TERM_KINDS},
}
