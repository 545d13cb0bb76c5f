"""Native documents to OSCAL catalogs (JSON, OSCAL 1.1); `oscal` reads them back.

Domains become groups and controls controls, enhancements nested in the control they
enhance and withdrawn entries back in their place. What an OSCAL source said is written as
it came (params, props, links, parts, metadata, back-matter); texts an editor changed since
replace the source's statement or guidance. The display code is the `label` prop.

Everything else a Scorecard catalog holds (weights as exact decimals, critical flags,
questions, personas, risks, mappings, terms, the scale and tiers) goes into props and parts
of our namespace (`oscal_codec`): per control and group, and for the catalog in one group
of class `scorecard-definitions`. So both trips are lossless: OSCAL → Scorecard → OSCAL,
and Scorecard → OSCAL → Scorecard; `left_out` checks the second by reading the export back.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from scorecard.catalog import document_source, oscal_common
from scorecard.catalog.oscal_codec import NS, encode
from scorecard.catalog.oscal_common import (
    DEFINITIONS,
    LOOSE,
    OSCAL_VERSION,
    OWN_CONTROLS,
    catalog_uuid,
    line,
)
from scorecard.catalog.oscal_params import Params, texts_of

_NOT_TOKEN = re.compile(r"[^A-Za-z0-9_.\-]")
SCORED_FIELDS = (
    "weight",
    "critical",
    "personas",
    "risks",
    "mappings",
    "components",
    "lifecycle_stages",
    "actor_access",
    "impact_types",
    "evidence_autonomy",
    "questions",
)
DEFINITION_KEYS = (
    "scale",
    "tiers",
    "critical_threshold",
    "gate_tier",
    "mapping_schemes",
    "vocabulary",
    "personas",
    "risks",
)


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
    meta, kept = doc["framework"], doc.get("oscal") or {}
    writer = _Writer(doc)
    metadata: dict[str, Any] = {
        "title": line(meta["name"]) or meta["slug"],
        "last-modified": last_modified.isoformat(),
        "version": line(meta["version"]),
        "oscal-version": OSCAL_VERSION,
        **(kept.get("metadata") or {}),
    }
    if meta["description"].strip():
        metadata["remarks"] = meta["description"]
    catalog: dict[str, Any] = {
        "uuid": kept.get("uuid") or catalog_uuid(meta["slug"], meta["version"]),
        "metadata": metadata,
    }
    if kept.get("params"):
        catalog["params"] = kept["params"]
    groups, loose = [], []
    for domain in doc["domains"]:
        if (domain.get("oscal") or {}).get("class") == LOOSE and not domain["domains"]:
            loose.extend(writer.controls(domain))
        else:
            groups.append(writer.group(domain))
    if loose:
        catalog["controls"] = loose
    catalog["groups"] = [*groups, _definitions(doc)]
    if kept.get("back-matter"):
        catalog["back-matter"] = kept["back-matter"]
    return {"catalog": catalog}


def _definitions(doc: dict) -> dict:
    """The catalog's Scorecard-only content as one group that holds no controls."""
    meta = doc["framework"]
    record = {
        "framework": {
            key: meta[key] for key in ("slug", "name", "description", "source", "license")
        },
        **{key: doc[key] for key in DEFINITION_KEYS if key in doc},
    }
    props, parts = encode(record)
    group: dict[str, Any] = {
        "id": DEFINITIONS,
        "class": DEFINITIONS,
        "title": "Scorecard definitions",
        "props": [{"name": "definitions", "ns": NS, "value": "scorecard-catalog/1"}, *props],
    }
    if parts:
        group["parts"] = parts
    return group


