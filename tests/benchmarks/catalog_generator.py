"""Deterministic catalogs of any size, native or OSCAL, for benchmarks and size tests.

Everything is derived from the counts given, so the same call always returns the same
document (and, written with `write_native_yaml` / `write_json`, the same bytes). The
documents are valid: a native one imports as it is, an OSCAL one through the OSCAL reader.
The prose is filler made from a fixed word list, long enough to weigh what real prose
weighs (`prose_words` per text).

    from tests.benchmarks.catalog_generator import native_catalog, write_native_yaml
    path = write_native_yaml(tmp_path / "big.yaml", native_catalog(controls=1000))
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

# Filler only: what the words say does not matter, how many there are does.
_FILLER = (
    "owners review the model register each quarter and record who approved every change "
    "before release while monitoring alerts reach the team that runs the service and "
    "training data keeps its source licence and retention period on file for audit"
)
_WORDS = tuple(_FILLER.split())


def filler(seed: int, words: int) -> str:
    """`words` words of filler text; `seed` picks where in the word list it starts."""
    if words <= 0:
        return ""
    picked = [_WORDS[(seed * 7 + n) % len(_WORDS)] for n in range(words)]
    return " ".join(picked).capitalize() + "."


def _vocabulary(terms: int) -> dict[str, list[dict]]:
    return {
        "component_categories": [{"id": "cat-model", "name": "Model"}],
        "components": [
            {"id": f"comp-{n}", "name": f"Component {n}", "category": "cat-model"}
            for n in range(terms)
        ],
        "lifecycle_stages": [{"id": f"stage-{n}", "name": f"Stage {n}"} for n in range(terms)],
    }


def _question(control: int, number: int, prose_words: int) -> dict:
    qid = f"C-{control}.{number + 1}"
    kind = ("scale", "yes_no", "choice")[number % 3]
    question: dict[str, Any] = {
        "id": qid,
        "text": f"Question {number + 1} of control {control}: {filler(control + number, 8)}",
        "help": filler(control * 3 + number, prose_words // 2),
        "type": kind,
    }
    if kind == "choice":
        question["options"] = [
            {"label": "None", "value": 0},
            {"label": "Some", "value": 0.5},
            {"label": "All", "value": 1},
        ]
    return question


def _native_control(n: int, *, questions: int, prose_words: int, terms: int) -> dict:
    return {
        "id": f"C-{n}",
        "name": f"Control {n}",
        "description": filler(n, prose_words),
        "guidance": filler(n + 1, prose_words),
        "weight": 1 + n % 3,
        "critical": n % 50 == 0,
        "personas": [f"p{n % 3}"],
        "risks": [f"r{n % 5}", f"r{(n + 1) % 5}"],
        "mappings": {"scheme-a": [f"A.{n}@2.0"], "scheme-b": [f"B-{n % 40}"]},
        "components": [f"comp-{n % terms}"],
        "lifecycle_stages": "all" if n % 7 == 0 else [f"stage-{n % terms}"],
        "questions": [_question(n, q, prose_words) for q in range(questions)],
    }


def native_catalog(
    *,
    controls: int = 1000,
    questions: int = 3,
    domains: int = 10,
    sub_domains: int = 2,
    prose_words: int = 40,
    slug: str = "generated-native",
    version: str = "1",
) -> dict[str, Any]:
    """A native document: `controls` controls of `questions` questions each, spread round
    robin over `domains` top domains with `sub_domains` sub-domains each (the controls sit
    in the sub-domains when there are any), with personas, risks, terms and mappings."""
    terms = 6
    leaves: list[dict] = []
    tops = []
    for d in range(domains):
        top = {"id": f"D{d}", "name": f"Domain {d}", "description": filler(d, 12)}
        top["domains"] = [
            {"id": f"D{d}.{s}", "name": f"Domain {d}.{s}", "controls": []}
            for s in range(sub_domains)
        ]
        top["controls"] = []
        leaves.extend(top["domains"] or [top])
        tops.append(top)
    for n in range(controls):
        leaf = leaves[n % len(leaves)]
        control = _native_control(n, questions=questions, prose_words=prose_words, terms=terms)
        leaf["controls"].append(control)
    for top in tops:  # a small catalog leaves some sub-domains empty
        top["domains"] = [sub for sub in top["domains"] if sub["controls"]]
    return {
        "format": "scorecard-catalog/1",
        "framework": {
            "slug": slug,
            "name": f"Generated catalog of {controls} controls",
            "version": version,
            "description": filler(0, prose_words),
        },
        "scale": [
            {"label": "Not yet", "value": 0},
            {"label": "Partly", "value": 0.5},
            {"label": "Fully", "value": 1},
        ],
        "tiers": [{"name": "Low", "min_score": 0}, {"name": "High", "min_score": 60}],
        "mapping_schemes": [
            {"id": "scheme-a", "name": "Scheme A", "version": "2.0"},
            {"id": "scheme-b", "name": "Scheme B"},
        ],
        "vocabulary": _vocabulary(terms),
        "personas": [
            {"id": f"p{n}", "name": f"Persona {n}", "questions": [f"Do you act as {n}?"]}
            for n in range(3)
        ],
        "risks": [
            {"id": f"r{n}", "name": f"Risk {n}", "description": filler(n, 20)} for n in range(5)
        ],
        "domains": [top for top in tops if top["controls"] or top["domains"]],
    }


def _oscal_part(cid: str, name: str, seed: int, *, prose_words: int, nested: int) -> dict:
    part: dict[str, Any] = {
        "id": f"{cid}_{name[:3]}",
        "name": name,
        "prose": f"{filler(seed, prose_words)} Every {{{{ insert: param, {cid}_prm_1 }}}}.",
    }
    if nested:
        part["parts"] = [
            {
                "id": f"{cid}_{name[:3]}.{chr(97 + k)}",
                "name": "item",
                "props": [{"name": "label", "value": f"{chr(97 + k)}."}],
                "prose": filler(seed + k + 1, prose_words // 2),
            }
            for k in range(nested)
        ]
    return part


def _oscal_control(n: int, title: str, *, params: int, props: int, links: int, **prose) -> dict:
    cid = f"c-{n}"
    return {
        "id": cid,
        "class": "generated",
        "title": title,
        "params": [
            {"id": f"{cid}_prm_{k + 1}", "label": f"period {k + 1} of control {n}"}
            for k in range(params)
        ],
        "props": [{"name": "label", "value": f"C-{n}"}]
        + [{"name": f"extra-{k}", "value": f"value {n}.{k}"} for k in range(props - 1)],
        "links": [{"href": f"#c-{(n + k + 1)}", "rel": "related"} for k in range(links)],
        "parts": [
            _oscal_part(cid, "statement", n, **prose),
            _oscal_part(cid, "guidance", n + 1, nested=0, prose_words=prose["prose_words"]),
        ],
    }


def oscal_catalog(
    *,
    controls: int = 1000,
    groups: int = 10,
    enhancements_every: int = 4,
    params: int = 2,
    props: int = 2,
    links: int = 2,
    prose_words: int = 40,
    nested_parts: int = 2,
) -> dict[str, Any]:
    """An OSCAL catalog of `controls` controls in all (base controls and enhancements), in
    `groups` groups; every `enhancements_every`-th control is an enhancement of the one
    before. Each control has params, props (the first a `label`), links and a statement with
    `nested_parts` items, plus guidance."""
    shape = {"params": params, "props": max(props, 1), "links": links}
    prose = {"prose_words": prose_words, "nested": nested_parts}
    group_list = [
        {
            "id": f"g{g}",
            "title": f"Group {g}",
            "props": [{"name": "label", "value": f"G{g}"}],
            "parts": [{"id": f"g{g}_ovw", "name": "overview", "prose": filler(g, 15)}],
            "controls": [],
        }
        for g in range(groups)
    ]
    made = 0
    while made < controls:
        control = _oscal_control(made, f"Control {made}", **shape, **prose)
        group_list[made % groups]["controls"].append(control)
        made += 1
        if enhancements_every and made % enhancements_every == 0 and made < controls:
            enhancement = _oscal_control(made, f"Enhancement {made}", **shape, **prose)
            control["controls"] = [enhancement]
            made += 1
    return {
        "catalog": {
            "uuid": "5f0c6a8e-3d2b-4c7a-9e1f-2a6b8c4d0e13",
            "metadata": {
                "title": f"Generated OSCAL catalog of {controls} controls",
                "last-modified": "2026-01-01T00:00:00+00:00",
                "version": "1.0",
                "oscal-version": "1.1.2",
            },
            "groups": group_list,
        }
    }


def write_native_yaml(path: Path, doc: dict) -> Path:
    """`doc` as block-style YAML, written with plain PyYAML (not the project's writer)."""
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=1_000_000)
    path.write_text(text, encoding="utf-8")
    return path


def write_json(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def counts(doc: dict) -> dict[str, int]:
    """Controls and questions of a native document, counted by walking it here."""
    found = {"controls": 0, "questions": 0}
    stack = list(doc.get("domains", ()))
    while stack:
        domain = stack.pop()
        stack.extend(domain.get("domains", ()))
        for control in domain.get("controls", ()):
            found["controls"] += 1
            found["questions"] += len(control.get("questions", ()))
    return found


def oscal_control_count(catalog: dict) -> int:
    """Controls and enhancements of an OSCAL catalog, counted by walking it here."""

    def controls(node: dict) -> int:
        return sum(1 + controls(child) for child in node.get("controls", ()))

    def groups(node: dict) -> int:
        return sum(controls(group) + groups(group) for group in node.get("groups", ()))

    root = catalog["catalog"]
    return groups(root) + controls(root)
