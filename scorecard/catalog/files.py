"""Catalog files in and out: the one path the commands and the admin pages share.

Formats: `native` (scorecard-catalog/1, YAML or JSON), `oscal` (an OSCAL catalog in JSON
or YAML) and `cosai-rm` (the CoSAI Risk Map's yaml folder).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scorecard.catalog.bundled import readiness_document
from scorecard.catalog.cosai import cosai_to_document
from scorecard.catalog.document import normalise_document
from scorecard.catalog.native import dump_yaml, parse_data, read_data_file
from scorecard.catalog.oscal import oscal_to_document
from scorecard.catalog.oscal_export import document_to_oscal
from scorecard.catalog.problems import CatalogInvalid, Problem
from scorecard.catalog.store import save_document
from scorecard.catalog.stored_document import framework_to_document
from scorecard.models import Framework, FrameworkStatus

IMPORT_FORMATS = ("native", "cosai-rm", "oscal")
EXPORT_FORMATS = ("native", "oscal")


def _from_data(data: Any, *, fmt: str | None, slug: str | None, version: str | None) -> dict:
    if fmt is None:
        fmt = "oscal" if isinstance(data, dict) and "catalog" in data else "native"
    if fmt == "oscal":
        return oscal_to_document(data, slug=slug, version=version)
    if fmt != "native":
        raise CatalogInvalid([Problem("", f"{fmt} is not a format of single files")])
    if isinstance(data, dict) and isinstance(data.get("framework"), dict):
        overrides = {"slug": slug, "version": version}
        data["framework"].update({key: value for key, value in overrides.items() if value})
    return data


def read_document(
    path: Path | str,
    *,
    fmt: str | None = None,
    slug: str | None = None,
    version: str | None = None,
) -> dict[str, Any]:
    """The native document behind `path`; the format is guessed when `fmt` is None
    (a directory is a CoSAI Risk Map, a file with a top-level `catalog` is OSCAL)."""
    path = Path(path)
    if fmt not in (None, *IMPORT_FORMATS):
        raise CatalogInvalid([Problem("", f"unknown format {fmt!r}")], source=str(path))
    if fmt == "cosai-rm" or (fmt is None and path.is_dir()):
        doc = cosai_to_document(path, version=version, readiness=readiness_document())
        if slug:
            doc["framework"]["slug"] = slug
        return doc
    return _from_data(read_data_file(path), fmt=fmt, slug=slug, version=version)


def import_path(
    path: Path | str,
    *,
    fmt: str | None = None,
    publish: bool = False,
    slug: str | None = None,
    version: str | None = None,
) -> Framework:
    """Import a catalog file or folder as a new draft (published with `publish`).

    Raises CatalogInvalid naming the file and every problem; nothing is written then.
    """
    try:
        doc = read_document(path, fmt=fmt, slug=slug, version=version)
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
    """Like `import_path` for an upload already in memory (native or OSCAL); `progress`
    is told each step as it starts."""
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
