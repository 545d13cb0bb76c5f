"""OSCAL profiles (baselines such as NIST's LOW, MODERATE, HIGH) resolved against the one
catalog they import, when that catalog is given too.

What is applied: `include-all`, `include-controls` (`with-ids`, with `with-child-controls`
including the enhancements), `exclude-controls`, and `modify.set-parameters` (values,
label, select and guidelines replace the catalog's). The catalog's structure is kept
(`merge: as-is`), groups left without a control are dropped, and an enhancement chosen
without its parent takes the parent's place. The result carries the profile's title,
version and uuid and the catalog's back-matter.

Anything else a profile may do (several imports, `alters`, `matching` patterns) needs a
full resolver, so it is refused with a message saying to import a resolved catalog.
"""

from __future__ import annotations

import copy
from typing import Any

from scorecard.catalog.problems import CatalogInvalid, Problem

NEEDS_RESOLVED = (
    "this is an OSCAL profile: give the catalog it imports as well (import_catalog "
    "--catalog FILE), or import a catalog already resolved from it (oscal-cli or "
    "compliance-trestle resolve profiles)"
)
_SET_KEYS = ("values", "label", "select", "guidelines", "constraints", "props", "links")


def resolve_profile(data: dict, catalogs: list[Any]) -> dict:
    profile = data.get("profile")
    if not isinstance(profile, dict):
        raise CatalogInvalid([Problem("profile", "expected an object")])
    if not catalogs:
        raise CatalogInvalid([Problem("(root)", NEEDS_RESOLVED)])
    imports = profile.get("imports")
    problems = _unsupported(profile, imports, catalogs)
    if problems:
        raise CatalogInvalid(problems)
    source = catalogs[0].get("catalog") if isinstance(catalogs[0], dict) else None
    if not isinstance(source, dict):
        raise CatalogInvalid([Problem("--catalog", 'expected an OSCAL "catalog" object')])
    chosen = _chosen(imports[0], source)
    catalog = copy.deepcopy(source)
    catalog["groups"] = _prune(catalog.get("groups"), chosen, groups=True)
    catalog["controls"] = _prune(catalog.get("controls"), chosen, groups=False)
    for key in ("groups", "controls"):
        if not catalog[key]:
            del catalog[key]
    _set_parameters(catalog, (profile.get("modify") or {}).get("set-parameters") or [])
    metadata = dict(catalog.get("metadata") or {})
    metadata.update(
        {k: v for k, v in (profile.get("metadata") or {}).items() if k in ("title", "version")}
    )
    catalog["metadata"] = metadata
    if profile.get("uuid"):
        catalog["uuid"] = profile["uuid"]
    return {"catalog": catalog}


def _unsupported(profile: dict, imports: Any, catalogs: list) -> list[Problem]:
    if not isinstance(imports, list) or len(imports) != 1 or not isinstance(imports[0], dict):
        return [
            Problem("profile.imports", f"only a single import is resolved here; {NEEDS_RESOLVED}")
        ]
    problems = []
    if len(catalogs) != 1:
        problems.append(Problem("--catalog", "give exactly one catalog for the profile"))
    if (profile.get("modify") or {}).get("alters"):
        message = f"alterations are not applied here; {NEEDS_RESOLVED}"
        problems.append(Problem("profile.modify.alters", message))
    for index, rule in enumerate(imports[0].get("include-controls") or ()):
        if isinstance(rule, dict) and rule.get("matching"):
            path = f"profile.imports[0].include-controls[{index}].matching"
            message = f"matching patterns are not resolved here; {NEEDS_RESOLVED}"
            problems.append(Problem(path, message))
    return problems


def _ids(rules: Any) -> tuple[set[str], set[str]]:
    """Ids named by the rules, and those whose children come along."""
    named, with_children = set(), set()
    for rule in rules if isinstance(rules, list) else ():
        ids = {str(ref) for ref in rule.get("with-ids") or ()}
        named |= ids
        if rule.get("with-child-controls") == "yes":
            with_children |= ids
    return named, with_children


def _chosen(spec: dict, catalog: dict) -> set[str]:
    named, with_children = _ids(spec.get("include-controls"))
    excluded, excluded_children = _ids(spec.get("exclude-controls"))
    chosen: set[str] = set()

    def walk(node: dict, take_all: bool, dropped: bool) -> None:
        for control in node.get("controls") or ():
            ref = control.get("id")
            gone = dropped or ref in excluded
            if not gone and (take_all or ref in named):
                chosen.add(ref)
            walk(control, take_all or ref in with_children, dropped or ref in excluded_children)
        for group in node.get("groups") or ():
            walk(group, take_all, dropped)

    walk(catalog, "include-all" in spec, False)
    return chosen


def _prune(items: Any, chosen: set[str], *, groups: bool) -> list:
    kept = []
    for item in items if isinstance(items, list) else ():
        if groups:
            item["groups"] = _prune(item.get("groups"), chosen, groups=True)
            item["controls"] = _prune(item.get("controls"), chosen, groups=False)
            for key in ("groups", "controls"):
                if not item[key]:
                    del item[key]
            if item.get("groups") or item.get("controls"):
                kept.append(item)
            continue
        children = _prune(item.get("controls"), chosen, groups=False)
        if item.get("id") in chosen:
            item.pop("controls", None)
            if children:
                item["controls"] = children
            kept.append(item)
        else:
            kept.extend(children)  # an enhancement chosen without its parent
    return kept


def _set_parameters(catalog: dict, settings: list) -> None:
    by_id = {s.get("param-id"): s for s in settings if isinstance(s, dict)}
    stack: list[Any] = [catalog]
    while stack:
        node = stack.pop()
        for param in node.get("params") or ():
            setting = by_id.get(param.get("id"))
            if setting:
                param.update({k: copy.deepcopy(setting[k]) for k in _SET_KEYS if k in setting})
        stack.extend(node.get("groups") or ())
        stack.extend(node.get("controls") or ())
