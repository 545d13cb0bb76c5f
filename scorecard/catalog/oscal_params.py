"""OSCAL parameters rendered into statement text, as OSCAL's rendering rules describe.

A `{{ insert: param, id }}` in prose stands for the parameter: its set values when it has
some, else its choice list, else its label as an assignment:

- values:  "locks the device, ends the session"
- select:  "[Selection: one or more: locks the device; ends the session]"
  ("[Selection: ...]" when exactly one is chosen, the default)
- label:   "[Assignment: organization-defined frequency]"
- nothing: "[Assignment: ac-1_prm_1]" (the id, so the reader still sees a blank to fill)

Choices may insert parameters of their own; those are rendered the same way, to a bounded
depth so that a parameter inserting itself cannot loop.
"""

from __future__ import annotations

import re
from typing import Any

INSERT = re.compile(r"\{\{\s*insert:\s*param\s*,\s*([^\s}]+)\s*\}\}")
_MAX_DEPTH = 5
_HOW_MANY = {"one-or-more": "one or more", "one": ""}


class Params:
    """Every parameter of a catalog by id, and the renderer of texts that insert them."""

    def __init__(self) -> None:
        self.by_id: dict[str, dict] = {}

    def collect(self, node: Any) -> None:
        """Parameters of `node` (a catalog, group or control) and of everything inside it."""
        stack = [node]
        while stack:
            current = stack.pop()
            if not isinstance(current, dict):
                continue
            for param in _list(current.get("params")):
                if isinstance(param, dict) and isinstance(param.get("id"), str):
                    self.by_id.setdefault(param["id"], param)
            stack.extend(_list(current.get("groups")))
            stack.extend(_list(current.get("controls")))

    def render(self, text: str, depth: int = 0) -> str:
        return INSERT.sub(lambda match: self.placeholder(match.group(1), depth), text)

    def placeholder(self, ref: str, depth: int = 0) -> str:
        param = self.by_id.get(ref)
        if param is None or depth >= _MAX_DEPTH:
            return f"[Assignment: {ref}]"
        values = [str(v).strip() for v in _list(param.get("values")) if str(v).strip()]
        if values:
            return ", ".join(self.render(value, depth + 1) for value in values)
        select = param.get("select")
        if isinstance(select, dict):
            choices = [
                self.render(" ".join(str(choice).split()), depth + 1)
                for choice in _list(select.get("choice"))
                if str(choice).strip()
            ]
            how_many = _HOW_MANY.get(str(select.get("how-many", "one")), "")
            lead = f"Selection: {how_many}: " if how_many else "Selection: "
            return f"[{lead}{'; '.join(choices)}]"
        label = param.get("label")
        if isinstance(label, str) and label.strip():
            return f"[Assignment: {self.render(' '.join(label.split()), depth + 1)}]"
        return f"[Assignment: {ref}]"

    def prose_of(self, parts: Any, names: set[str] | None) -> str:
        return prose_of(self, parts, names)

    def guidance_of(self, control: dict) -> list[str]:
        """One paragraph per parameter of `control` that carries guidelines."""
        paragraphs = []
        for param in _list(control.get("params")):
            if not isinstance(param, dict):
                continue
            notes = [
                " ".join(str(line.get("prose", "")).split())
                for line in _list(param.get("guidelines"))
                if isinstance(line, dict) and str(line.get("prose", "")).strip()
            ]
            if notes:
                name = param.get("label") or param.get("id", "")
                paragraphs.append(f"Parameter {' '.join(str(name).split())}: {' '.join(notes)}")
        return paragraphs


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _flatten(params: Params, part: dict) -> list[str]:
    paragraphs = []
    label = ""
    for prop in _list(part.get("props")):
        if isinstance(prop, dict) and prop.get("name") == "label" and "ns" not in prop:
            label = str(prop.get("value", "")).strip()
            break
    prose = part.get("prose")
    if isinstance(prose, str) and prose.strip():
        text = params.render(prose.strip())
        paragraphs.append(f"{label} {text}" if label else text)
    for child in _list(part.get("parts")):
        if isinstance(child, dict) and child.get("ns") is None:
            paragraphs.extend(_flatten(params, child))
    return paragraphs


def prose_of(params: Params, parts: Any, names: set[str] | None) -> str:
    """Paragraphs of the parts called `names` (any part if None), children included, with
    parameters rendered; parts of a namespace (ours among them) are not prose to show."""
    paragraphs: list[str] = []
    for part in _list(parts):
        if (
            isinstance(part, dict)
            and part.get("ns") is None
            and (names is None or part.get("name") in names)
        ):
            paragraphs.extend(_flatten(params, part))
    return "\n\n".join(paragraphs)


def texts_of(params: Params, node: dict) -> tuple[str, str]:
    """The description and guidance a control's parts and params give: the statement, and
    the guidance followed by one paragraph per parameter guideline."""
    parts = node.get("parts")
    guidance = [params.prose_of(parts, {"guidance"}), *params.guidance_of(node)]
    return params.prose_of(parts, {"statement"}), "\n\n".join(text for text in guidance if text)
