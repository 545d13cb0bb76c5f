"""Catalog files in and out: the one path the commands and the admin pages share.

Formats: `native` (scorecard-catalog/1, YAML or JSON), `oscal` (an OSCAL catalog in JSON
or YAML, or a profile with the catalog it imports), `atlas` (MITRE ATLAS's ATLAS.yaml),
`cosai-rm` (the CoSAI Risk Map's yaml folder) and `finos-aigf` (a FINOS AI Governance
Framework checkout, or its docs folder).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scorecard.catalog.atlas import atlas_to_document
from scorecard.catalog.bundled import readiness_document
from scorecard.catalog.cosai import cosai_to_document
from scorecard.catalog.document import normalise_document
from scorecard.catalog.finos import finos_to_document
from scorecard.catalog.finos_reader import docs_folder
from scorecard.catalog.native import dump_yaml, parse_data, read_data_file
from scorecard.catalog.oscal import oscal_to_document
from scorecard.catalog.oscal_export import document_to_oscal
from scorecard.catalog.problems import CatalogInvalid, Problem
from scorecard.catalog.store import save_document
from scorecard.catalog.stored_document import framework_to_document
from scorecard.models import Framework, FrameworkStatus

IMPORT_FORMATS = ("native", "cosai-rm", "finos-aigf", "oscal", "atlas")
EXPORT_FORMATS = ("native", "oscal")


def _from_data(
    data: Any,
    *,
    fmt: str | None,
    slug: str | None,
    version: str | None,
    catalogs: list[Any] | None = None,
) -> dict:
    if fmt is None:
        fmt = _guess(data)
    if fmt == "oscal":
        return oscal_to_document(data, slug=slug, version=version, catalogs=catalogs)
    if fmt == "atlas":
        return atlas_to_document(data, slug=slug, version=version)
    if fmt != "native":
        raise CatalogInvalid([Problem("", f"{fmt} is not a format of single files")])
    if isinstance(data, dict) and isinstance(data.get("framework"), dict):
        overrides = {"slug": slug, "version": version}
        data["framework"].update({key: value for key, value in overrides.items() if value})
    return data


def _guess(data: Any) -> str:
    if isinstance(data, dict) and ("catalog" in data or "profile" in data):
        return "oscal"
    # A native document has no `matrices` (its schema allows no other top-level keys).
    if isinstance(data, dict) and "matrices" in data and "format" not in data:
        return "atlas"
    return "native"


def read_document(
    path: Path | str,
    *,
    fmt: str | None = None,
    slug: str | None = None,
    version: str | None = None,
    catalogs: list[Path | str] = (),
) -> dict[str, Any]:
    """The native document behind `path`; the format is guessed when `fmt` is None (a
    directory with `_mitigations` in it or in its `docs` is FINOS, any other directory a
    CoSAI Risk Map, a file with a top-level `catalog` or `profile` OSCAL, one with
    `matrices` ATLAS). `catalogs` are the OSCAL catalogs a profile imports."""
    path = Path(path)
    if fmt not in (None, *IMPORT_FORMATS):
        raise CatalogInvalid([Problem("", f"unknown format {fmt!r}")], source=str(path))
    if fmt is None and path.is_dir():
        fmt = "finos-aigf" if docs_folder(path) else "cosai-rm"
    if fmt == "finos-aigf":
        return finos_to_document(path, slug=slug, version=version)
    if fmt == "cosai-rm":
        doc = cosai_to_document(path, version=version, readiness=readiness_document())
        if slug:
            doc["framework"]["slug"] = slug
        return doc
    sources = [read_data_file(catalog) for catalog in catalogs]
    return _from_data(read_data_file(path), fmt=fmt, slug=slug, version=version, catalogs=sources)


def import_path(
    path: Path | str,
    *,
    fmt: str | None = None,
    publish: bool = False,
    slug: str | None = None,
    version: str | None = None,
    catalogs: list[Path | str] = (),
) -> Framework:
    """Import a catalog file or folder as a new draft (published with `publish`).

    Raises CatalogInvalid naming the file and every problem; nothing is written then.
    """
    try:
        doc = read_document(path, fmt=fmt, slug=slug, version=version, catalogs=catalogs)
        return _save(doc, publish=publish)
    except CatalogInvalid as invalid:
        raise CatalogInvalid(invalid.problems, source=invalid.source or str(path)) from None


def import_bytes(
    data: bytes,
    *,
    filename: str,
    fmt: str | None = None,
    publish: bool = False,
    slug: str | None = None,
    version: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Framework:
    """Like `import_path` for an upload already in memory (native, OSCAL or ATLAS);
    `progress` is told each step as it starts."""
    try:
        if progress:
            progress("Reading the file")
        parsed = parse_data(data, source=filename, suffix=Path(filename).suffix.lower())
        doc = _from_data(parsed, fmt=fmt, slug=slug, version=version)
        return _save(doc, publish=publish, progress=progress)
    except CatalogInvalid as invalid:
        raise CatalogInvalid(invalid.problems, source=invalid.source or filename) from None


def _save(doc: dict, *, publish: bool, progress: Callable[[str], None] | None = None) -> Framework:
    status = FrameworkStatus.PUBLISHED if publish else FrameworkStatus.DRAFT
    return save_document(doc, status=status, progress=progress)


def export_framework(framework: Framework, *, fmt: str = "native") -> str:
    """The framework as native YAML or as OSCAL catalog JSON, byte-for-byte repeatable.

    Rows stored without a display code are written with the one the generator gives them."""
    doc = normalise_document(framework_to_document(framework))
    if fmt == "native":
        return dump_yaml(doc)
    if fmt == "oscal":
        modified = framework.published_at or framework.updated_at
        catalog = document_to_oscal(doc, last_modified=modified)
        return json.dumps(catalog, indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")


def oscal_left_out(framework: Framework, exported: str) -> list[str]:
    """What an OSCAL export of `framework` did not carry: the places where reading the
    export back gives a different catalog (empty when the trip is lossless)."""
    doc = normalise_document(framework_to_document(framework))
    meta = doc["framework"]
    back = oscal_to_document(json.loads(exported), slug=meta["slug"], version=meta["version"])
    return differences(doc, normalise_document(back))


def differences(old: Any, new: Any, path: str = "", limit: int = 20) -> list[str]:
    """Paths where two documents differ, e.g. `domains[0].controls[2].name`, at most
    `limit` of them."""
    found: list[str] = []
    stack = [(path, old, new)]
    while stack and len(found) < limit:
        where, a, b = stack.pop(0)
        if isinstance(a, dict) and isinstance(b, dict):
            for key in list(a) + [k for k in b if k not in a]:
                stack.append((f"{where}.{key}" if where else str(key), a.get(key), b.get(key)))
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            stack.extend((f"{where}[{i}]", x, y) for i, (x, y) in enumerate(zip(a, b, strict=True)))
        elif a != b:
            found.append(where or "(root)")
    return found
