"""OSCAL catalogs (JSON or YAML, OSCAL 1.1 and 1.2) to native documents; `oscal_export`
goes back, and `oscal_profile` resolves a profile against the catalogs it imports.

Groups become domains (nested groups sub-domains); controls and their enhancements become
controls of the group's domain, each enhancement right after its parent with `enhances`
naming it. The `statement` part becomes the description and `guidance` the guidance, nested
parts flattened into paragraphs and parameters rendered into the text (`oscal_params`).
Withdrawn controls are not scored: they become the domain's `withdrawn` entries pointing to
their successors. Everything OSCAL says that has no native field (params, props, links,
parts, the catalog's metadata and back-matter) is kept verbatim under `oscal`, and
non-namespaced props are also offered as mappings `oscal-prop:<name>`.

A catalog Scorecard wrote carries its own content in props and parts of our namespace
(`oscal_codec`): weights, questions, personas, risks, the scale and tiers come back from
there. Any other catalog gets one generated `scale` question per control and the default
scale and tiers, so it can be published as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from scorecard.catalog import limits, oscal_common
from scorecard.catalog.defaults import default_scale, default_tiers, implementation_question
from scorecard.catalog.document import FORMAT
from scorecard.catalog.oscal_codec import ours
from scorecard.catalog.oscal_common import OWN_CONTROLS, catalog_uuid
from scorecard.catalog.oscal_params import Params, texts_of
from scorecard.catalog.oscal_profile import resolve_profile
from scorecard.catalog.oscal_reading import Nodes, catalog_data, definitions_of
from scorecard.catalog.problems import CatalogInvalid, Problem, render_path

Path_ = tuple[str | int, ...]
# The catalog-level content our export writes in its definitions group (see oscal_export).
DEFINITION_KEYS = frozenset(
    {"scale", "tiers", "critical_threshold", "gate_tier", "mapping_schemes", "vocabulary"}
    | {"personas", "risks"}
)


def oscal_to_document(
    data: Any,
    *,
    slug: str | None = None,
    version: str | None = None,
    catalogs: list[Any] | None = None,
) -> dict[str, Any]:
    """A native document from a parsed OSCAL catalog, or CatalogInvalid with OSCAL paths.

    A profile is resolved against `catalogs` (parsed OSCAL catalogs) when it is given."""
    if isinstance(data, dict) and "profile" in data and "catalog" not in data:
        data = resolve_profile(data, catalogs or [])
    catalog = data.get("catalog") if isinstance(data, dict) else None
    if not isinstance(catalog, dict):
        message = 'not an OSCAL catalog: expected a top-level "catalog" object'
        raise CatalogInvalid([Problem("(root)", message)])
    return _Reader(catalog).document(slug=slug, version=version)


class _Reader:
    def __init__(self, catalog: dict):
        self.catalog = catalog
        self.problems: list[Problem] = []
        self.params = Params()
        self.params.collect(catalog)
        self.nodes = Nodes(self.problem)
        self.definitions = definitions_of(catalog, self.problem)
        self.domain_ids: set[str] = {g["id"] for g in _walk_groups(catalog) if _is_str(g.get("id"))}

    def problem(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(render_path(path), message))

    def document(self, *, slug: str | None, version: str | None) -> dict[str, Any]:
        meta = self.catalog.get("metadata")
        if not isinstance(meta, dict):
            self.problem(("catalog", "metadata"), "required object is missing")
            meta = {}
        title = meta.get("title")
        if not _is_str(title):
            self.problem(("catalog", "metadata", "title"), "required text is missing")
            title = "OSCAL catalog"
        oscal_version = meta.get("oscal-version")
        if not (_is_str(oscal_version) and oscal_version.startswith("1.")):
            self.problem(
                ("catalog", "metadata", "oscal-version"),
                f"unsupported OSCAL version {oscal_version!r}; 1.1 and 1.2 are read",
            )
        version = version or (meta.get("version") if _is_str(meta.get("version")) else "")
        if not version:
            self.problem(("catalog", "metadata", "version"), "required text is missing")
        domains, loose = self.groups(self.catalog, ("catalog",))
        entries = self.controls(self.catalog, ("catalog",))
        if loose or entries:
            domains.append(self.loose_domain(loose, entries))
        if not domains:
            self.problem(("catalog",), "the catalog holds no controls")
        if self.problems:
            raise CatalogInvalid(self.problems)
        return self.assemble(meta, title=title, slug=slug, version=version, domains=domains)

    def assemble(self, meta: dict, *, title: str, slug, version: str, domains: list) -> dict:
        defined = self.definitions or {}
        framework = dict(defined.get("framework") or {})
        remarks = meta.get("remarks")
        framework.setdefault("description", remarks if _is_str(remarks) else "")
        framework.setdefault("source", f"OSCAL catalog {self.catalog.get('uuid', '')}".strip())
        framework.setdefault("license", "")
        framework["name"] = framework.get("name") or _clip(" ".join(title.split()), 200)
        framework["slug"] = (
            slug or framework.get("slug") or slugify(title)[:80].strip("-") or "oscal-catalog"
        )
        framework["version"] = version
        doc: dict[str, Any] = {"format": FORMAT, "framework": framework}
        if self.definitions is None:
            doc["scale"], doc["tiers"] = default_scale(), default_tiers()
        else:
            doc.update({k: v for k, v in defined.items() if k in DEFINITION_KEYS})
            doc.setdefault("tiers", [])
        doc["domains"] = domains
        # The uuid our export would give this version, or gave the one it was exported as.
        made = {catalog_uuid(framework["slug"], version)}
        if _is_str(meta.get("version")) and _is_str(defined.get("framework", {}).get("slug")):
            made.add(catalog_uuid(defined["framework"]["slug"], meta["version"]))
        kept = catalog_data(self.catalog, meta, uuids=made)
        if kept:
            doc["oscal"] = kept
        return doc

    def loose_domain(self, folded: list, entries: list) -> dict:
        live, withdrawn = _split(folded + entries)
        domain = {
            "id": self.fresh_domain_id("catalog"),
            "name": "Controls",
            "controls": live,
            "oscal": {"class": oscal_common.LOOSE},
        }
        if withdrawn:
            domain["withdrawn"] = withdrawn
        return domain

    def fresh_domain_id(self, base: str) -> str:
        candidate, number = base, 2
        while candidate in self.domain_ids:
            candidate, number = f"{base}-{number}", number + 1
        self.domain_ids.add(candidate)
        return candidate

    def groups(self, parent: dict, path: Path_, prefix: str = "group") -> tuple[list, list]:
        """The domains made of `parent`'s groups, and the controls of any group that only
        holds its parent's own controls (the writer's OWN_CONTROLS group)."""
        domains, own_controls = [], []
        for index, group in _items(parent, "groups"):
            here = (*path, "groups", index)
            if not isinstance(group, dict):
                self.problem(here, "expected an object")
                continue
            if group.get("class") == oscal_common.DEFINITIONS and parent is self.catalog:
                continue
            if group.get("class") == OWN_CONTROLS:
                own_controls.extend(self.controls(group, here))
                continue
            domain = self.group(group, here, index, prefix)
            # A group with nothing to assess would only block publishing.
            if domain is not None and (domain["domains"] or domain["controls"]):
                domains.append(domain)
        return domains, own_controls

    def group(self, group: dict, here: Path_, index: int, prefix: str) -> dict | None:
        ref = self.nodes.group_id(
            group, here, fresh=lambda: self.fresh_domain_id(f"{prefix}-{index + 1}")
        )
        if ref is None:
            return None
        title = group.get("title")
        if not _is_str(title):
            self.problem((*here, "title"), "required text is missing")
            return None
        extra = self.nodes.ours(group, here)
        children, folded = self.groups(group, here, prefix=ref)
        live, withdrawn = _split(folded + self.controls(group, here))
        description = extra.get("description", self.params.prose_of(group.get("parts"), None))
        domain = {
            "id": extra.get("id", ref),
            **self.nodes.code_of(group, "domain", extra),
            "name": extra.get("name") or _clip(" ".join(title.split()), 200),
            "description": description,
            "weight": extra.get("weight", 1.0),
            "domains": children,
            "controls": live,
        }
        kept = self.nodes.kept(
            group,
            code=domain.get("code", ""),
            generated=oscal_common.group_parts(ref, domain["description"]),
        )
        if kept:
            domain["oscal"] = kept
        if withdrawn:
            domain["withdrawn"] = withdrawn
        return domain

    def controls(self, parent: dict, path: Path_, enhances: str = "") -> list[tuple[bool, dict]]:
        """Every control under `parent`, enhancements after their parent, as (withdrawn?,
        entry) in source order."""
        found: list[tuple[bool, dict]] = []
        for index, control in _items(parent, "controls"):
            here = (*path, "controls", index)
            ref = self.nodes.control_id(control, here)
            if ref is None:
                continue
            if oscal_common.is_withdrawn(control):
                found.append((True, self.withdrawn(control, ref, enhances)))
            else:
                found.append((False, self.control(control, ref, here, enhances)))
            found.extend(self.controls(control, here, enhances=ref))
        return found

    def withdrawn(self, control: dict, ref: str, enhances: str) -> dict:
        successors = [s for s in oscal_common.successors(control) if not limits.id_problem(s)]
        title = control.get("title")
        return {
            "id": ref,
            "name": _clip(" ".join(title.split()), 300) if _is_str(title) else ref,
            "enhances": enhances,
            "successors": successors,
            "oscal": _verbatim(control),
        }

    def control(self, control: dict, ref: str, path: Path_, enhances: str) -> dict:
        title = control.get("title")
        if not _is_str(title):
            self.problem((*path, "title"), "required text is missing")
            title = ref
        extra = self.nodes.ours(control, path)
        description, guidance = texts_of(self.params, control)
        native = {
            "id": extra.get("id", ref),
            **self.nodes.code_of(control, "control", extra),
            "name": extra.get("name") or _clip(" ".join(title.split()), 300),
            "description": extra.get("description", description),
            "guidance": extra.get("guidance", guidance),
            "weight": extra.get("weight", 1.0),
            "critical": extra.get("critical", False),
            "mappings": extra.get(
                "mappings", {} if self.definitions is not None else _prop_mappings(control)
            ),
        }
        for key in (
            "personas",
            "risks",
            "components",
            "lifecycle_stages",
            "actor_access",
            "impact_types",
            "evidence_autonomy",
        ):
            if key in extra:
                native[key] = extra[key]
        if "questions" in extra:
            native["questions"] = extra["questions"]
        elif self.definitions is None:
            native["questions"] = [implementation_question(native["id"])]
        if enhances:
            native["enhances"] = enhances
        generated = oscal_common.control_parts(ref, native["description"], native["guidance"])
        kept = self.nodes.kept(control, code=native.get("code", ""), generated=generated)
        if kept:
            native["oscal"] = kept
        return native


def _verbatim(control: dict) -> dict[str, Any]:
    """A withdrawn control's OSCAL data as the source wrote it, without our namespace."""
    kept = {}
    for key in ("class", "params", "props", "links", "parts"):
        value = control.get(key)
        if isinstance(value, list):
            value = [item for item in value if not ours(item)]
        if value:
            kept[key] = value
    return kept


def _prop_mappings(control: dict) -> dict[str, list[str]]:
    mappings: dict[str, list[str]] = {}
    for prop in _list(control.get("props")):
        if not (isinstance(prop, dict) and _is_str(prop.get("name"))) or ours(prop):
            continue
        name, value = prop["name"], str(prop.get("value", "")).strip()
        if "ns" not in prop and name != "status" and value and len(value) <= 200:
            mappings.setdefault(f"oscal-prop:{name}"[:80], []).append(value)
    return mappings


def _split(entries: list[tuple[bool, dict]]) -> tuple[list[dict], list[dict]]:
    """Live controls, and withdrawn entries with their place in the merged order."""
    live, withdrawn = [], []
    for position, (gone, entry) in enumerate(entries):
        if gone:
            withdrawn.append({**entry, "position": position})
        else:
            live.append(entry)
    return live, withdrawn


def _walk_groups(node: dict):
    for group in _list(node.get("groups")):
        if isinstance(group, dict):
            yield group
            yield from _walk_groups(group)


def _items(node: dict, key: str):
    return enumerate(_list(node.get(key)))


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _is_str(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
