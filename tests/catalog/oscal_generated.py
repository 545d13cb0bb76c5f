"""A large OSCAL catalog built in code, with every feature the importer must keep: groups,
controls with nested enhancements, parameters (a third with choice lists), links of every
NIST relation, withdrawn controls marked in mixed letter case, and back-matter.

The counts are exact and deterministic so tests can state them by hand: with the defaults,
`groups` × `controls_per_group` base controls each with `enhancements` enhancements.
"""

from __future__ import annotations

import uuid

WITHDRAWN_SPELLINGS = ("withdrawn", "Withdrawn", "WITHDRAWN", "WithDrawn")
RELATIONS = ("related", "required", "reference")


def _uuid(text: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://scorecard.invalid/{text}"))


def generated_catalog(
    *, groups: int = 20, controls_per_group: int = 10, enhancements: int = 4
) -> dict:
    """20 × 10 base controls with 4 enhancements each = 1,000 controls; every tenth control
    (100) is withdrawn; 1,200 parameters; 5,000 links; 40 back-matter resources."""
    resources = [
        {
            "uuid": _uuid(f"resource-{n}"),
            "title": f"Reference document {n}",
            "rlinks": [{"href": f"https://example.invalid/doc/{n}"}],
        }
        for n in range(40)
    ]
    catalog_groups = []
    number = 0
    every_id: list[str] = []
    for g in range(groups):
        family = f"f{g:02d}"
        controls = []
        for c in range(1, controls_per_group + 1):
            base = f"{family}-{c}"
            control = _control(base, f"{family.upper()}-{c}", number, resources)
            every_id.append(base)
            number += 1
            children = []
            for e in range(1, enhancements + 1):
                ref = f"{base}.{e}"
                children.append(_control(ref, f"{family.upper()}-{c}({e})", number, resources))
                every_id.append(ref)
                number += 1
            control["controls"] = children
            controls.append(control)
        catalog_groups.append(
            {"id": family, "class": "family", "title": f"Family {g}", "controls": controls}
        )
    _add_links(catalog_groups, every_id)
    return {
        "catalog": {
            "uuid": _uuid("catalog"),
            "metadata": {
                "title": "Generated control catalog",
                "last-modified": "2026-11-30T12:00:00+00:00",
                "version": "9.9",
                "oscal-version": "1.1.2",
                "props": [{"name": "keywords", "value": "generated"}],
            },
            "groups": catalog_groups,
            "back-matter": {"resources": resources},
        }
    }


def _control(ref: str, label: str, number: int, resources: list) -> dict:
    # A base control (5 mod 20) and an enhancement (19 mod 20) in every twenty: 100 in all.
    withdrawn = number % 20 in (5, 19)
    control: dict = {
        "id": ref,
        "class": "SP800-53" if "." not in ref else "SP800-53-enhancement",
        "title": f"Control {label}",
        "props": [
            {"name": "label", "value": label},
            {"name": "sort-id", "value": f"{ref.split('-')[0]}-{number:05d}"},
        ],
    }
    if withdrawn:
        spelling = WITHDRAWN_SPELLINGS[number // 10 % 4]
        control["props"].append({"name": "status", "value": spelling})
        return control
    # Parameters: one on each live control, a second with choices on some (see the test
    # for the counts).
    params = [{"id": f"{ref}_prm_1", "label": f"organization-defined frequency {number}"}]
    if number % 9 == 1:
        params[0]["select"] = {"choice": [f"weekly {number}", f"monthly {number}"]}
    if number % 3 == 0 and number:
        params.append(
            {
                "id": f"{ref}_prm_2",
                "select": {
                    "how-many": "one-or-more" if number % 2 else "one",
                    "choice": [f"locks the device {number}", f"ends the session {number}"],
                },
                "guidelines": [{"prose": f"Choose what fits system {number}."}],
            }
        )
    control["params"] = params
    inserts = " and ".join(f"{{{{ insert: param, {p['id']} }}}}" for p in params)
    control["parts"] = [
        {
            "id": f"{ref}_smt",
            "name": "statement",
            "prose": f"The organisation reviews the control every {inserts}.",
            "parts": [
                {
                    "id": f"{ref}_smt.a",
                    "name": "item",
                    "props": [{"name": "label", "value": "a."}],
                    "prose": "Records the review.",
                }
            ],
        },
        {"id": f"{ref}_gdn", "name": "guidance", "prose": f"Guidance for {label}."},
    ]
    control["links"] = [
        {"href": f"#{resources[number % len(resources)]['uuid']}", "rel": "reference"}
    ]
    return control


def _add_links(groups: list, every_id: list[str]) -> None:
    """Withdrawn controls point to a successor; live ones get links until 5,000 in all."""
    flat = [
        control
        for group in groups
        for base in group["controls"]
        for control in (base, *base["controls"])
    ]
    live = [c for c in flat if "params" in c]
    for index, control in enumerate(flat):
        if "params" not in control:
            successor = live[index % len(live)]["id"]
            rel = "incorporated-into" if index % 2 else "moved-to"
            control["links"] = [{"href": f"#{successor}", "rel": rel}]
    total = sum(len(c.get("links", ())) for c in flat)
    step = 0
    while total < 5000:
        control = live[step % len(live)]
        target = every_id[(step * 7 + 3) % len(every_id)]
        control["links"].append({"href": f"#{target}", "rel": RELATIONS[step % 3]})
        total += 1
        step += 1
