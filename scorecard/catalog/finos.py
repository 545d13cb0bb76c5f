"""The FINOS AI Governance Framework (a checkout of finos/ai-governance-framework) as a
native draft document.

Mitigations (`docs/_mitigations/mi-*.md`) become controls, grouped in one domain per
mitigation type (PREV preventive, DET detective; the domain id is the type as written), and
`mitigates` becomes the risks each control addresses. Risks (`docs/_risks/ri-*.md`) become
risks: their type (SEC, OP, RC) gives the category a readable name and is kept as written
under the `finos-aigf-type` mapping. The id of either is its file name up to the first `_`.
The Markdown body becomes catalog prose (`markdown_prose`); a risk's "Summary" section is its
description and the rest its long description, and a risk's https links become its
references, cited where the text had them.

Each `<list>_references` key of the front matter becomes a mapping under the scheme named
in `REFERENCE_KEYS`, each reference kept verbatim, and each reference list
(`docs/_data/references/<list>.yml`) a mapping scheme carrying its entries' titles. A
reference its list does not have is kept, without a title (the import command names them).
Not imported: `related_risks` and `related_mitigations` (the native format has no links
between two risks or two controls), `sequence` (the order of the ids is the same),
`layout` and `doc-status`.

FINOS asks no questions: every control arrives without one, on the default scale and
tiers, so the import is a draft that can be published once each control has a question.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from scorecard.catalog.cosai import source_commit
from scorecard.catalog.defaults import default_scale, default_tiers
from scorecard.catalog.document import FORMAT
from scorecard.catalog.finos_reader import MITIGATIONS, RISKS, Page, Reader, docs_folder
from scorecard.catalog.markdown_prose import bracketed, markdown_to_prose
from scorecard.catalog.problems import CatalogInvalid, Problem

SLUG = "finos-aigf"
TYPE_SCHEME = "finos-aigf-type"
SUFFIX = "_references"
# Front matter key -> mapping scheme id, which is also the stem of the reference list.
REFERENCE_KEYS = {
    "iso-42001_references": "iso-42001",
    "nist-sp-800-53r5_references": "nist-sp-800-53r5",
    "nist-ai-600-1_references": "nist-ai-600-1",
    "eu-ai-act_references": "eu-ai-act",
    "owasp-llm_references": "owasp-llm",
    "owasp-ml_references": "owasp-ml",
    "ffiec-itbooklets_references": "ffiec-itbooklets",
    "sr11-7_references": "sr11-7",
    "canada-regulations_references": "canada-regulations",
}
# Mitigation type -> domain name, in the order the domains come.
CONTROL_TYPES = {"PREV": "Preventive", "DET": "Detective"}
RISK_TYPES = {"SEC": "Security", "OP": "Operational", "RC": "Regulatory and compliance"}


def finos_to_document(
    folder: Path | str, *, slug: str | None = None, version: str | None = None
) -> dict[str, Any]:
    """A draft document from a FINOS checkout (its root or its `docs` folder).

    Raises CatalogInvalid naming the file and place of every problem found; a mitigation
    naming a risk there is no file for is one of them.
    """
    folder = Path(folder)
    docs = docs_folder(folder) if folder.is_dir() else None
    if docs is None:
        message = f"not a FINOS AI Governance Framework folder (no docs/{MITIGATIONS} in it)"
        raise CatalogInvalid([Problem("", message)], source=str(folder))
    reader = Reader(docs)
    risks = reader.pages(RISKS, "ri")
    controls = reader.pages(MITIGATIONS, "mi")
    schemes = _Schemes(reader)
    doc_risks = [_risk(reader, schemes, page) for page in risks]
    known = {page.id for page in risks}
    doc_controls = [(page, _control(reader, schemes, page, known)) for page in controls]
    if reader.problems:
        raise CatalogInvalid(reader.problems)
    commit = source_commit(docs)
    if version is None:
        version = f"finos-{commit[:7]}" if commit else f"import-{datetime.date.today():%Y-%m-%d}"
    return {
        "format": FORMAT,
        "framework": {
            "slug": slug or SLUG,
            "name": "FINOS AI Governance Framework",
            "version": version,
            "description": "Mitigations (as controls) and risks of the FINOS AI Governance "
            "Framework, with their references to other frameworks.",
            "source": "FINOS AI Governance Framework (finos/ai-governance-framework)"
            + (f", commit {commit}" if commit else ""),
            "license": "CC-BY-4.0",
        },
        "scale": default_scale(),
        "tiers": default_tiers(),
        "mapping_schemes": schemes.listed(),
        "risks": doc_risks,
        "domains": _domains(doc_controls),
    }


def _domains(controls: list[tuple[Page, dict]]) -> list[dict]:
    domains = []
    for ref, name in CONTROL_TYPES.items():
        members = [control for page, control in controls if page.front.get("type") == ref]
        if members:
            description = f"The {name.lower()} mitigations of the framework (type {ref})."
            domains.append(
                {"id": ref, "name": name, "description": description, "controls": members}
            )
    return domains


def _type(reader: Reader, page: Page, types: dict[str, str]) -> str | None:
    value = page.front.get("type")
    if value in types:
        return value
    allowed = " or ".join(types)
    reader.problem(page.source, "type", f"must be {allowed}, not {value!r}")
    return None


def _control(reader: Reader, schemes: _Schemes, page: Page, known: set[str]) -> dict:
    _type(reader, page, CONTROL_TYPES)
    risks = reader.ids(page, "mitigates")
    for index, ref in enumerate(risks):
        if ref not in known and ref not in reader.broken:
            reader.problem(page.source, f"mitigates[{index}]", f'unknown risk "{ref}"')
    return {
        "id": page.id,
        "name": reader.text(page, "title"),
        "description": markdown_to_prose(page.body),
        "risks": risks,
        "mappings": schemes.mappings(page, "controls"),
        "questions": [],
    }


def _risk(reader: Reader, schemes: _Schemes, page: Page) -> dict:
    kind = _type(reader, page, RISK_TYPES)
    links = _Links()
    summary, rest = _summary(page.body)
    mappings = {TYPE_SCHEME: [kind]} if kind else {}
    mappings.update(schemes.mappings(page, "risks"))
    return {
        "id": page.id,
        "name": reader.text(page, "title"),
        "description": markdown_to_prose(summary, link=links.cite),
        "category": RISK_TYPES.get(kind or "", ""),
        "long_description": markdown_to_prose(rest, link=links.cite),
        "references": links.references,
        "mappings": mappings,
    }


def _summary(body: str) -> tuple[str, str]:
    """(the Summary section, the rest) when the body opens with one, else (body, "")."""
    lines = body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    heading = lines[first] if first is not None else ""
    if not heading.startswith("#") or heading.lstrip("#").strip().lower() != "summary":
        return body, ""
    end = next((i for i in range(first + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return "\n".join(lines[first + 1 : end]), "\n".join(lines[end:])


class _Links:
    """A risk's https links as its references, each cited in the text where it was."""

    def __init__(self):
        self.references: list[dict[str, str]] = []
        self.ids: dict[str, str] = {}

    def cite(self, text: str, url: str) -> str:
        if not url.startswith("https://") or len(url) > 2000:
            return bracketed(text, url)
        ref = self.ids.get(url)
        if ref is None:
            ref = self.ids[url] = f"link-{len(self.ids) + 1}"
            self.references.append({"type": "link", "id": ref, "title": text or url, "url": url})
        return f"{{{{ref:{ref}}}}}"


