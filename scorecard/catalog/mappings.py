"""Mapping schemes: the external frameworks that controls, risks and personas map to.

A mapping is keyed by a scheme id (`mitre-atlas`) and holds references; the Risk Map pins
each reference to the scheme's version with `@` (`AML.M0007@5.0.1`). A catalog may list
its schemes under `mapping_schemes` (from the Risk Map's `frameworks.yaml`): then a
mapping can name its scheme ("MITRE ATLAS 5.0.1") and link to it, and a reference pinned
to a version the scheme does not know is refused. A scheme may also give the title of each
reference (`titles`, from the FINOS reference lists); pages show it beside the reference.
Schemes a catalog does not list (an OSCAL import's `oscal-prop:label`) are kept as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Path_ = tuple[str | int, ...]
AddProblem = Callable[[Path_, str], None]

SCHEME_TEXT_FIELDS = (
    "name",
    "full_name",
    "description",
    "version",
    "version_id",
    "supersedes",
    "base_uri",
    "document_uri",
    "technique_uri_pattern",
    "last_updated",
)


def normalise_scheme(scheme: dict) -> dict:
    normal: dict[str, Any] = {"id": scheme["id"]}
    for field in SCHEME_TEXT_FIELDS:
        normal[field] = scheme.get(field) or ""
    normal["prior_versions"] = list(scheme.get("prior_versions") or ())
    normal["applies_to"] = list(scheme.get("applies_to") or ())
    normal["titles"] = dict(scheme.get("titles") or {})
    return normal


def normalise_mappings(mappings: Any) -> dict[str, list[str]]:
    # A scheme without references has nothing to store, so it does not survive a save.
    return {scheme: list(refs) for scheme, refs in (mappings or {}).items() if refs}


def split_pinned(reference: str) -> tuple[str, str | None]:
    """`AML.M0007@5.0.1` -> (`AML.M0007`, `5.0.1`); an unpinned reference has no version."""
    base, sep, version = reference.rpartition("@")
    if sep and base and version:
        return base, version
    return reference, None


def known_versions(scheme: dict) -> set[str]:
    """The versions a reference to this scheme may be pinned to: its own and prior ones."""
    # Read defensively: the rules run on documents the schema may have found broken.
    version = scheme.get("version")
    versions = {version} if isinstance(version, str) and version else set()
    prefix = f"{scheme.get('id', '')}@"
    prior = scheme.get("prior_versions")
    for version_id in (scheme.get("version_id"), *(prior if isinstance(prior, list) else ())):
        if isinstance(version_id, str) and version_id.startswith(prefix):
            versions.add(version_id[len(prefix) :])
    versions.discard("")
    return versions


def check_pins(
    path: Path_,
    mappings: Any,
    schemes: dict[str, dict],
    add: AddProblem,
    *,
    listed_in: str = "mapping_schemes",
) -> None:
    """References to a listed scheme pinned to a version it does not have."""
    if not isinstance(mappings, dict):
        return
    for scheme_id, refs in mappings.items():
        scheme = schemes.get(scheme_id)
        if scheme is None or not isinstance(refs, list):
            continue
        versions = known_versions(scheme)
        for index, reference in enumerate(refs):
            if not isinstance(reference, str):
                continue
            _, version = split_pinned(reference)
            if version is not None and version not in versions:
                allowed = ", ".join(sorted(versions)) or "none"
                add(
                    (*path, "mappings", scheme_id, index),
                    f'"{reference}" is pinned to {scheme_id} {version}, '
                    f"a version {listed_in} does not give (known: {allowed})",
                )


def title_of(scheme: dict, reference: str) -> str:
    """The title the scheme gives `reference` (as written, or without its pin), or ""."""
    titles = scheme.get("titles")
    if not isinstance(titles, dict):
        return ""
    title = titles.get(reference) or titles.get(split_pinned(reference)[0])
    return title if isinstance(title, str) else ""


def untitled_references(doc: dict) -> list[tuple[str, str]]:
    """(scheme, reference) of every mapping of `doc` to a scheme with titles that has no
    title for it, each once, in document order: a reference its source list lacks."""
    schemes = {s["id"]: s for s in doc.get("mapping_schemes") or () if s.get("titles")}
    items = [*(doc.get("personas") or ()), *(doc.get("risks") or ())]
    stack = list(doc.get("domains") or ())
    while stack:
        domain = stack.pop(0)
        items.extend(domain.get("controls") or ())
        stack.extend(domain.get("domains") or ())
    found: dict[tuple[str, str], None] = {}
    for item in items:
        for scheme_id, refs in (item.get("mappings") or {}).items():
            scheme = schemes.get(scheme_id)
            for ref in refs if scheme else ():
                if not title_of(scheme, ref):
                    found.setdefault((scheme_id, ref))
    return list(found)


@dataclass(frozen=True)
class MappingRef:
    """One mapping reference as a page shows it."""

    scheme: str
    scheme_name: str
    reference: str
    version: str | None
    url: str
    title: str = ""

    @property
    def label(self) -> str:
        pinned = f" ({self.version})" if self.version else ""
        titled = f" {self.title}" if self.title else ""
        return f"{self.scheme_name or self.scheme} {self.reference}{pinned}{titled}"


def describe(scheme_id: str, reference: str, schemes: dict[str, dict]) -> MappingRef:
    """A reference with its scheme's name, its title where the scheme gives titles, and a
    link where the scheme gives a pattern."""
    scheme = schemes.get(scheme_id) or {}
    base, version = split_pinned(reference)
    pattern = scheme.get("technique_uri_pattern") or ""
    url = pattern.replace("{id}", base) if "{id}" in pattern else ""
    name = scheme.get("name") or ""
    return MappingRef(scheme_id, name, base, version, url, title_of(scheme, reference))


def describe_all(mappings: dict[str, Iterable[str]], schemes: dict[str, dict]) -> list[MappingRef]:
    return [
        describe(scheme_id, reference, schemes)
        for scheme_id, refs in mappings.items()
        for reference in refs
    ]
