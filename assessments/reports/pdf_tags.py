"""Repairs to WeasyPrint's PDF/UA tagging, made before the file is written.

WeasyPrint (70) tags the document well enough for the structure tree to follow the HTML, but
four things in it are wrong in a way the HTML cannot change. `finish_tags` is passed to
`write_pdf` as its finisher: it works on the in-memory pydyf objects, after the tags are built
and before anything is serialised, so nothing is parsed twice and the cost is one pass over
the objects (tests/reports/test_pdf_accessibility.py checks each repair on a rendered report):

- Header cells get an ID, and data cells name their headers, but no header cell says whether it
  heads a column or a row (/Scope). Our templates put column headers in <thead> and row headers
  in <tbody> (`scope="col"` and `scope="row"`, checked by the same tests), so a TH's place in
  the structure tells which it is.
- The running headers and footers (page margin boxes) are marked as page content whose
  structure elements are left out of the tree: content that is neither in the tree nor an
  artifact. Page furniture is an artifact, so they are re-marked as one.
- A link annotation's description (/Contents) is its target, for an internal link just the
  fragment ("summary"); it becomes the link's text.
- A figure's bounding box is written in CSS pixels from the top of the page, not in PDF points
  from the bottom, so it lies partly off the page; it is converted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pydyf
    from weasyprint.document import Document

# WeasyPrint draws 1 CSS px as 0.75 pt (at the zoom of 1 that pdf.py always uses).
PT_PER_PX = 0.75


def finish_tags(document: Document, pdf: pydyf.PDF) -> None:
    if "StructTreeRoot" not in pdf.catalog:
        return  # an untagged variant: nothing to repair
    elements = _struct_elements(pdf)
    for element in elements:
        if element.get("S") == "/TH":
            _set_scope(pdf, element)
        elif element.get("S") == "/Figure" and "A" in element:
            _fix_bbox(pdf, element)
    _margin_content_to_artifacts(pdf, {id(e) for e in elements})
    _describe_links(document)


def _obj(pdf: pydyf.PDF, reference: bytes):
    """The object a pydyf reference (b"12 0 R") names."""
    return pdf.objects[int(reference.split()[0])]


def _struct_elements(pdf: pydyf.PDF) -> list:
    """Every structure element reachable from the root (in no particular order)."""
    root = _obj(pdf, pdf.catalog["StructTreeRoot"])
    found, pending = [], list(root["K"])
    while pending:
        kid = pending.pop()
        if not isinstance(kid, bytes):
            continue  # a marked-content id, not an element
        element = _obj(pdf, kid)
        if element.get("Type") == "/StructElem":
            found.append(element)
            pending.extend(element.get("K", ()))
    return found


def _set_scope(pdf: pydyf.PDF, cell) -> None:
    group = _obj(pdf, _obj(pdf, cell["P"])["P"])  # TH -> TR -> THead/TBody/TFoot
    cell["A"]["Scope"] = "/Column" if group.get("S") == "/THead" else "/Row"


def _fix_bbox(pdf: pydyf.PDF, figure) -> None:
    x1, y1, x2, y2 = (float(v) * PT_PER_PX for v in figure["A"]["BBox"])
    height = float(_obj(pdf, figure["Pg"])["MediaBox"][3])
    figure["A"]["BBox"][:] = [x1, height - y2, x2, height - y1]


def _margin_content_to_artifacts(pdf: pydyf.PDF, in_tree: set[int]) -> None:
    """Re-mark content whose structure element is outside the tree as an artifact.

    The parent tree maps each page's marked-content ids to their elements; the ids whose
    element is not in the tree are the margin boxes' text. Their entry becomes null, and
    their `/Span <</MCID n>> BDC` in the page's content stream becomes `/Artifact BMC`."""
    root = _obj(pdf, pdf.catalog["StructTreeRoot"])
    nums = _obj(pdf, root["ParentTree"])["Nums"]
    pages = [pdf.objects[number] for number in pdf.pages["Kids"][::3]]
    for index, page in enumerate(pages):
        by_mcid = nums[2 * index + 1]  # WeasyPrint writes the pages' arrays first, in order
        outside = set()
        for mcid, reference in enumerate(by_mcid):
            if isinstance(reference, bytes) and id(_obj(pdf, reference)) not in in_tree:
                outside.add(mcid)
                by_mcid[mcid] = b"null"
        if outside:
            _artifact_marks(_obj(pdf, page["Contents"]).stream, outside)


def _artifact_marks(stream: list, mcids: set[int]) -> None:
    # pydyf keeps a marked-content start as three items: the tag, the property list, b"BDC".
    for i in range(len(stream) - 2, 0, -1):
        props = stream[i]
        if stream[i + 1] == b"BDC" and isinstance(props, dict) and props.get("MCID") in mcids:
            stream[i - 1 : i + 2] = ["/Artifact", b"BMC"]


def _describe_links(document: Document) -> None:
    import pydyf

    for page in document.pages:
        for _, _, _, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            text = " ".join("".join(box.element.itertext()).split())
            if annotation is not None and text:
                annotation["Contents"] = pydyf.String(text)
