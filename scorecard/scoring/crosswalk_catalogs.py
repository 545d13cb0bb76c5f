"""The crosswalk across catalogs: how an assessment on one catalog covers another's risks.

An assessment scores the controls of its own catalog (the source). Another catalog (the
target: MITRE ATLAS, the FINOS AI Governance Framework, ...) lists risks of its own and the
controls that mitigate them. The two share no ids, only the external references both map
to, so everything here follows from one rule: when are two mapped references the same?

The rule (``reference_key``), stated once for the engine, the pages and the README:

* Scheme ids are compared case-folded, after SCHEME_ALIASES: FINOS keys OWASP's Top 10 for
  LLM Applications as ``owasp-llm``, the CoSAI Risk Map as ``owasp-top10-llm``.
* A trailing version pin is dropped (``AML.M0007@5.0.1`` is ``AML.M0007``), so a reference
  pinned to one version matches the same id pinned to another, or not pinned at all. This
  assumes a scheme never gives an id a new meaning in a later version: ATLAS keeps its
  technique and mitigation ids across releases, and OWASP writes the edition into the id
  itself (``LLM01:2025`` and ``LLM01:2023`` stay different references).
* References are compared case-folded, with every run of ``:``, ``-``, ``_`` or white space
  read as one separator, so ``LLM01:2025`` is ``llm01-2025``. Dots stay: a sub-technique
  ``AML.T0020.001`` is a reference of its own and does not match ``AML.T0020``.

What a target risk gets (``crosswalk_catalogs``), all of it traceable to a mapping:

* Matched source controls: those whose references match the risk's own references, or the
  references of a target control that mitigates the risk. Matched source risks: those
  whose references match the risk's own references; they are listed with their own
  coverage for the reader to follow, and add nothing to the figure.
* Coverage: the weighted mean, by control weight, of the scores of the matched source
  controls that are in the assessment's scope and not N/A: the engine's rule for a risk's
  coverage, over the controls the mappings name. None when no such control has a score.
* Status, from the mappings and the scope alone (not the answers): "covered" when the
  in-scope matched controls reach every one of the risk's own references, or every target
  control that mitigates it; "partly" when they reach some; "none" otherwise. Only
  references in a scheme the source's controls use count, since no other can be reached.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import figures as f
from .derive_scores import mean_figure
from .model import Catalog, Result, ScoringInputError, normalise_reference
from .scope import walk_controls
from .terms import Term

# Scheme ids that name the same external framework in different catalogs, each mapped to
# the id every other spelling is compared as. Only pairs read in both sources' own ids.
SCHEME_ALIASES: dict[str, str] = {
    "owasp-llm": "owasp-top10-llm",  # FINOS reference list owasp-llm.yml; CoSAI frameworks
}
SEPARATORS = re.compile(r"[\s:_-]+")
COVERED, PARTLY, NOT_COVERED = "covered", "partly", "none"
STATUS_LABELS = {COVERED: "Covered", PARTLY: "Partly covered", NOT_COVERED: "Not covered"}

Mappings = tuple[tuple[str, tuple[str, ...]], ...]
Key = tuple[str, str]  # (scheme, reference) as the rule compares them


def canonical_scheme(scheme: str) -> str:
    if not isinstance(scheme, str) or not scheme.strip():
        raise ScoringInputError(f"a mapping scheme must be a non-empty id, not {scheme!r}")
    folded = scheme.strip().casefold()
    return SCHEME_ALIASES.get(folded, folded)


def canonical_reference(reference: str) -> str:
    if not isinstance(reference, str):
        raise ScoringInputError(f"a mapped reference must be text, not {reference!r}")
    text = SEPARATORS.sub("-", normalise_reference(reference).casefold()).strip("-")
    if not text:
        raise ScoringInputError(f"the mapped reference {reference!r} is empty")
    return text


def reference_key(scheme: str, reference: str) -> Key:
    """What two mapped references are compared by: the same key, the same reference."""
    return canonical_scheme(scheme), canonical_reference(reference)


def same_reference(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether (scheme, reference) ``a`` and ``b`` name the same thing (see the module)."""
    return reference_key(*a) == reference_key(*b)