class _Schemes:
    """The reference lists, read once each, and which kinds of item map to them."""

    def __init__(self, reader: Reader):
        self.reader = reader
        self.lists = {stem: reader.reference_list(stem) for stem in REFERENCE_KEYS.values()}
        self.used: dict[str, set[str]] = {stem: set() for stem in REFERENCE_KEYS.values()}
        self.missing: set[str] = set()

    def mappings(self, page: Page, kind: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for key in page.front:
            if not isinstance(key, str) or not key.endswith(SUFFIX):
                continue
            stem = REFERENCE_KEYS.get(key)
            if stem is None:
                known = ", ".join(REFERENCE_KEYS)
                message = f"is not a reference list this importer knows ({known})"
                self.reader.problem(page.source, key, message)
                continue
            if self.lists[stem] is None and stem not in self.missing:
                self.missing.add(stem)
                message = f"names the reference list _data/references/{stem}.yml, which is missing"
                self.reader.problem(page.source, key, message)
            refs = self.reader.ids(page, key)
            if refs:
                found[stem] = refs
                self.used[stem].add(kind)
        return found

    def listed(self) -> list[dict[str, Any]]:
        schemes = [
            {
                "id": TYPE_SCHEME,
                "name": "FINOS AIGF risk type",
                "description": "The type the framework gives each risk.",
                "titles": dict(RISK_TYPES),
                "applies_to": ["risks"],
            }
        ]
        for stem, data in self.lists.items():
            if not data:
                continue
            schemes.append(
                {
                    "id": stem,
                    "name": data["title"],
                    "description": "A source the framework maps its risks and mitigations to; "
                    "the titles are those of its reference list.",
                    "base_uri": data["source_url"],
                    "document_uri": data["source_url"],
                    "titles": data["titles"],
                    "applies_to": [k for k in ("controls", "risks") if k in self.used[stem]],
                }
            )
        return schemes
