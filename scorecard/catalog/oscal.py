"""OSCAL catalogs (JSON, OSCAL 1.1 and 1.2) to native documents; `oscal_export` goes back.

Import: groups become domains (nested groups sub-domains); controls and their
enhancements become controls of the group's domain, each enhancement right after its
parent with its own id. The `statement` part becomes the description and `guidance` the
guidance, nested parts flattened into paragraphs and `{{ insert: param, x }}` replaced by
`[the parameter's label]` (or `[x]`). OSCAL-defined props (label, sort-id, ...) are kept as
mappings under `oscal-prop:<name>`. Withdrawn controls and groups left without any
control are skipped. Every control gets one generated `scale` question, and the catalog
the default scale and tiers, so an imported catalog can be published as it is.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.text import slugify

from scorecard.catalog import limits
from scorecard.catalog.defaults import default_scale, default_tiers, implementation_question
from scorecard.catalog.document import FORMAT
from scorecard.catalog.problems import CatalogInvalid, Problem, render_path

OSCAL_VERSION = "1.1.2"
NS = "urn:scorecard:oscal"
# OSCAL lets a group hold sub-groups or controls, not both; a domain with both exports its
# own controls in a first sub-group of this class, which the importer folds back.
OWN_CONTROLS = "domain-controls"
_INSERT = re.compile(r"\{\{\s*insert:\s*param\s*,\s*([^\s}]+)\s*\}\}")

Path_ = tuple[str | int, ...]


def oscal_to_document(
    data: Any, *, slug: str | None = None, version: str | None = None
) -> dict[str, Any]:
    """A native document from a parsed OSCAL catalog, or CatalogInvalid with OSCAL paths."""
    catalog = data.get("catalog") if isinstance(data, dict) else None
    if not isinstance(catalog, dict):
        message = 'not an OSCAL catalog: expected a top-level "catalog" object'
        raise CatalogInvalid([Problem("(root)", message)])
    return _Reader(catalog).document(slug=slug, version=version)


class _Reader:
    def __init__(self, catalog: dict):
        self.catalog = catalog
        self.problems: list[Problem] = []
        self.params: dict[str, str] = {}
        self.control_ids: dict[str, Path_] = {}
        self.group_ids: dict[str, Path_] = {}
        self.codes: dict[str, set[str]] = {"domain": set(), "control": set()}
        self.domain_ids: set[str] = {g["id"] for g in _walk_groups(catalog) if _is_str(g.get("id"))}
        self._collect_params(catalog)

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
        loose += self.controls(self.catalog, ("catalog",))
        if loose:
            domains.append(
                {"id": self.fresh_domain_id("catalog"), "name": "Controls", "controls": loose}
            )
        if not domains:
            self.problem(("catalog",), "the catalog holds no controls")
        if self.problems:
            raise CatalogInvalid(self.problems)
        remarks = meta.get("remarks")
        return {
            "format": FORMAT,
            "framework": {
                "slug": slug or slugify(title)[:80].strip("-") or "oscal-catalog",
                "name": _clip(" ".join(title.split()), 200),
                "version": version,
                "description": remarks if _is_str(remarks) else "",
                "source": f"OSCAL catalog {self.catalog.get('uuid', '')}".strip(),
                "license": "",
            },
            "scale": default_scale(),
            "tiers": default_tiers(),
            "domains": domains,
        }

    def code_of(self, node: dict, kind: str) -> dict:
        """OSCAL's `label` prop as the display code, when it is a usable one.

        Labels are optional display text in OSCAL, so one that is not a valid code, or one a
        second group or control repeats, is not an error here: a code is generated instead.
        """
        label = _prop(node, "label")
        if limits.code_problem(label) or label in self.codes[kind]:
            return {}
        self.codes[kind].add(label)
        return {"code": label}

    def fresh_domain_id(self, base: str) -> str:
        candidate, number = base, 2
        while candidate in self.domain_ids:
            candidate, number = f"{base}-{number}", number + 1
        self.domain_ids.add(candidate)
        return candidate

    def groups(self, parent: dict, path: Path_, prefix: str = "group") -> tuple[list, list]:
        """The domains made of `parent`'s groups, and the controls of any group that only
        holds its parent's own controls (see `_group`)."""
        domains, own_controls = [], []
        for index, group in _items(parent, "groups"):
            here = (*path, "groups", index)
            if not isinstance(group, dict):
                self.problem(here, "expected an object")
                continue
            if group.get("class") == OWN_CONTROLS:
                own_controls.extend(self.controls(group, here))
                continue
            ref = group.get("id") if _is_str(group.get("id")) else None
            if ref is not None and not self.valid_id(ref, (*here, "id")):
                continue
            if ref in self.group_ids:
                where = render_path(self.group_ids[ref])
                self.problem((*here, "id"), f'duplicate group id "{ref}" (first used at {where})')
                continue
            ref = ref or self.fresh_domain_id(f"{prefix}-{index + 1}")
            self.group_ids[ref] = here
            title = group.get("title")
            if not _is_str(title):
                self.problem((*here, "title"), "required text is missing")
                continue
            children, folded = self.groups(group, here, prefix=ref)
            domain = {
                "id": ref,
                **self.code_of(group, "domain"),
                "name": _clip(" ".join(title.split()), 200),
                "description": self.prose_of(group.get("parts"), names=None),
                "weight": self.weight_of(group, here),
                "domains": children,
                "controls": folded + self.controls(group, here),
            }
            # A group with nothing to assess would only block publishing.
            if domain["domains"] or domain["controls"]:
                domains.append(domain)
        return domains, own_controls

    def controls(self, parent: dict, path: Path_) -> list[dict]:
        found: list[dict] = []
        for index, control in _items(parent, "controls"):
            here = (*path, "controls", index)
            if not isinstance(control, dict):
                self.problem(here, "expected an object")
                continue
            ref, title = control.get("id"), control.get("title")
            if not _is_str(ref):
                self.problem((*here, "id"), "required text is missing")
                continue
            if not self.valid_id(ref, (*here, "id")):
                continue
            if ref in self.control_ids:
                where = render_path(self.control_ids[ref])
                self.problem((*here, "id"), f'duplicate control id "{ref}" (first used at {where})')
                continue
            self.control_ids[ref] = here
            if not _is_str(title):
                self.problem((*here, "title"), "required text is missing")
                continue
            if _prop(control, "status") == "withdrawn":
                continue
            found.append(self.control(control, ref, title, here))
            found.extend(self.controls(control, here))
        return found

    def valid_id(self, ref: str, path: Path_) -> bool:
        # OSCAL tokens allow any Unicode letter; our ids end up in URLs, so they may not.
        problem = limits.id_problem(ref)
        if problem:
            self.problem(path, problem)
        return problem is None

    def weight_of(self, node: dict, path: Path_) -> float:
        """The weight our own export wrote as a prop; 1 when there is none."""
        for index, prop in enumerate(_list(node.get("props"))):
            if not (
                isinstance(prop, dict) and prop.get("name") == "weight" and prop.get("ns") == NS
            ):
                continue
            raw = str(prop.get("value", "")).strip()
            problem = limits.weight_problem(_float(raw))
            if problem:
                self.problem((*path, "props", index, "value"), f"weight {problem}")
            else:
                return float(raw)
        return 1.0

    def control(self, control: dict, ref: str, title: str, path: Path_) -> dict:
        weight, critical, mappings = self.weight_of(control, path), False, {}
        for prop in _list(control.get("props")):
            if not (isinstance(prop, dict) and _is_str(prop.get("name"))):
                continue
            name, value = prop["name"], str(prop.get("value", "")).strip()
            if prop.get("ns") == NS:
                # Our own export's props, so a round trip keeps weights and flags.
                if name == "critical":
                    critical = value == "true"
            elif "ns" not in prop and name != "status" and value and len(value) <= 200:
                mappings.setdefault(f"oscal-prop:{name}"[:80], []).append(value)
        return {
            "id": ref,
            **self.code_of(control, "control"),
            "name": _clip(" ".join(title.split()), 300),
            "description": self.prose_of(control.get("parts"), names={"statement"}),
            "guidance": self.prose_of(control.get("parts"), names={"guidance"}),
            "weight": weight,
            "critical": critical,
            "mappings": mappings,
            "questions": [implementation_question(ref)],
        }

    def prose_of(self, parts: Any, *, names: set[str] | None) -> str:
        """Paragraphs of the parts called `names` (any part if None), children included."""
        paragraphs: list[str] = []
        for part in _list(parts):
            if isinstance(part, dict) and (names is None or part.get("name") in names):
                paragraphs.extend(self.flatten(part))
        return "\n\n".join(paragraphs)

    def flatten(self, part: dict) -> list[str]:
        paragraphs = []
        label = _prop(part, "label")
        prose = part.get("prose")
        if _is_str(prose) and prose.strip():
            text = self.resolve(prose.strip())
            paragraphs.append(f"{label} {text}" if label else text)
        for child in _list(part.get("parts")):
            if isinstance(child, dict):
                paragraphs.extend(self.flatten(child))
        return paragraphs

    def resolve(self, text: str) -> str:
        return _INSERT.sub(lambda m: f"[{self.params.get(m.group(1)) or m.group(1)}]", text)

    def _collect_params(self, node: Any) -> None:
        if isinstance(node, dict):
            for param in _list(node.get("params")):
                if isinstance(param, dict) and _is_str(param.get("id")):
                    label = param.get("label")
                    self.params[param["id"]] = label.strip() if _is_str(label) else ""
            for key in ("groups", "controls"):
                for child in _list(node.get(key)):
                    self._collect_params(child)


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


def _prop(node: dict, name: str, *, ns: str | None = None) -> str:
    for prop in _list(node.get("props")):
        if isinstance(prop, dict) and prop.get("name") == name and prop.get("ns") == ns:
            return str(prop.get("value", "")).strip()
    return ""


def _float(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Export ------------------------------------------------------------------------------