def mapping_keys(mappings: Mappings) -> dict[Key, str]:
    """Each key of an item's mappings -> the first reference as written ("scheme ref")."""
    keys: dict[Key, str] = {}
    for scheme, references in mappings:
        for raw in references:
            keys.setdefault(reference_key(scheme, raw), f"{scheme} {raw}")
    return keys


def control_schemes(catalog: Catalog) -> frozenset[str]:
    return frozenset(
        canonical_scheme(scheme) for _, c in walk_controls(catalog) for scheme, _ in c.mappings
    )


def catalog_schemes(catalog: Catalog) -> frozenset[str]:
    """The schemes, as the rule compares them, that a catalog's controls and risks map to."""
    risks = (canonical_scheme(scheme) for r in catalog.risks for scheme, _ in r.mappings)
    return control_schemes(catalog) | frozenset(risks)


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """One mapping that links a source item to a target risk: the source's reference, the
    target's, and the target control it came through ("" for the target risk itself)."""

    source: str
    target: str
    via: str = ""


@dataclass(frozen=True, slots=True)
class MatchedControl:
    id: str
    name: str
    in_scope: bool
    score: float | None
    weight: float
    matches: tuple[Match, ...]

    @property
    def counted(self) -> bool:
        """Whether its score is one of the coverage figure's terms."""
        return self.in_scope and self.score is not None


@dataclass(frozen=True, slots=True)
class MatchedRisk:
    id: str
    name: str
    coverage: float | None
    matches: tuple[Match, ...]


@dataclass(frozen=True, slots=True)
class RiskCoverage:
    id: str
    name: str
    category: str
    controls: tuple[MatchedControl, ...]
    risks: tuple[MatchedRisk, ...]
    # The risk's own references in a scheme the source's controls use, and those reached.
    references: tuple[str, ...]
    references_reached: tuple[str, ...]
    # The target controls mitigating it with such a reference, and those reached.
    mitigations: tuple[str, ...]
    mitigations_reached: tuple[str, ...]
    coverage: float | None
    figure: f.Figure
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True, slots=True)
class CatalogCoverage:
    # The schemes both catalogs map to (controls or risks), as the rule compares them.
    shared_schemes: tuple[str, ...]
    risks: tuple[RiskCoverage, ...]

    def count(self, status: str) -> int:
        return sum(1 for r in self.risks if r.status == status)

    @property
    def covered(self) -> int:
        return self.count(COVERED)

    @property
    def partly(self) -> int:
        return self.count(PARTLY)

    @property
    def not_covered(self) -> int:
        return self.count(NOT_COVERED)


# --- the computation ----------------------------------------------------------------------


def crosswalk_catalogs(*, target: Catalog, source: Catalog, result: Result) -> CatalogCoverage:
    """How ``result`` (an assessment scored on ``source``) covers each risk of ``target``,
    in the target's risk order; see the module for every rule."""
    for name, value in (("target", target), ("source", source)):
        if not isinstance(value, Catalog):
            raise ScoringInputError(f"{name} must be an engine Catalog, not {type(value).__name__}")
    known = {c.id for _, c in walk_controls(source)}
    stray = sorted(set(result.controls) - known)
    if stray:
        raise ScoringInputError(
            f"the result was not scored on the source catalog: control {stray[0]!r} is not in it"
        )
    seen: set[str] = set()
    for risk in target.risks:
        if risk.id in seen:
            raise ScoringInputError(f"duplicate risk id {risk.id!r} in the target catalog")
        seen.add(risk.id)
    index = _SourceIndex(source, result)
    shared = control_schemes(source)
    mitigators: dict[str, list] = {}
    for _, control in walk_controls(target):
        for rid in control.risks:
            mitigators.setdefault(rid, []).append(control)
    rows = tuple(
        _risk_coverage(risk, mitigators.get(risk.id, []), index, shared) for risk in target.risks
    )
    both = catalog_schemes(source) & catalog_schemes(target)
    return CatalogCoverage(tuple(sorted(both)), rows)


