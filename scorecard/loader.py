"""Build the scoring engine's catalog from the database, and fingerprint it.

The engine never sees a model instance: this module reads one framework version with one
query per kind of row (no per-row queries, so a 1,000-control catalog costs the same number
of queries as a 10-control one) and turns the rows into the engine's frozen dataclasses.

Published and retired versions can no longer change (see FrameworkLocked), so what is read
from them (the catalog, its hash, the answer options of the questionnaire) is kept in the one
in-process cache here, `cached`. Drafts are read afresh every time because an editor may be
changing them while someone looks at a score.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from scorecard import scoring
from scorecard.models import (
    Control,
    ControlMapping,
    ControlPersona,
    ControlRisk,
    Domain,
    Framework,
    FrameworkStatus,
    Option,
    Question,
    Risk,
    ScaleOption,
    Term,
    Tier,
)
from scorecard.scoring.serialize import canonical_json

# The control fields holding Risk Map term lists (scorecard.catalog.vocabulary), read with
# the control query: they cost no query of their own.
TERM_FIELDS = ("components", "lifecycle_stages", "actor_access", "impact_types")

T = TypeVar("T")

# Bumped when the hashed document changes shape, so old and new hashes are never confused.
CATALOG_HASH_FORMAT = "scorecard-catalog-hash/1"
YES_NO = (("Yes", 1.0), ("No", 0.0))

# Entries, not frameworks: each framework version holds up to four (catalog, hash, options,
# vocabulary).
_CACHE_SIZE = 128
_cache: OrderedDict[tuple, Any] = OrderedDict()
_cache_lock = threading.Lock()


def cached(framework: Framework, kind: str, build: Callable[[], T]) -> T:
    """`build()` once per published or retired framework version and `kind`; a draft (or an
    unsaved framework) is built afresh every time."""
    key = _cache_key(framework)
    if key is None:
        return build()
    key = (*key, kind)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = build()
    with _cache_lock:
        _cache[key] = value
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


@dataclass(frozen=True)
class DisplayCodes:
    """The display code of every domain, control and question, by id (ref).

    Codes are display only: the engine never sees them, so they are read with the catalog
    (same rows, no extra query) and kept beside it rather than inside it. An id without a
    code (a row stored without one) maps to "", which the catalog label tags fall back from.
    """

    domains: dict[str, str] = field(default_factory=dict)
    controls: dict[str, str] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)

    def domain(self, ref: str) -> str:
        return self.domains.get(ref, "")

    def control(self, ref: str) -> str:
        return self.controls.get(ref, "")

    def question(self, ref: str) -> str:
        return self.questions.get(ref, "")


def load_catalog(framework: Framework) -> scoring.Catalog:
    """The engine catalog of one framework version (8 queries, or none when cached)."""
    return load_catalog_and_codes(framework)[0]


def load_catalog_and_codes(framework: Framework) -> tuple[scoring.Catalog, DisplayCodes]:
    """The engine catalog and the display codes, read together (the same 8 queries)."""
    return cached(framework, "catalog", lambda: _build_catalog(framework))


def catalog_hash(framework: Framework, methodology: str = scoring.METHODOLOGY_VERSION) -> str:
    """SHA-256 (hex) of the canonical JSON of everything that decides a score under a
    methodology version.

    That is the engine catalog (domains, controls, questions, weights, critical flags,
    personas, risks, mappings, tiers, threshold, gate) plus the answer options and their
    values, since an answer's value comes from its option; from methodology 1.1 on also the
    components, lifecycle stages and actor access of each control, which decide whether it
    applies. Texts that never reach a score (question wording, help, descriptions), impact
    types and the autonomy evidence rule are left out. A 1.0 fingerprint is what it was
    before 1.1 existed. Two more queries than load_catalog.
    """

    def build() -> str:
        document = catalog_document(framework, load_catalog(framework), methodology)
        return hashlib.sha256(canonical_json(document)).hexdigest()

    return cached(framework, f"hash {methodology}", build)


def catalog_document(
    framework: Framework,
    catalog: scoring.Catalog,
    methodology: str = scoring.METHODOLOGY_VERSION,
) -> dict[str, Any]:
    """The JSON document catalog_hash fingerprints; an auditor can rebuild and compare it."""
    return {
        "format": CATALOG_HASH_FORMAT,
        "framework": {"slug": framework.slug, "version": framework.version},
        "methodology_version": methodology,
        "catalog": catalog_to_dict(catalog, scoping_terms=methodology != "1.0"),
        "options": answer_options(framework),
    }


def answer_options(framework: Framework) -> dict[str, dict[str, Any]]:
    """Option labels and values: the framework scale and every choice question's options."""
    scale = [
        [label, value]
        for label, value in ScaleOption.objects.filter(framework=framework)
        .order_by("position", "pk")
        .values_list("label", "value")
    ]
    choices: dict[str, list] = defaultdict(list)
    rows = (
        Option.objects.filter(framework=framework)
        .order_by("question__position", "question_id", "position", "pk")
        .values_list("question__ref", "label", "value")
    )
    for ref, label, value in rows:
        choices[ref].append([label, value])
    return {
        "scale": scale,
        "yes_no": [list(pair) for pair in YES_NO],
        "choice": dict(sorted(choices.items())),
    }


