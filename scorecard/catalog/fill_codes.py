"""Publishing fills the display codes an editor left empty (rows added in the admin).

The codes come from the same generator imports use (`normalise_document`), applied to the
draft's own document, so a code filled here is the one re-importing the draft would give.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scorecard.catalog.document import iter_domains, normalise_document
from scorecard.models import Control, Domain, Framework, Question


def _coded_items(doc: dict) -> Iterator[tuple[str, dict]]:
    for _, domain in iter_domains(doc):
        yield "domain", domain
        for control in domain.get("controls") or ():
            yield "control", control
            for question in control.get("questions") or ():
                yield "question", question


def fill_missing_codes(framework: Framework, doc: dict[str, Any]) -> None:
    """Store a generated display code on every domain, control and question of a draft
    that has none; `doc` is `framework_to_document(framework)`, which leaves such codes out.
    Costs nothing when every row has a code, one query per kind of row otherwise."""
    missing: dict[str, set[str]] = {"domain": set(), "control": set(), "question": set()}
    for kind, item in _coded_items(doc):
        if not item.get("code"):
            missing[kind].add(item["id"])
    if not any(missing.values()):
        return
    generated = {
        (kind, item["id"]): item["code"] for kind, item in _coded_items(normalise_document(doc))
    }
    for model, kind in ((Domain, "domain"), (Control, "control"), (Question, "question")):
        if not missing[kind]:
            continue
        rows = list(model.objects.filter(framework=framework, ref__in=missing[kind], code=""))
        for row in rows:
            row.code = generated[(kind, row.ref)]
        model.objects.bulk_update(rows, ["code"])
