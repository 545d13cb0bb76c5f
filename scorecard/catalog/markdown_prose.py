"""Markdown (as the FINOS AI Governance Framework writes it) turned into catalog prose.

Catalog prose (`scorecard.catalog.prose`) knows paragraphs, one level of `- ` list items,
`**bold**` and `*italic*`; it escapes everything else when a page renders it. So the text is
converted, never trusted: headings become a bold paragraph, `*`, `+`, `-` and numbered list
items become `- ` items (a nested one starts with an en dash) with their continuation
lines joined, table rows become items with their cells joined by `;`, and rules, table
separators and blockquote markers go. Inline code loses its backticks and an image its
address. A link keeps its text; what else it keeps is the caller's choice (`link`), by
default its address in brackets when that is an http(s) one. HTML stays text, which the
renderer escapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from scorecard.catalog.prose import is_safe_link

Link = Callable[[str, str], str]

# Any Unicode space may follow the hashes (the FINOS files have a no-break space in places).
_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.*?)\s*#*\s*$")
_RULE = re.compile(r"^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$")
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[*+-]|\d{1,9}[.)])[ \t]+(?P<text>.*)$")
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_QUOTE = re.compile(r"^[ \t]*>[ \t]?")
# Bounded, so a hostile line costs linear time.
_IMAGE = re.compile(r"!\[(?P<text>[^\]\n]{0,500})\]\([^)\s]{0,2000}(?:[ \t]+\"[^\"\n]{0,300}\")?\)")
_LINK = re.compile(
    r"\[(?P<text>[^\]\n]{1,500})\]\((?P<url>[^)\s]{1,2000})(?:[ \t]+\"[^\"\n]{0,300}\")?\)"
)
_AUTOLINK = re.compile(r"<(?P<url>https?://[^>\s]{1,2000})>")
_CODE = re.compile(r"`{1,3}(?P<text>[^`\n]{1,2000})`{1,3}")


def bracketed(text: str, url: str) -> str:
    """The default for a link: its text, and its address when that is a safe one."""
    return f"{text} ({url})" if is_safe_link(url) and url != text else text


def inline(text: str, link: Link = bracketed) -> str:
    text = _IMAGE.sub(lambda m: m.group("text"), text)
    text = _LINK.sub(lambda m: link(m.group("text").strip(), m.group("url")), text)
    text = _AUTOLINK.sub(lambda m: m.group("url"), text)
    return " ".join(_CODE.sub(lambda m: m.group("text"), text).split())


class _Blocks:
    """The blocks being built: the open paragraph or list, and the finished ones."""

    def __init__(self, link: Link):
        self.link = link
        self.done: list[str] = []
        self.paragraph: list[str] = []
        self.items: list[str] = []

    def flush(self) -> None:
        if self.paragraph:
            self.add(inline(" ".join(self.paragraph), self.link))
            self.paragraph = []
        if self.items:
            shown = (inline(item, self.link) for item in self.items)
            self.done.append("\n".join(f"- {item}" for item in shown if item))
            self.items = []

    def add(self, block: str) -> None:
        if block:
            self.done.append(block)

    def item(self, text: str) -> None:
        if self.paragraph:
            self.flush()
        self.items.append(text)

    def text(self, line: str, *, continues_item: bool) -> None:
        if continues_item and self.items:
            self.items[-1] += " " + line.strip()
        else:
            if self.items:
                self.flush()
            self.paragraph.append(line.strip())


def markdown_to_prose(markdown: str, *, link: Link = bracketed) -> str:
    """`markdown` as catalog prose: blocks separated by a blank line."""
    blocks = _Blocks(link)
    fenced = False
    after_blank = True
    for raw in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if _FENCE.match(line):
            blocks.flush()
            fenced = not fenced
            continue
        if fenced:
            # Code is shown as text; each of its lines is kept apart.
            blocks.add(" ".join(line.split()))
            continue
        line = _QUOTE.sub("", line)
        if not line.strip():
            if not blocks.items:  # a list may go on after a blank line
                blocks.flush()
            after_blank = True
            continue
        _line(blocks, line, after_blank=after_blank)
        after_blank = False
    blocks.flush()
    return "\n\n".join(blocks.done)


def _line(blocks: _Blocks, line: str, *, after_blank: bool) -> None:
    heading = _HEADING.match(line)
    if heading:
        blocks.flush()
        text = inline(heading.group("text"), blocks.link).replace("**", "")
        blocks.add(f"**{text}**" if text else "")
    elif "|" in line and _TABLE_RULE.match(line):
        return  # the line under a table's head: the rows go on in the same list
    elif _RULE.match(line):
        blocks.flush()
    elif _TABLE_ROW.match(line):
        if after_blank:
            blocks.flush()  # a table is a list of its own, even right after one
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        blocks.item("; ".join(cell for cell in cells if cell))
    elif item := _ITEM.match(line):
        marker = item.group("marker")
        number = f"{marker[:-1]}. " if marker[0].isdigit() else ""
        # Prose has one level of list; a nested item is marked as one with a dash.
        nested = "\N{EN DASH} " if len(item.group("indent").expandtabs(4)) >= 2 else ""
        blocks.item(nested + number + item.group("text"))
    else:
        # Indented text after a blank line, or any text right after an item, continues it.
        indented = line[:1] in (" ", "\t")
        blocks.text(line, continues_item=not after_blank or indented)