def _refs(refs: scoring.TermRefs) -> str | list[str]:
    return refs if isinstance(refs, str) else list(refs)


def catalog_to_dict(catalog: scoring.Catalog, *, scoping_terms: bool = True) -> dict[str, Any]:
    def question(q: scoring.Question) -> dict[str, Any]:
        return {"id": q.id, "type": q.type, "weight": q.weight, "allow_na": q.allow_na}

    def control(c: scoring.Control) -> dict[str, Any]:
        return {
            "id": c.id,
            "name": c.name,
            "weight": c.weight,
            "critical": c.critical,
            "personas": list(c.personas),
            "risks": list(c.risks),
            "mappings": [[scheme, list(refs)] for scheme, refs in c.mappings],
            "guidance": c.guidance,
            "questions": [question(q) for q in c.questions],
            **(
                {kind: _refs(getattr(c, kind)) for kind, _, _ in scoring.SCOPE_TERM_KINDS}
                if scoping_terms
                else {}
            ),
        }

    def domain(d: scoring.Domain) -> dict[str, Any]:
        return {
            "id": d.id,
            "name": d.name,
            "weight": d.weight,
            "domains": [domain(sub) for sub in d.domains],
            "controls": [control(c) for c in d.controls],
        }

    return {
        "domains": [domain(d) for d in catalog.domains],
        "tiers": [{"name": t.name, "min_score": t.min_score} for t in catalog.tiers],
        "critical_threshold": catalog.critical_threshold,
        "gate_tier": catalog.gate_tier,
        "risks": [{"id": r.id, "name": r.name, "category": r.category} for r in catalog.risks],
    }


def clear_catalog_cache() -> None:
    with _cache_lock:
        _cache.clear()


# --- internals ------------------------------------------------------------------------------


def _cache_key(framework: Framework) -> tuple | None:
    if framework.pk is None or framework.status == FrameworkStatus.DRAFT:
        return None
    # created_at guards against a reused primary key (SQLite reuses them after a rollback,
    # which happens between tests); a published version's rows never change otherwise.
    return (framework.pk, framework.created_at)


def _ordered(model, framework: Framework):
    return model.objects.filter(framework=framework).order_by("position", "pk")


def _build_catalog(framework: Framework) -> tuple[scoring.Catalog, DisplayCodes]:
    codes = DisplayCodes()
    controls = _controls_by_domain(framework, codes)
    domain_rows = list(
        _ordered(Domain, framework).values("id", "parent_id", "ref", "code", "name", "weight")
    )
    codes.domains.update((row["ref"], row["code"]) for row in domain_rows)
    children: dict[int | None, list[dict]] = defaultdict(list)
    for row in domain_rows:
        children[row["parent_id"]].append(row)

    def build(row: dict) -> scoring.Domain:
        return scoring.Domain(
            row["ref"],
            name=row["name"],
            weight=row["weight"],
            domains=tuple(build(child) for child in children.get(row["id"], ())),
            controls=tuple(controls.get(row["id"], ())),
        )

    tiers = tuple(
        scoring.Tier(name, min_score)
        for name, min_score in _ordered(Tier, framework).values_list("name", "min_score")
    )
    risks = tuple(
        scoring.Risk(ref, name=name, category=category, mappings=_mapping_tuple(mappings))
        for ref, name, category, mappings in _ordered(Risk, framework).values_list(
            "ref", "name", "category", "mappings"
        )
    )
    catalog = scoring.Catalog(
        domains=tuple(build(row) for row in children.get(None, ())),
        tiers=tiers,
        critical_threshold=framework.critical_threshold,
        gate_tier=framework.gate_tier or None,
        risks=risks,
    )
    return catalog, codes


