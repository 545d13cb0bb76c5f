"""Reading MITRE ATLAS (`ATLAS.yaml` of mitre-atlas/atlas-data) into checked parts.

The file lists matrices, each with its tactics, techniques (a sub-technique names its parent
with `subtechnique-of` and takes the parent's tactics) and mitigations (their categories, the
ML lifecycle stages they apply in and the techniques they address). ATLAS ships no schema of
its own, so the shape is checked here, and so is everything an id points at: a tactic of a
technique, the parent of a sub-technique, a technique a mitigation addresses. Every problem
names its path in the ATLAS file (`matrices[0].mitigations[3].techniques[1].id`).

A technique link a mitigation lists twice is kept once. ATLAS 5.6.0 has two technique links
indented into a mitigation's `ml-lifecycle` list instead of its `techniques` (a mapping with
an `id`, not a stage name): they are read as the technique links they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scorecard.catalog import limits
from scorecard.catalog.problems import Problem, render_path

Path_ = tuple[str | int, ...]

# Markdown links (`[Create Proxy AI Model](/techniques/AML.T0005)`) keep their text: the
# catalog's prose has no links of its own, and ATLAS's are mostly relative to its site.
_LINK = re.compile(r"\[([^\[\]\n]+)\]\([^)\n]*\)")
_BULLET = re.compile(r"^[-*\u2022]\s+(.*)$")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+.*$")


@dataclass
class Technique:
    id: str
    name: str
    description: str
    tactics: list[str]
    maturity: str
    attack: dict[str, str] | None
    references: list[dict[str, str]]
    parent: str | None = None


@dataclass
class Mitigation:
    path: Path_
    id: str
    name: str
    description: str
    category: str
    stages: list[str]
    techniques: list[str] = field(default_factory=list)
    attack: dict[str, str] | None = None


def prose(value: Any) -> str:
    """ATLAS's Markdown as catalog prose: paragraphs split by a blank line, `- ` items
    one a line, links reduced to their text, other whitespace collapsed."""
    if not isinstance(value, str):
        return ""
    # `{{` starts a cross-reference or citation in catalog prose; ATLAS means none.
    text = _LINK.sub(r"\1", value).replace("{{", "{").replace("}}", "}")
    blocks = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")):
        lines: list[str] = []
        for raw in block.split("\n"):
            line = " ".join(raw.split())
            if not line:
                continue
            bullet = _BULLET.match(line)
            if bullet or _NUMBERED.match(line):
                lines.append(f"- {bullet.group(1) if bullet else line}")
            elif lines and (raw[:1].isspace() or not lines[-1].startswith("- ")):
                lines[-1] = f"{lines[-1]} {line}"  # a wrapped line of the same paragraph or item
            else:
                lines.append(line)
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


class AtlasReader:
    def __init__(self, data: Any):
        self.data = data
        self.problems: list[Problem] = []
        self.tactics: dict[str, str] = {}  # id -> name, in file order
        self.techniques: dict[str, Technique] = {}
        self.mitigations: list[Mitigation] = []
        self.seen: set[tuple[str, str]] = set()  # (list key, id) of every item read

    def problem(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(render_path(path), message))

    def read(self) -> None:
        if not isinstance(self.data, dict):
            self.problem((), "expected an ATLAS file: a mapping with `matrices`")
            return
        matrices = self.data.get("matrices")
        if not isinstance(matrices, list) or not matrices:
            self.problem(("matrices",), "required list is missing; is this an ATLAS.yaml file?")
            return
        valid = []
        for index, matrix in enumerate(matrices):
            if isinstance(matrix, dict):
                valid.append((("matrices", index), matrix))
            else:
                self.problem(("matrices", index), "expected a mapping")
        # Every matrix's tactics first, then techniques, then mitigations: each may point
        # at items of another matrix.
        for path, matrix in valid:
            for _, tactic in self.entries(path, matrix, "tactics"):
                self.tactics.setdefault(tactic["id"], " ".join(tactic["name"].split()))
        subs = []
        for path, matrix in valid:
            for item_path, item in self.entries(path, matrix, "techniques"):
                if item.get("subtechnique-of") is not None:
                    subs.append((item_path, item))  # after the parents, whatever the order
                else:
                    self.technique(item_path, item, None)
        for item_path, item in subs:
            self.technique(item_path, item, item["subtechnique-of"])
        for path, matrix in valid:
            for item_path, item in self.entries(path, matrix, "mitigations"):
                self.mitigation(item_path, item)

    def entries(self, path: Path_, parent: dict, key: str) -> list[tuple[Path_, dict]]:
        """Items of `parent[key]` with a valid id and a name; duplicates are problems."""
        items = parent.get(key)
        if not isinstance(items, list):
            self.problem((*path, key), "required list is missing")
            return []
        valid = []
        limit = 300 if key == "mitigations" else 200  # a control's name, a risk's name
        for index, item in enumerate(items):
            where = (*path, key, index)
            if not isinstance(item, dict):
                self.problem(where, "expected a mapping")
            elif not (_text(item.get("id")) and _text(item.get("name"))):
                self.problem(where, "needs an id and a name")
            elif limits.id_problem(item["id"]):
                self.problem((*where, "id"), limits.id_problem(item["id"]))
            elif (key, item["id"]) in self.seen:
                self.problem((*where, "id"), f'duplicate {key[:-1]} id "{item["id"]}"')
            elif len(" ".join(item["name"].split())) > limit:
                self.problem((*where, "name"), f"is longer than {limit} characters")
            else:
                self.seen.add((key, item["id"]))
                valid.append((where, item))
        return valid

    def technique(self, path: Path_, item: dict, parent_id: Any) -> None:
        parent = None
        if parent_id is not None:
            parent = self.techniques.get(parent_id) if isinstance(parent_id, str) else None
            if parent is None or parent.parent is not None:
                self.problem((*path, "subtechnique-of"), f'unknown technique "{parent_id}"')
                return
        if parent is not None and item.get("tactics") is None:
            tactics = list(parent.tactics)  # how ATLAS writes sub-techniques
        else:
            tactics = self.tactic_refs(path, item.get("tactics"))
        maturity = item.get("maturity")
        self.techniques[item["id"]] = Technique(
            id=item["id"],
            name=" ".join(item["name"].split()),
            description=prose(item.get("description")),
            tactics=tactics,
            maturity=maturity.strip() if isinstance(maturity, str) else "",
            attack=self.attack(path, item),
            references=_references(item.get("references")),
            parent=parent.id if parent else None,
        )

    def tactic_refs(self, path: Path_, refs: Any) -> list[str]:
        if not isinstance(refs, list) or not refs:
            self.problem((*path, "tactics"), "a technique needs a list of tactics")
            return []
        found = []
        for index, ref in enumerate(refs):
            if ref not in self.tactics:
                self.problem((*path, "tactics", index), f'unknown tactic "{ref}"')
            elif ref not in found:
                found.append(ref)
        return found

    def attack(self, path: Path_, item: dict) -> dict[str, str] | None:
        """The ATT&CK entry an ATLAS item is adapted from, if any."""
        reference = item.get("ATT&CK-reference")
        if reference is None:
            return None
        ref = reference.get("id") if isinstance(reference, dict) else None
        if not (isinstance(ref, str) and re.fullmatch(r"[A-Za-z0-9._-]{1,40}", ref)):
            self.problem((*path, "ATT&CK-reference", "id"), "expected an ATT&CK id")
            return None
        url = reference.get("url")
        return {"id": ref, "url": url if _https(url) else ""}

    def mitigation(self, path: Path_, item: dict) -> None:
        categories = item.get("category")
        if isinstance(categories, str):
            categories = [categories]
        category = next((c for c in categories or () if _text(c)), "")
        mitigation = Mitigation(
            path=path,
            id=item["id"],
            name=" ".join(item["name"].split()),
            description=prose(item.get("description")),
            category=" ".join(category.split()),
            stages=[],
            attack=self.attack(path, item),
        )
        links = item.get("techniques")
        if not isinstance(links, list):
            self.problem((*path, "techniques"), "required list is missing")
            links = []
        for index, link in enumerate(links):
            self.link(mitigation, (*path, "techniques", index), link)
        stages = item.get("ml-lifecycle")
        for index, stage in enumerate(stages if isinstance(stages, list) else ()):
            where = (*path, "ml-lifecycle", index)
            if isinstance(stage, dict) and "id" in stage:
                self.link(mitigation, where, stage)  # a technique link indented one level out
            elif not _text(stage):
                self.problem(where, "expected the name of an ML lifecycle stage")
            elif " ".join(stage.split()) not in mitigation.stages:
                mitigation.stages.append(" ".join(stage.split()))
        if stages is not None and not isinstance(stages, list):
            self.problem((*path, "ml-lifecycle"), "expected a list of stage names")
        self.mitigations.append(mitigation)

    def link(self, mitigation: Mitigation, path: Path_, link: Any) -> None:
        ref = link.get("id") if isinstance(link, dict) else link
        if not isinstance(ref, str) or ref not in self.techniques:
            where = (*path, "id") if isinstance(link, dict) else path
            self.problem(where, f'unknown technique "{ref}"')
        elif ref not in mitigation.techniques:
            mitigation.techniques.append(ref)


def _https(url: Any) -> bool:
    return isinstance(url, str) and bool(re.fullmatch(r"https://\S{1,1990}", url))


def _references(items: Any) -> list[dict[str, str]]:
    """A technique's own references with an https address (others cannot be links)."""
    found = []
    for item in items if isinstance(items, list) else ():
        url = item.get("url") if isinstance(item, dict) else None
        if _https(url):
            title = " ".join(str(item.get("title") or "").split()) or url
            found.append({"id": f"ref-{len(found) + 1}", "title": title[:500], "url": url})
    return found
