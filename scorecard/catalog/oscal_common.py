"""What the OSCAL reader (`oscal`) and writer (`oscal_export`) must agree on.

The writer generates some OSCAL from native fields (a `label` prop from the display code,
`statement`/`guidance`/`overview` parts from the texts); the reader keeps a source's own
props and parts verbatim only where they differ from what the writer would generate, so a
catalog that never came from OSCAL gains no OSCAL data on a round trip.
"""

from __future__ import annotations

import uuid
from typing import Any

from scorecard.catalog.oscal_codec import NS

OSCAL_VERSION = "1.1.2"
# OSCAL lets a group hold sub-groups or controls, not both; a domain with both exports its
# own controls in a first sub-group of this class, which the importer folds back.
OWN_CONTROLS = "domain-controls"
# The group that carries the catalog's Scorecard-only content (scale, tiers, personas...).
DEFINITIONS = "scorecard-definitions"
# A domain made of the catalog's own controls (OSCAL allows controls outside any group).
LOOSE = "catalog-controls"
WITHDRAWN_RELS = frozenset({"moved-to", "incorporated-into"})
_UUID_NAMESPACE = uuid.UUID("0b7c3c55-8a3e-4f0e-9d0c-5d3f1e1b2a60")


def catalog_uuid(slug: str, version: str) -> str:
    """The uuid the export gives a catalog that never came from OSCAL (the same every time)."""
    return str(uuid.uuid5(_UUID_NAMESPACE, f"{slug}\n{version}"))


__all__ = ["NS", "OSCAL_VERSION", "OWN_CONTROLS", "DEFINITIONS", "LOOSE", "WITHDRAWN_RELS"]


def control_parts(token: str, description: str, guidance: str) -> list[dict]:
    """The statement and guidance parts the writer makes of a control's texts."""
    return [
        {"id": f"{token}_{suffix}", "name": name, "prose": text}
        for text, name, suffix in ((description, "statement", "smt"), (guidance, "guidance", "gdn"))
        if text.strip()
    ]


def group_parts(token: str, description: str) -> list[dict]:
    if not description.strip():
        return []
    return [{"id": f"{token}_ovw", "name": "overview", "prose": description}]


def label_only(props: list[dict], code: str) -> bool:
    """True when `props` are exactly what the writer makes of a display code."""
    return props == [{"name": "label", "value": code}]


def first_label(props: Any) -> dict | None:
    """The display label among `props`: named label, no namespace, no class."""
    for prop in props if isinstance(props, list) else ():
        if (
            isinstance(prop, dict)
            and prop.get("name") == "label"
            and "ns" not in prop
            and "class" not in prop
        ):
            return prop
    return None


def is_withdrawn(control: dict) -> bool:
    """A `status` prop saying withdrawn in any letter case (or a `withdrawn: true` prop), or
    a moved-to/incorporated-into link; NIST marks withdrawn controls both ways."""
    for prop in control.get("props") or ():
        if not isinstance(prop, dict):
            continue
        value = str(prop.get("value", "")).strip().casefold()
        if (prop.get("name"), value) in (("status", "withdrawn"), ("withdrawn", "true")):
            return True
    return bool(successors(control))


def successors(control: dict) -> list[str]:
    found = []
    for link in control.get("links") or ():
        if isinstance(link, dict) and link.get("rel") in WITHDRAWN_RELS:
            href = str(link.get("href", ""))
            found.append(href[1:] if href.startswith("#") else href)
    return found


def line(text: str) -> str:
    """One line without surrounding blanks, as OSCAL titles and prop values require."""
    return " ".join(text.split())
