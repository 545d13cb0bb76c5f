"""The vocabulary a catalog may carry beside its controls, in the Risk Map's terms.

Five kinds of term describe an AI system: its components (grouped in component categories,
which may nest), the lifecycle stages it goes through, the access a threat actor needs
(actor access) and the kind of harm at stake (impact type). A catalog lists the terms under
`vocabulary`; controls and risks then name the terms they concern.

A control's (or risk's) terms of one kind are stated in one of three ways, kept as written:

- a list of term ids: the control concerns exactly those terms. An empty list (or the key
  left out) means the catalog says nothing about that kind for the control;
- `all`: the control concerns every term of the kind (the Risk Map says this of its
  assurance controls, e.g. red teaming touches every component);
- `none`: the control is tied to no term of the kind (the Risk Map says this of its
  governance controls, which sit above the system's parts rather than in one of them).

No scoring rule reads these yet (methodology 1.0 ignores them); they are stored, checked,
imported and exported so that scoping rules can rely on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from scorecard.catalog.problems import render_path

COMPONENT_CATEGORY = "component_category"
COMPONENT = "component"
LIFECYCLE_STAGE = "lifecycle_stage"
ACTOR_ACCESS = "actor_access"
IMPACT_TYPE = "impact_type"
KINDS = (COMPONENT_CATEGORY, COMPONENT, LIFECYCLE_STAGE, ACTOR_ACCESS, IMPACT_TYPE)
KIND_LABELS = {
    COMPONENT_CATEGORY: "component category",
    COMPONENT: "component",
    LIFECYCLE_STAGE: "lifecycle stage",
    ACTOR_ACCESS: "actor access level",
    IMPACT_TYPE: "impact type",
}

# The list of each kind under the native document's `vocabulary`.
VOCABULARY_KEYS = {
    COMPONENT_CATEGORY: "component_categories",
    COMPONENT: "components",
    LIFECYCLE_STAGE: "lifecycle_stages",
    ACTOR_ACCESS: "actor_access",
    IMPACT_TYPE: "impact_types",
}
# The key that points from a term to its parent: a category may sit in another category,
# a component in a category. Other kinds have a free-text `group` instead (the Risk Map's
# "traditional" / "modern" actor access, "traditional-security" / "ai-specific" impact).
PARENT_KEYS = {COMPONENT_CATEGORY: "parent", COMPONENT: "category"}
GROUPED_KINDS = (ACTOR_ACCESS, IMPACT_TYPE)

# The fields of a control and of a risk that name terms, by kind; the field is named like
# the vocabulary list it points into.
CONTROL_TERM_FIELDS = {
    COMPONENT: "components",
    LIFECYCLE_STAGE: "lifecycle_stages",
    ACTOR_ACCESS: "actor_access",
    IMPACT_TYPE: "impact_types",
}
RISK_TERM_FIELDS = {
    LIFECYCLE_STAGE: "lifecycle_stages",
    ACTOR_ACCESS: "actor_access",
    IMPACT_TYPE: "impact_types",
}

ALL, NONE = "all", "none"
TERM_LITERALS = (ALL, NONE)

Path_ = tuple[str | int, ...]
AddProblem = Callable[[Path_, str], None]


def term_refs_problem(value: Any) -> str | None:
    """A stored term list: a list of distinct id strings, or "all", or "none"."""
    if isinstance(value, str):
        return None if value in TERM_LITERALS else 'expected a list of ids, "all" or "none"'
    if not isinstance(value, list) or not all(isinstance(ref, str) and ref for ref in value):
        return 'expected a list of ids, "all" or "none"'
    if len(set(value)) != len(value):
        return "lists an id twice"
    return None


def normal_refs(value: Any) -> list[str] | str:
    """The normal form of a term list: the literal, or a list (empty when not stated)."""
    if isinstance(value, str):
        return value
    return list(value or ())


def normalise_vocabulary(vocabulary: Any) -> dict[str, list[dict]]:
    """Every kind's list present, every term with all its keys."""
    vocabulary = vocabulary or {}
    return {
        VOCABULARY_KEYS[kind]: [_term(kind, term) for term in vocabulary.get(key) or ()]
        for kind, key in VOCABULARY_KEYS.items()
    }


def _term(kind: str, term: dict) -> dict:
    normal = {
        "id": term["id"],
        "name": term["name"],
        "description": term.get("description", ""),
    }
    if kind in PARENT_KEYS:
        normal[PARENT_KEYS[kind]] = term.get(PARENT_KEYS[kind]) or None
    if kind in GROUPED_KINDS:
        normal["group"] = term.get("group", "")
    return normal


def iter_terms(doc: Any) -> Iterator[tuple[str, Path_, dict]]:
    """(kind, path, term) for every well-formed term of the document's vocabulary."""
    vocabulary = doc.get("vocabulary") if isinstance(doc, dict) else None
    if not isinstance(vocabulary, dict):
        return
    for kind, key in VOCABULARY_KEYS.items():
        items = vocabulary.get(key)
        for index, term in enumerate(items if isinstance(items, list) else ()):
            if isinstance(term, dict):
                yield kind, ("vocabulary", key, index), term


def check_vocabulary(doc: Any, add: AddProblem) -> dict[str, set[str]]:
    """Unique ids per kind and parents that resolve without a loop; returns the ids by kind."""
    first_seen: dict[tuple[str, str], Path_] = {}
    parents: dict[str, tuple[Path_, Any]] = {}
    components: list[tuple[Path_, Any]] = []
    for kind, path, term in iter_terms(doc):
        ref = term.get("id")
        if not isinstance(ref, str):
            continue
        if (kind, ref) in first_seen:
            where = render_path(first_seen[(kind, ref)])
            add((*path, "id"), f'duplicate {KIND_LABELS[kind]} id "{ref}" (first used at {where})')
            continue
        first_seen[(kind, ref)] = path
        if kind == COMPONENT_CATEGORY:
            parents[ref] = (path, term.get("parent"))
        elif kind == COMPONENT:
            components.append((path, term.get("category")))
    known = {kind: {ref for k, ref in first_seen if k == kind} for kind in KINDS}
    for ref, (path, parent) in parents.items():
        if isinstance(parent, str) and parent not in known[COMPONENT_CATEGORY]:
            add((*path, "parent"), f'unknown component category "{parent}"')
        elif isinstance(parent, str) and _loops(ref, parents):
            add((*path, "parent"), "a component category cannot sit inside itself")
    for path, category in components:
        if isinstance(category, str) and category not in known[COMPONENT_CATEGORY]:
            add((*path, "category"), f'unknown component category "{category}"')
    return known


def _loops(start: str, parents: dict[str, tuple[Path_, Any]]) -> bool:
    seen = {start}
    node = parents[start][1]
    while isinstance(node, str) and node in parents:
        if node in seen:
            return True
        seen.add(node)
        node = parents[node][1]
    return False


def check_term_refs(
    path: Path_, item: dict, fields: dict[str, str], known: dict[str, set[str]], add: AddProblem
) -> None:
    """The term lists of a control or risk name terms of the right kind, each once."""
    for kind, field in fields.items():
        refs = item.get(field)
        if not isinstance(refs, list):
            continue  # a literal, or a shape the schema reports
        seen: set[str] = set()
        for index, ref in enumerate(refs):
            if not isinstance(ref, str):
                continue
            label = KIND_LABELS[kind]
            if ref not in known[kind]:
                add((*path, field, index), f'unknown {label} "{ref}"')
            elif ref in seen:
                add((*path, field, index), f'{label} "{ref}" is listed twice')
            seen.add(ref)
