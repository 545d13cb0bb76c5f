"""Reading a FINOS AI Governance Framework checkout: its pages and its reference lists.

A page (`docs/_mitigations/mi-*.md`, `docs/_risks/ri-*.md`) is Markdown with YAML front
matter between two `---` lines. The front matter goes through the catalog's own YAML reader
(`native.parse_data`: no anchors or aliases, no duplicate keys, no custom tags, the size
limit), never a pattern; the body stays Markdown for `markdown_prose`. The reference lists
(`docs/_data/references/*.yml`) are read the same way. Every problem names its file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from scorecard.catalog import limits
from scorecard.catalog.native import parse_data, read_data_file
from scorecard.catalog.problems import CatalogInvalid, Problem
from scorecard.catalog.prose import is_safe_link

MITIGATIONS = "_mitigations"
RISKS = "_risks"
REFERENCES = Path("_data") / "references"
_DELIMITER = "---"


def docs_folder(folder: Path) -> Path | None:
    """The `docs` folder of a checkout, given the checkout or that folder; else None."""
    for candidate in (folder, folder / "docs"):
        if (candidate / MITIGATIONS).is_dir():
            return candidate
    return None


@dataclass(frozen=True)
class Page:
    id: str
    source: str
    front: dict[str, Any]
    body: str


def _natural(ref: str) -> tuple:
    # "mi-2" before "mi-10": digit runs compare as numbers.
    parts = re.split(r"(\d+)", ref)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts)


class Reader:
    def __init__(self, docs: Path):
        self.docs = docs
        self.problems: list[Problem] = []
        # Pages whose id is fine but whose content is not: already reported, so references
        # to them are not reported again as unknown.
        self.broken: set[str] = set()

    def problem(self, source: str | Path, where: str, message: str) -> None:
        self.problems.append(Problem(where, message, source=str(source)))

    # --- pages -------------------------------------------------------------------------------

    def pages(self, folder: str, prefix: str) -> list[Page]:
        """Every `<prefix>-*.md` page of `folder`, in the order of their ids' numbers."""
        directory = self.docs / folder
        if not directory.is_dir():
            self.problem(directory, "", "folder is missing")
            return []
        found: dict[str, Page] = {}
        for path in sorted(directory.glob(f"{prefix}-*.md")):
            page = self.page(path)
            if page is None:
                continue
            if page.id in found:
                self.problem(path, "", f'id "{page.id}" is also the id of {found[page.id].source}')
                continue
            found[page.id] = page
        return [found[ref] for ref in sorted(found, key=_natural)]

    def page(self, path: Path) -> Page | None:
        # The id is the file name up to its first underscore: mi-10_ai-model-version-pinning.md.
        ref = path.stem.split("_", 1)[0]
        problem = limits.id_problem(ref)
        if problem:
            self.problem(path, "", f'the id "{ref}" from the file name {problem}')
            return None
        page = self._page(path, ref)
        if page is None:
            self.broken.add(ref)
        return page

    def _page(self, path: Path, ref: str) -> Page | None:
        text = self._text(path)
        if text is None:
            return None
        lines = text.split("\n")
        if not lines or lines[0].rstrip() != _DELIMITER:
            self.problem(path, "line 1", "no front matter: the file must start with a --- line")
            return None
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == _DELIMITER), None)
        if end is None:
            self.problem(path, "line 1", "the front matter is never closed by a --- line")
            return None
        # A blank first line keeps the YAML reader's line numbers those of the file.
        front_text = "\n".join(["", *lines[1:end]])
        try:
            front = parse_data(front_text.encode(), source=str(path), suffix=".yaml")
        except CatalogInvalid as invalid:
            self.problems.extend(
                Problem(p.path, f"front matter: {p.message}", source=str(path))
                for p in invalid.problems
            )
            return None
        if not isinstance(front, dict):
            self.problem(path, "front matter", "expected a mapping of keys to values")
            return None
        return Page(ref, str(path), front, "\n".join(lines[end + 1 :]))

    def _text(self, path: Path) -> str | None:
        limit = settings.CATALOG_MAX_BYTES
        try:
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
        except OSError as error:
            self.problem(path, "", f"cannot read: {error.strerror}")
            return None
        if len(data) > limit:
            self.problem(path, "", f"larger than the {limit}-byte limit (CATALOG_MAX_BYTES)")
            return None
        try:
            return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError as error:
            self.problem(path, "", f"not UTF-8 text (byte {error.start} cannot be decoded)")
            return None

    # --- front matter values ----------------------------------------------------------------

    def text(self, page: Page, key: str) -> str:
        value = page.front.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
        self.problem(page.source, key, "required text is missing")
        return ""

    def ids(self, page: Page, key: str) -> list[str]:
        """A list of texts (ids, reference keys); repeats are dropped, the first kept."""
        value = page.front.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(page.source, key, "expected a list")
            return []
        found: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.problem(page.source, f"{key}[{index}]", "expected a text")
            elif item.strip() not in found:
                found.append(item.strip())
        return found

    # --- reference lists --------------------------------------------------------------------

    def reference_list(self, stem: str) -> dict[str, Any] | None:
        """`{title, source_url, titles}` of `_data/references/<stem>.yml`, None if absent."""
        path = self.docs / REFERENCES / f"{stem}.yml"
        if not path.is_file():
            return None
        try:
            data = read_data_file(path)
        except CatalogInvalid as invalid:
            self.problems.extend(
                Problem(p.path, p.message, source=p.source or str(path)) for p in invalid.problems
            )
            return {}
        if not isinstance(data, dict):
            self.problem(path, "(root)", "expected a mapping")
            return {}
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            self.problem(path, "title", "required text is missing")
        url = data.get("source_url")
        if url is not None and not is_safe_link(url):
            self.problem(path, "source_url", "expected an http(s) address")
        return {
            "title": " ".join(str(title or "").split()),
            "source_url": url if is_safe_link(url) else "",
            "titles": self._titles(path, data.get("entries")),
        }

    def _titles(self, path: Path, entries: Any) -> dict[str, str]:
        if not isinstance(entries, dict):
            self.problem(path, "entries", "expected a mapping of keys to entries")
            return {}
        titles: dict[str, str] = {}
        for key, entry in entries.items():
            title = entry.get("title") if isinstance(entry, dict) else None
            if not isinstance(key, str) or not key.strip():
                self.problem(path, f"entries.{key}", "the key must be a text")
            elif not isinstance(title, str) or not title.strip():
                self.problem(path, f"entries.{key}.title", "required text is missing")
            else:
                titles[key] = " ".join(title.split())
        return titles
