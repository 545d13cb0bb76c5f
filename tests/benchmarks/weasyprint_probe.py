"""Where WeasyPrint spends a render: its phases, its layout passes and the pages it lays out
again. Benchmark instrumentation only: it wraps WeasyPrint's own functions for the length of
a `with probe() as p:` block and puts them back afterwards; product code never imports it.

WeasyPrint lays the document out in passes (weasyprint/layout/__init__.py, layout_document):
each pass calls make_all_pages, which calls remake_page for every page whose content depends
on something the previous pass changed, such as a target-counter() page number, a counter
of pages inside the content, or a running element, and reuses the others as they were.
Margin boxes (running headers, "Page 3 of 50") and string-set are filled in after the last
pass, so they never cause one. A page laid out in pass 2 or later was laid out again.
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Probe:
    passes: int = 0
    # (pass, page number) of every page layout, in order.
    page_layouts: list[tuple[int, int]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    collections: int = 0

    @property
    def relaid_pages(self) -> list[int]:
        """Page numbers laid out again in a later pass."""
        return [number for pass_, number in self.page_layouts if pass_ > 1]

    def figures(self, total_seconds: float) -> dict:
        """Exclusive phases (they add up to the total, with "other" the rest), and the time the
        garbage collector took inside them."""
        s = self.seconds
        phases = {
            "parse html": s["parse html"],
            "css cascade": s["css cascade"],
            "box tree": s["box tree"],
            "layout: pages": s["layout: pages"],
            "layout: margin boxes and the rest": s["layout: all"] - s["layout: pages"],
            "draw": s["draw"],
            "pdf/ua tags": s["pdf/ua tags"],
            "write pdf: fonts, objects, compression": s["write pdf"] - s["draw"] - s["pdf/ua tags"],
        }
        phases["other"] = total_seconds - sum(phases.values())
        return {
            "layout_passes": self.passes,
            "page_layouts": len(self.page_layouts),
            "relaid_pages": self.relaid_pages,
            "phase_seconds": {name: round(value, 3) for name, value in phases.items()},
            "phase_share": {
                name: round(value / total_seconds, 3) for name, value in phases.items()
            },
            "gc_seconds_inside": round(s["gc"], 3),
            "gc_collections": self.collections,
        }


def _timed(probe: Probe, name: str, function):
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            probe.seconds[name] += time.process_time() - started

    return wrapper


def _timed_generator(probe: Probe, name: str, function):
    # layout_document yields pages: only the time spent inside it counts.
    def wrapper(*args, **kwargs):
        steps = function(*args, **kwargs)
        while True:
            started = time.process_time()
            try:
                item = next(steps)
            except StopIteration:
                return
            finally:
                probe.seconds[name] += time.process_time() - started
            yield item

    return wrapper


@contextmanager
def probe():
    import weasyprint
    from weasyprint import document, layout, pdf
    from weasyprint.layout import page

    result = Probe()
    make_all_pages, remake_page = layout.make_all_pages, page.remake_page

    def counting_make_all_pages(*args, **kwargs):
        result.passes += 1
        yield from make_all_pages(*args, **kwargs)

    def counting_remake_page(index, *args, **kwargs):
        result.page_layouts.append((result.passes, index + 1))
        return remake_page(index, *args, **kwargs)

    collection_started = []

    def on_collection(phase, info):
        if phase == "start":
            collection_started.append(time.process_time())
        elif collection_started:
            result.collections += 1
            result.seconds["gc"] += time.process_time() - collection_started.pop()

    patches = [
        (weasyprint.HTML, "__init__", _timed(result, "parse html", weasyprint.HTML.__init__)),
        (document, "get_all_computed_styles", None),
        (document, "build_formatting_structure", None),
        (document, "layout_document", None),
        (document, "draw_page", _timed(result, "draw", document.draw_page)),
        (pdf, "add_tags", _timed(result, "pdf/ua tags", pdf.add_tags)),
        (page, "remake_page", _timed(result, "layout: pages", counting_remake_page)),
        (layout, "make_all_pages", counting_make_all_pages),
    ]
    named = {
        "get_all_computed_styles": "css cascade",
        "build_formatting_structure": "box tree",
    }
    originals = []
    for owner, name, replacement in patches:
        original = getattr(owner, name)
        originals.append((owner, name, original))
        if replacement is None and name == "layout_document":
            replacement = _timed_generator(result, "layout: all", original)
        elif replacement is None:
            replacement = _timed(result, named[name], original)
        setattr(owner, name, replacement)
    write_pdf = document.Document.write_pdf
    document.Document.write_pdf = _timed(result, "write pdf", write_pdf)
    gc.callbacks.append(on_collection)
    try:
        yield result
    finally:
        gc.callbacks.remove(on_collection)
        document.Document.write_pdf = write_pdf
        for owner, name, original in originals:
            setattr(owner, name, original)
