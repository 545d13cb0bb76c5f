"""Catalog prose: the small markup the Risk Map writes its texts in, turned into safe HTML.

Stored texts keep that markup (an import resolves nothing it can leave for the page):

- paragraphs are separated by a blank line; lines starting with `- ` are list items (the
  Risk Map's nested lists of paragraphs);
- `**bold**`, `*italic*` and `_italic_`;
- `{{ref:some-id}}` cites one of the item's external references (a link to it);
- `{{riskSomething}}` refers to another entry of the catalog (its name, when known);
- character entity references such as `&amp;`, `&mdash;` or `&#8212;` stand for one
  character.

Everything else is text: `<`, `>`, `&` and quotes are escaped, so a `<script>` or an
attribute in a catalog is shown, never run. Links are made only from references whose
address starts with `https://` or `http://`; a `javascript:` or `data:` address gives no
link. Pure Python, so the PDF and the pages render the same.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

_INLINE = re.compile(
    r"""
    (?P<bold>\*\*(?=\S)(?P<bold_text>.{1,500}?)(?<=\S)\*\*)
  | (?P<star>(?<![\w*])\*(?=[^\s*])(?P<star_text>[^*]{1,500}?)(?<=\S)\*(?![\w*]))
  | (?P<under>(?<![\w])_(?=[^\s_])(?P<under_text>[^_]{1,500}?)(?<=\S)_(?!\w))
  | (?P<cite>\{\{ref:(?P<cite_id>[^{}\s]{1,200})\}\})
  | (?P<entry>\{\{(?P<entry_id>[A-Za-z][A-Za-z0-9._-]{0,119})\}\})
  | (?P<char>&(?:[A-Za-z][A-Za-z0-9]{1,31}|\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6});)
    """,
    re.VERBOSE | re.DOTALL,
)
# A citation of one of the item's references; the document rules check that it resolves.
CITATION = re.compile(r"\{\{ref:([^{}\s]{1,200})\}\}")
_SAFE_LINK = re.compile(r"^https?://[^\s\"'<>`]+$", re.IGNORECASE)
# Emphasis spans at most 500 characters, which keeps matching linear on hostile input.
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Nested emphasis deeper than this is shown as text rather than parsed further.
_MAX_DEPTH = 4


def is_safe_link(url: Any) -> bool:
    """Whether `url` may become a link: an http(s) address without spaces or quotes."""
    return isinstance(url, str) and bool(_SAFE_LINK.match(url))


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


class _Renderer:
    def __init__(self, references: Iterable[Any] | None, names: Mapping[str, str] | None):
        self.references = {
            ref.get("id"): ref for ref in references or () if isinstance(ref, Mapping)
        }
        self.names = names or {}

    def inline(self, text: str, depth: int = 0) -> str:
        out: list[str] = []
        position = 0
        for match in _INLINE.finditer(text):
            out.append(_escape(text[position : match.start()]))
            out.append(self.token(match, depth))
            position = match.end()
        out.append(_escape(text[position:]))
        return "".join(out)

    def token(self, match: re.Match, depth: int) -> str:
        kind = match.lastgroup
        if kind in ("bold", "star", "under"):
            inner = match.group(f"{kind}_text")
            if depth >= _MAX_DEPTH:
                return _escape(match.group(0))
            tag = "strong" if kind == "bold" else "em"
            return f"<{tag}>{self.inline(inner, depth + 1)}</{tag}>"
        if kind == "cite":
            return self.citation(match.group("cite_id"))
        if kind == "entry":
            ref = match.group("entry_id")
            return _escape(str(self.names.get(ref, ref)))
        # A character reference stands for one character, which is escaped like any other.
        return _escape(html.unescape(match.group("char")))

    def citation(self, ref_id: str) -> str:
        reference = self.references.get(ref_id)
        if reference is None:
            return _escape(f"[{ref_id}]")
        title = str(reference.get("title") or ref_id)
        url = reference.get("url")
        if not is_safe_link(url):
            return _escape(title)
        return f'<a href="{_escape(url)}" rel="noopener noreferrer external">{_escape(title)}</a>'

    def block(self, block: str) -> str:
        """A paragraph, a list, or paragraphs and lists that follow each other."""
        parts: list[str] = []
        paragraph: list[str] = []
        items: list[str] = []

        def flush() -> None:
            if paragraph:
                parts.append(f"<p>{self.inline(' '.join(paragraph))}</p>")
                paragraph.clear()
            if items:
                parts.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
                items.clear()

        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            if line.startswith("- "):
                if paragraph:
                    flush()
                items.append(self.inline(line[2:].strip()))
            else:
                if items:
                    flush()
                paragraph.append(line)
        flush()
        return "".join(parts)


def render_html(
    text: Any,
    references: Iterable[Any] | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """`text` as HTML paragraphs and lists; safe to mark safe. Non-text gives ""."""
    if not isinstance(text, str) or not text.strip():
        return ""
    renderer = _Renderer(references, names)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(renderer.block(block) for block in _BLANK_LINE.split(text))


def plain_text(text: Any, names: Mapping[str, str] | None = None) -> str:
    """`text` without its markup, for places that show plain text (exports, titles)."""
    if not isinstance(text, str):
        return ""

    def replace(match: re.Match) -> str:
        kind = match.lastgroup
        if kind in ("bold", "star", "under"):
            return plain_text(match.group(f"{kind}_text"), names)
        if kind == "cite":
            return ""
        if kind == "entry":
            ref = match.group("entry_id")
            return str((names or {}).get(ref, ref))
        return html.unescape(match.group("char"))

    return " ".join(_INLINE.sub(replace, text).split())
