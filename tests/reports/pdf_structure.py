"""Reads a tagged PDF's structure tree (pikepdf) and the text each tag marks (pypdf).

Written for the accessibility tests, independently of assessments/reports/pdf_tags.py: it
reads the finished file, as a screen reader would, and knows nothing of WeasyPrint.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field

import pikepdf
from pypdf import PdfReader


def flat(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Element:
    """A structure element: its role, page (0-based), marked-content ids, children."""

    role: str
    obj: pikepdf.Dictionary
    page: int | None
    mcids: list[int] = field(default_factory=list)
    objrs: list[pikepdf.Dictionary] = field(default_factory=list)
    children: list[Element] = field(default_factory=list)

    def descendants(self):
        yield self
        for child in self.children:
            yield from child.descendants()

    def marked(self) -> list[tuple[int, int]]:
        """(page, mcid) of every content item under this element, in structure order."""
        return [(e.page, mcid) for e in self.descendants() for mcid in e.mcids]


class TaggedPdf:
    def __init__(self, data: bytes):
        self.pdf = pikepdf.open(io.BytesIO(data))
        self.pages = list(self.pdf.pages)
        self._page_of = {page.objgen: i for i, page in enumerate(self.pages)}
        root = self.pdf.Root.StructTreeRoot
        self.roots = [self._build(kid, None) for kid in _kids(root)]
        self.elements = [e for r in self.roots for e in r.descendants()]
        self.stream_mcids = [_stream_mcids(page) for page in self.pages]
        self.mcid_text = _mcid_texts(data)

    def _build(self, node: pikepdf.Dictionary, page: int | None) -> Element:
        if "/Pg" in node:
            page = self._page_of[node.Pg.objgen]
        element = Element(str(node.S), node, page)
        for kid in _kids(node):
            if isinstance(kid, int):
                element.mcids.append(kid)
            elif kid.get("/Type") == "/OBJR":
                element.objrs.append(kid)
            elif kid.get("/Type") == "/MCR":
                raise AssertionError("marked-content references are not expected here")
            else:
                element.children.append(self._build(kid, page))
        return element

    def with_role(self, *roles: str) -> list[Element]:
        return [e for e in self.elements if e.role in roles]

    def text(self, element: Element) -> str:
        return flat("".join(self.mcid_text[page].get(mcid, "") for page, mcid in element.marked()))

    def page_index(self, page_obj) -> int:
        return self._page_of[page_obj.objgen]

    def parent_tree(self) -> dict[int, object]:
        """The /ParentTree number tree as a flat dict (WeasyPrint writes a single /Nums)."""
        nums = self.pdf.Root.StructTreeRoot.ParentTree.Nums
        return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}

    def outline(self) -> list[tuple[int, str]]:
        entries = []

        def walk(items, level):
            for item in items:
                entries.append((level, item.title))
                walk(item.children, level + 1)

        with self.pdf.open_outline() as outline:
            walk(outline.root, 1)
        return entries

    def link_annotations(self) -> list[tuple[int, pikepdf.Dictionary]]:
        return [
            (i, annot)
            for i, page in enumerate(self.pages)
            for annot in page.obj.get("/Annots", [])
            if annot.get("/Subtype") == "/Link"
        ]


def _kids(node: pikepdf.Dictionary) -> list:
    if "/K" not in node:
        return []
    kids = node.K
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _stream_mcids(page: pikepdf.Page) -> list[int]:
    """The marked-content ids of a page's content stream, in painting order."""
    found = []
    for instruction in pikepdf.parse_content_stream(page):
        if str(instruction.operator) == "BDC":
            props = instruction.operands[-1]
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                found.append(int(props.MCID))
    return found


def _mcid_texts(data: bytes) -> list[dict[int, str]]:
    """Per page, the text inside each marked-content id (pypdf decodes the fonts)."""
    texts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        marks: list[int | None] = []
        bucket: dict[int, str] = defaultdict(str)

        def before(operator, args, cm, tm, marks=marks):
            if operator == b"BDC":
                props = args[1] if len(args) > 1 else None
                marks.append(props.get("/MCID") if hasattr(props, "get") else None)
            elif operator == b"BMC":
                marks.append(None)
            elif operator == b"EMC" and marks:
                marks.pop()

        def text(content, cm, tm, font, size, marks=marks, bucket=bucket):
            if marks and marks[-1] is not None:
                bucket[marks[-1]] += content

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        texts.append(dict(bucket))
    return texts


def artifact_text(data: bytes) -> list[str]:
    """Per page, the text painted inside /Artifact marked content."""
    texts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        marks: list[bool] = []
        parts: list[str] = []

        def before(operator, args, cm, tm, marks=marks):
            if operator in (b"BDC", b"BMC"):
                marks.append(str(args[0]) == "/Artifact")
            elif operator == b"EMC" and marks:
                marks.pop()

        def text(content, cm, tm, font, size, marks=marks, parts=parts):
            if marks and marks[-1]:
                parts.append(content)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        texts.append(flat("".join(parts)))
    return texts