class _SourceIndex:
    """The source's controls and risks with the keys their mappings carry."""

    def __init__(self, source: Catalog, result: Result) -> None:
        self.result = result
        self.controls = [c for _, c in walk_controls(source)]
        self.control_keys = [mapping_keys(c.mappings) for c in self.controls]
        # key -> positions of the controls carrying it, so a lookup never scans the catalog.
        self.by_key: dict[Key, list[int]] = {}
        for position, keys in enumerate(self.control_keys):
            for key in keys:
                self.by_key.setdefault(key, []).append(position)
        self.risks = list(source.risks)
        self.risk_keys = [mapping_keys(r.mappings) for r in self.risks]

    def match(self, wanted: dict[Key, str], via: str, into: dict[str, list[Match]]) -> set[Key]:
        """Add to ``into`` each source control's matches of ``wanted``; return the keys
        of ``wanted`` that a control in the assessment's scope carries."""
        reached: set[Key] = set()
        for key, target in wanted.items():
            for position in self.by_key.get(key, ()):
                control = self.controls[position]
                found = into.setdefault(control.id, [])
                match = Match(self.control_keys[position][key], target, via)
                if match not in found:
                    found.append(match)
                if control.id in self.result.controls:
                    reached.add(key)
        return reached


def _risk_coverage(risk, mitigators, index: _SourceIndex, shared: frozenset[str]):
    own = mapping_keys(risk.mappings)
    matches: dict[str, list[Match]] = {}
    reached_keys = index.match(own, "", matches)
    mitigations, reached_mitigations = [], []
    for control in mitigators:
        keys = mapping_keys(control.mappings)
        # A target control with no reference in a scheme the source uses cannot be reached.
        if not any(scheme in shared for scheme, _ in keys):
            continue
        mitigations.append(control.id)
        if index.match(keys, control.id, matches):
            reached_mitigations.append(control.id)
    references = [raw for (scheme, _), raw in own.items() if scheme in shared]
    reached = [raw for key, raw in own.items() if key in reached_keys]
    controls = _matched_controls(index, matches)
    coverage, figure = _coverage(risk.id, controls)
    if (references and len(reached) == len(references)) or (
        mitigations and len(reached_mitigations) == len(mitigations)
    ):
        status = COVERED
    elif reached or reached_mitigations:
        status = PARTLY
    else:
        status = NOT_COVERED
    return RiskCoverage(
        risk.id,
        risk.name,
        risk.category,
        controls,
        _matched_risks(index, own),
        tuple(references),
        tuple(reached),
        tuple(mitigations),
        tuple(reached_mitigations),
        coverage,
        figure,
        status,
    )


def _matched_controls(index: _SourceIndex, matches: dict[str, list[Match]]):
    rows = []
    for control in index.controls:  # in source catalog order
        if control.id not in matches:
            continue
        scored = index.result.controls.get(control.id)
        rows.append(
            MatchedControl(
                control.id,
                control.name,
                scored is not None,
                None if scored is None else scored.score,
                control.weight if scored is None else scored.weight,
                tuple(matches[control.id]),
            )
        )
    return tuple(rows)


def _matched_risks(index: _SourceIndex, own: dict[Key, str]) -> tuple[MatchedRisk, ...]:
    rows = []
    for risk, keys in zip(index.risks, index.risk_keys, strict=True):
        common = [k for k in keys if k in own]
        if common:
            scored = index.result.risks.get(risk.id)
            rows.append(
                MatchedRisk(
                    risk.id,
                    risk.name,
                    None if scored is None else scored.coverage,
                    tuple(Match(keys[k], own[k]) for k in common),
                )
            )
    return tuple(rows)


def _coverage(risk_id: str, controls: Iterable[MatchedControl]) -> tuple[float | None, f.Figure]:
    terms = [_term(c) for c in controls if c.in_scope]
    used = [t for t in terms if t.included]
    value = None
    if used:
        value = math.fsum(t.weight * t.value for t in used) / math.fsum(t.weight for t in used)
    over = ", ".join(t.id for t in used) or "none"
    figure = mean_figure(
        f.anchor("coverage", risk_id),
        f"Coverage of {risk_id}",
        "coverage",
        f"the matching controls of the assessment's catalog that are in scope and not N/A "
        f"(weights from that catalog): {over}",
        terms,
        value,
    )
    return value, figure


def _term(control: MatchedControl) -> Term:
    included = control.score is not None
    return Term(
        control.id,
        "control",
        control.weight,
        control.score,
        included,
        "included" if included else "N/A",
    )