class _Writer:
    def __init__(self, doc: dict):
        self.tokens = _Tokens()
        self.tokens.used.add(DEFINITIONS)
        self.params = Params()
        self.params.collect({"params": (doc.get("oscal") or {}).get("params")})
        for item in _every_node(doc["domains"]):
            self.params.collect(item.get("oscal") or {})

    def group(self, domain: dict) -> dict:
        token = self.tokens(domain["id"])
        kept = domain.get("oscal") or {}
        extra: dict[str, Any] = {"weight": domain["weight"]}
        _identity(domain, token, extra)
        props = _label_props(kept, domain["code"], extra)
        parts = kept.get("parts") or oscal_common.group_parts(token, domain["description"])
        if self.params.prose_of(parts, None) != domain["description"]:
            parts = [
                *oscal_common.group_parts(token, domain["description"]),
                *(part for part in parts if part.get("name") != "overview"),
            ]
            if self.params.prose_of(parts, None) != domain["description"]:
                extra["description"] = domain["description"]
        group = _node(token, domain["name"], kept, props, kept.get("links"), parts, extra)
        controls = self.controls(domain)
        children = [self.group(child) for child in domain["domains"]]
        if children and controls:
            own = {"id": self.tokens(f"{token}_controls"), "class": OWN_CONTROLS}
            children.insert(0, own | {"title": group["title"], "controls": controls})
            controls = []
        if children:
            group["groups"] = children
        if controls:
            group["controls"] = controls
        return group

    def controls(self, domain: dict) -> list[dict]:
        """The domain's controls and withdrawn entries, enhancements nested in their parent."""
        top: list[dict] = []
        written: dict[str, dict] = {}
        for gone, entry in document_source.merged(domain):
            node = self.withdrawn(entry) if gone else self.control(entry)
            written[entry["id"]] = node
            parent = written.get(entry.get("enhances") or "")
            if parent is not None:
                parent.setdefault("controls", []).append(node)
            else:
                top.append(node)
        return top

    def control(self, control: dict) -> dict:
        token = self.tokens(control["id"])
        kept = control.get("oscal") or {}
        extra = {key: control[key] for key in SCORED_FIELDS if key in control}
        _identity(control, token, extra)
        props = _label_props(kept, control["code"], extra)
        parts = self.control_parts(control, token, kept, extra)
        return _node(token, control["name"], kept, props, kept.get("links"), parts, extra)

    def control_parts(self, control: dict, token: str, kept: dict, extra: dict) -> list[dict]:
        """The source's parts while the texts still read as they came; otherwise generated
        statement and guidance parts in place of the source's, the other parts kept."""
        wanted = (control["description"], control["guidance"])
        source = {"parts": kept.get("parts") or [], "params": kept.get("params") or []}
        if source["parts"] and texts_of(self.params, source) == wanted:
            return source["parts"]
        others = [p for p in source["parts"] if p.get("name") not in ("statement", "guidance")]
        parts = [*oscal_common.control_parts(token, *wanted), *others]
        description, guidance = texts_of(self.params, {"parts": parts, "params": source["params"]})
        if description != wanted[0]:
            extra["description"] = wanted[0]
        if guidance != wanted[1]:
            extra["guidance"] = wanted[1]
        return parts

    def withdrawn(self, entry: dict) -> dict:
        token = self.tokens(entry["id"])
        kept = entry.get("oscal") or {}
        extra: dict[str, Any] = {}
        _identity(entry, token, extra)
        props = list(kept.get("props") or [{"name": "status", "value": "withdrawn"}])
        links = kept.get("links") or [
            {"href": f"#{ref}", "rel": "incorporated-into"} for ref in entry["successors"]
        ]
        return _node(token, entry["name"], kept, props, links, kept.get("parts") or [], extra)


def _node(
    token: str, name: str, kept: dict, props: list, links: Any, parts: list, extra: dict
) -> dict[str, Any]:
    """An OSCAL group or control in the schema's key order, our namespace's props and parts
    after the source's."""
    node: dict[str, Any] = {"id": token}
    if kept.get("class"):
        node["class"] = kept["class"]
    node["title"] = line(name) or token
    if kept.get("params"):
        node["params"] = kept["params"]
    ns_props, ns_parts = encode(extra)
    node["props"] = props + ns_props
    if links:
        node["links"] = links
    if parts or ns_parts:
        node["parts"] = parts + ns_parts
    return node


def _identity(item: dict, token: str, extra: dict) -> None:
    """Ids that had to change to become tokens, and names a title cannot hold, in our ns."""
    if token != item["id"]:
        extra["id"] = item["id"]
    if line(item["name"]) != item["name"]:
        extra["name"] = item["name"]


def _label_props(kept: dict, code: str, extra: dict) -> list[dict]:
    """The source's props with their label, or a label made of the display code; a code
    that differs from the source's label (or a source without one) goes into our ns."""
    if "props" not in kept:
        return [{"name": "label", "value": code}]
    props = list(kept["props"])
    label = oscal_common.first_label(props)
    if label is None or label.get("value") != code:
        extra["code"] = code
    return props


def _every_node(domains: list[dict]):
    """Every domain, control and withdrawn entry of the tree."""
    for domain in domains:
        yield domain
        yield from domain["controls"]
        yield from domain.get("withdrawn") or ()
        yield from _every_node(domain["domains"])