def _mapping_tuple(stored: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A stored {scheme: [reference, ...]} as the engine holds mappings, schemes sorted."""
    return tuple((scheme, tuple(refs)) for scheme, refs in sorted((stored or {}).items()) if refs)


def _control_links(framework: Framework):
    """Each control's personas, risks and mappings, by control pk (three queries)."""
    personas: dict[int, list[str]] = defaultdict(list)
    for control_id, ref in _ordered(ControlPersona, framework).values_list(
        "control_id", "persona__ref"
    ):
        personas[control_id].append(ref)
    risks: dict[int, list[str]] = defaultdict(list)
    for control_id, ref in _ordered(ControlRisk, framework).values_list("control_id", "risk__ref"):
        risks[control_id].append(ref)
    mappings: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for control_id, scheme, reference in _ordered(ControlMapping, framework).values_list(
        "control_id", "scheme", "reference"
    ):
        mappings[control_id].setdefault(scheme, []).append(reference)
    return personas, risks, mappings


def _controls_by_domain(
    framework: Framework, codes: DisplayCodes
) -> dict[int, list[scoring.Control]]:
    """The engine's controls with their questions, by domain pk (five queries); fills the
    control and question codes on the way."""
    personas, risks_of, mappings = _control_links(framework)
    questions: dict[int, list[scoring.Question]] = defaultdict(list)
    for control_id, ref, code, qtype, weight, allow_na in _ordered(Question, framework).values_list(
        "control_id", "ref", "code", "type", "weight", "allow_na"
    ):
        questions[control_id].append(scoring.Question(ref, qtype, weight, allow_na))
        codes.questions[ref] = code
    controls: dict[int, list[scoring.Control]] = defaultdict(list)
    for row in _ordered(Control, framework).values(
        "id",
        "domain_id",
        "ref",
        "code",
        "name",
        "weight",
        "critical",
        "guidance",
        *TERM_FIELDS,
        "evidence_autonomy",
    ):
        cid = row["id"]
        codes.controls[row["ref"]] = row["code"]
        controls[row["domain_id"]].append(
            scoring.Control(
                row["ref"],
                name=row["name"],
                weight=row["weight"],
                critical=row["critical"],
                # Sorted so the catalog (and its hash) does not depend on link insertion order.
                personas=tuple(sorted(set(personas.get(cid, ())))),
                risks=tuple(sorted(set(risks_of.get(cid, ())))),
                mappings=tuple(
                    (scheme, tuple(refs)) for scheme, refs in sorted(mappings.get(cid, {}).items())
                ),
                guidance=row["guidance"],
                questions=tuple(questions.get(cid, ())),
                **{name: term_refs(row[name]) for name in TERM_FIELDS},
                evidence_autonomy=row["evidence_autonomy"],
            )
        )
    return controls


def term_refs(stored: Any) -> scoring.TermRefs:
    """A stored term list as the engine holds it: the literal, or a tuple of ids."""
    return stored if isinstance(stored, str) else tuple(stored or ())


def load_vocabulary(framework: Framework) -> tuple[scoring.CatalogTerm, ...]:
    """The version's vocabulary in catalog order (one query, or none when cached). Kept
    apart from load_catalog so the pages that score pay nothing for it."""

    def build() -> tuple[scoring.CatalogTerm, ...]:
        rows = _ordered(Term, framework).order_by("kind", "position", "pk")
        return tuple(
            scoring.CatalogTerm(ref, kind, name, parent)
            for ref, kind, name, parent in rows.values_list("ref", "kind", "name", "parent__ref")
        )

    return cached(framework, "vocabulary", build)
