"""The parts of a native document that keep a source catalog whole: enhancement nesting
(`enhances`), withdrawn controls (`withdrawn`) and the OSCAL data that has no field of its
own (`oscal`, on the catalog, its domains and its controls).

None of it is scored: the engine reads controls only, withdrawn entries are not controls,
and the `oscal` objects are kept verbatim for the export. The normal form carries each key
only when it holds something, so catalogs that never came from OSCAL look as they did.

Withdrawn entries sit in their domain's list with a `position`: the place they held among
the domain's controls and withdrawn entries together, in source order. An enhancement must
come after the control it enhances in that same order, as OSCAL's nesting implies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Path_ = tuple[str | int, ...]
AddProblem = Callable[[Path_, str], None]


# The `oscal` objects are shared, not copied, by the normal form: nothing changes them once
# read, and copying the params and parts of a thousand controls would double an import.


def normal_top(doc: dict) -> dict[str, Any]:
    oscal = doc.get("oscal")
    return {"oscal": oscal} if oscal else {}


def normal_domain(domain: dict) -> dict[str, Any]:
    normal: dict[str, Any] = {}
    if domain.get("oscal"):
        normal["oscal"] = domain["oscal"]
    withdrawn = [_withdrawn(entry) for entry in domain.get("withdrawn") or ()]
    if withdrawn:
        normal["withdrawn"] = sorted(withdrawn, key=lambda entry: entry["position"])
    return normal


def normal_control(control: dict) -> dict[str, Any]:
    normal: dict[str, Any] = {}
    if control.get("enhances"):
        normal["enhances"] = control["enhances"]
    if control.get("oscal"):
        normal["oscal"] = control["oscal"]
    return normal


def _withdrawn(entry: dict) -> dict[str, Any]:
    normal = {
        "id": entry["id"],
        "name": entry["name"],
        "enhances": entry.get("enhances") or "",
        "successors": list(entry.get("successors") or ()),
        "position": int(entry["position"]),
    }
    if entry.get("oscal"):
        normal["oscal"] = entry["oscal"]
    return normal


def merged(domain: dict) -> list[tuple[bool, dict]]:
    """The domain's controls and withdrawn entries in source order, as (withdrawn?, entry).

    Positions are places in the merged list; one beyond the end (controls were removed
    since) puts the entry last, and two entries claiming the same place keep their order.
    """
    live = [
        (False, control) for control in domain.get("controls") or () if isinstance(control, dict)
    ]
    gone = sorted(
        (entry for entry in domain.get("withdrawn") or () if isinstance(entry, dict)),
        key=lambda entry: entry.get("position") if isinstance(entry.get("position"), int) else 0,
    )
    result: list[tuple[bool, dict]] = []
    for entry in gone:
        position = entry.get("position") if isinstance(entry.get("position"), int) else 0
        while live and len(result) < position:
            result.append(live.pop(0))
        result.append((True, entry))
    result.extend(live)
    return result


def check(domains: Iterable[tuple[Path_, dict]], control_ids: set[str], add: AddProblem) -> None:
    """Withdrawn ids are unique and no control's; `enhances` names an earlier entry of the
    same domain; successors are ids."""
    seen_withdrawn: dict[str, Path_] = {}
    for path, domain in domains:
        entries = domain.get("withdrawn")
        indexed = {
            id(entry): index
            for index, entry in enumerate(entries if isinstance(entries, list) else ())
        }
        earlier: set[str] = set()
        controls = domain.get("controls")
        control_index = {
            id(control): index
            for index, control in enumerate(controls if isinstance(controls, list) else ())
        }
        for gone, entry in merged(domain):
            here = (
                (*path, "withdrawn", indexed[id(entry)])
                if gone
                else (*path, "controls", control_index[id(entry)])
            )
            ref = entry.get("id")
            if gone and isinstance(ref, str):
                if ref in control_ids:
                    add((*here, "id"), f'withdrawn id "{ref}" is also a control\'s id')
                elif ref in seen_withdrawn:
                    add((*here, "id"), f'duplicate withdrawn id "{ref}"')
                seen_withdrawn.setdefault(ref, here)
            parent = entry.get("enhances")
            if isinstance(parent, str) and parent and parent not in earlier:
                add(
                    (*here, "enhances"),
                    f'enhances "{parent}", which is not an earlier control of the same domain',
                )
            if isinstance(ref, str):
                earlier.add(ref)


def shared_objects(domains: list[dict]) -> dict[int, Any]:
    """A deepcopy memo that keeps every `oscal` object of the tree as it is (see above)."""
    memo: dict[int, Any] = {}
    stack = list(domains)
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("oscal"), dict):
            memo[id(node["oscal"])] = node["oscal"]
        for key in ("domains", "controls", "withdrawn"):
            if isinstance(node.get(key), list):
                stack.extend(node[key])
    return memo
