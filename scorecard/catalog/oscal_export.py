"""Native documents to OSCAL catalogs (JSON, OSCAL 1.1); `oscal` reads them back.

Domains become groups, controls controls with statement/guidance parts and props
for weight, critical flag, question ids and question codes, and for the control's Risk Map
terms (component, lifecycle-stage, actor-access, impact-type) and autonomy evidence rule.
The display code of a group or control is its `label` prop, which the import reads
back (an unusable label is left to the generator). Ids are made into OSCAL tokens
deterministically and kept unique; an id that changed is kept in a namespaced `id` prop.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from scorecard.catalog.oscal import NS, OSCAL_VERSION, OWN_CONTROLS

_NOT_TOKEN = re.compile(r"[^A-Za-z0-9_.\-]")
_UUID_NAMESPACE = uuid.UUID("0b7c3c55-8a3e-4f0e-9d0c-5d3f1e1b2a60")


class _Tokens:
    """Turns ids into OSCAL tokens, the same way every time, never reusing one."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, raw: str) -> str:
        token = _NOT_TOKEN.sub("_", raw) or "_"
        if not re.match(r"[A-Za-z_]", token):
            token = f"_{token}"
        candidate, number = token, 2
        while candidate in self.used:
            candidate, number = f"{token}-{number}", number + 1
        self.used.add(candidate)
        return candidate


def document_to_oscal(doc: dict[str, Any], *, last_modified: datetime) -> dict[str, Any]:
    """A normalised native document as an OSCAL 1.1.2 catalog (a JSON-ready dict)."""
    meta = doc["framework"]
    tokens = _Tokens()
    metadata: dict[str, Any] = {
        "title": _line(meta["name"]) or meta["slug"],
        "last-modified": last_modified.isoformat(),
        "version": _line(meta["version"]),
        "oscal-version": OSCAL_VERSION,
    }
    remarks = "\n\n".join(text for text in (meta["description"], meta["source"]) if text)
    if remarks:
        metadata["remarks"] = remarks
    catalog: dict[str, Any] = {
        "uuid": str(uuid.uuid5(_UUID_NAMESPACE, f"{meta['slug']}\n{meta['version']}")),
        "metadata": metadata,
    }
    groups = [_group(domain, tokens) for domain in doc["domains"]]
    if groups:
        catalog["groups"] = groups
    return {"catalog": catalog}


def _group(domain: dict, tokens: _Tokens) -> dict:
    token = tokens(domain["id"])
    group: dict[str, Any] = {
        "id": token,
        "class": "domain",
        "title": _line(domain["name"]) or token,
        "props": [
            *_labels(domain, token),
            {"name": "weight", "ns": NS, "value": f"{domain['weight']:g}"},
        ],
    }
    if domain["description"].strip():
        group["parts"] = [
            {"id": tokens(f"{token}_ovw"), "name": "overview", "prose": domain["description"]}
        ]
    controls = [_control(control, tokens) for control in domain["controls"]]
    children = [_group(child, tokens) for child in domain["domains"]]
    if children and controls:
        own = {"id": tokens(f"{token}_controls"), "class": OWN_CONTROLS, "title": group["title"]}
        children.insert(0, own | {"controls": controls})
        controls = []
    if children:
        group["groups"] = children
    if controls:
        group["controls"] = controls
    return group


def _control(control: dict, tokens: _Tokens) -> dict:
    token = tokens(control["id"])
    props = [
        *_labels(control, token),
        {"name": "weight", "ns": NS, "value": f"{control['weight']:g}"},
        {"name": "critical", "ns": NS, "value": "true" if control["critical"] else "false"},
    ]
    props.extend(_term_props(control))
    for question in control["questions"]:
        props.append({"name": "question", "ns": NS, "value": _line(question["id"])})
        props.append({"name": "question-code", "ns": NS, "value": question["code"]})
    parts = [
        {"id": tokens(f"{token}_{suffix}"), "name": name, "prose": control[field]}
        for field, name, suffix in (
            ("description", "statement", "smt"),
            ("guidance", "guidance", "gdn"),
        )
        if control[field].strip()
    ]
    result: dict[str, Any] = {"id": token, "title": _line(control["name"]) or token, "props": props}
    if parts:
        result["parts"] = parts
    return result


# The control's Risk Map terms and autonomy evidence rule, as props in our namespace: one
# prop per id, or one holding "all" or "none"; a list left empty writes none.
TERM_PROPS = (
    ("components", "component"),
    ("lifecycle_stages", "lifecycle-stage"),
    ("actor_access", "actor-access"),
    ("impact_types", "impact-type"),
)


def _term_props(control: dict) -> list[dict]:
    props = []
    for field, name in TERM_PROPS:
        value = control.get(field) or []
        for ref in [value] if isinstance(value, str) else value:
            props.append({"name": name, "ns": NS, "value": ref})
    if control.get("evidence_autonomy"):
        props.append({"name": "evidence-autonomy", "ns": NS, "value": control["evidence_autonomy"]})
    return props


def _labels(item: dict, token: str) -> list[dict]:
    """OSCAL's `label` (display text used in place of the id) carries the display code; an
    id that had to change to become an OSCAL token is kept in our own `id` prop."""
    labels = [{"name": "label", "value": item["code"]}]
    if token != item["id"]:
        labels.append({"name": "id", "ns": NS, "value": _line(item["id"])})
    return labels


def _line(text: str) -> str:
    """One line without surrounding blanks, as OSCAL titles and prop values require."""
    return " ".join(text.split())
