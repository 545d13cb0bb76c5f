"""Short display codes for domains, controls and questions (`DAT`, `DAT-3`, `DAT-3.1`).

Source ids such as `controlRuntimePrivacyEnhancingTechnologies` are stable but unreadable
in a heading, so every catalog also carries a code per domain, control and question. A
code a file provides is kept; the missing ones are generated here, the same way every time:

- a domain: the first three letters of its name, upper case, with doubled letters
  collapsed ("Data" -> DAT, "Assurance" -> ASU); when that is taken, digits replace the
  last letters (DA2, DA3, ..., D10);
- a control: `<top-level domain code>-<n>`, n counting the controls of its top-level
  domain in catalog order (sub-domains included) from 1;
- a question: `<control code>.<m>`, m counting the control's questions from 1.

A generated code never repeats one already used by the same kind: it moves on to the next
free number. Codes are for display only; scoring and URLs keep using the ids.

The functions are pure (no Django), so the migration that fills codes for stored catalogs
uses exactly what imports use.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterator
from itertools import count
from typing import Any

from scorecard.catalog.document_source import shared_objects
from scorecard.catalog.limits import CODE_MAX_LENGTH

DOMAIN_LETTERS = 3
FALLBACK_LETTER = "D"


def domain_base(name: str) -> str:
    """The letters a domain's code starts from: "Data" -> "DAT", "Model" -> "MOD"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    letters = ""
    for char in ascii_name.upper():
        if "A" <= char <= "Z" and not letters.endswith(char):
            letters += char
        if len(letters) == DOMAIN_LETTERS:
            break
    return letters or FALLBACK_LETTER


def _domain_candidates(name: str) -> Iterator[str]:
    base = domain_base(name)
    yield base
    for number in count(2):
        digits = str(number)
        yield base[: max(1, DOMAIN_LETTERS - len(digits))] + digits


def _numbered(head: str, separator: str, start: int) -> Iterator[str]:
    for number in count(start):
        tail = f"{separator}{number}"
        # A long code a file provided still leaves room for the number.
        yield head[: CODE_MAX_LENGTH - len(tail)] + tail


def _first_free(candidates: Iterator[str], used: set[str]) -> str:
    for candidate in candidates:
        if candidate not in used:
            used.add(candidate)
            return candidate
    raise AssertionError("unreachable: the candidates never end")


def _walk(domains: list[dict]) -> Iterator[dict]:
    for domain in domains:
        yield domain
        yield from _walk(domain.get("domains") or [])


def _controls(domain: dict) -> list[dict]:
    return [control for sub in _walk([domain]) for control in sub.get("controls") or []]


def _provided(items: list[dict]) -> set[str]:
    return {item["code"] for item in items if item.get("code")}


def fill_codes(domains: list[dict[str, Any]], *, in_place: bool = False) -> list[dict[str, Any]]:
    """A copy of a domain tree (native document shape: `name`, `code`, `domains`,
    `controls`, `questions`) with every missing or empty `code` generated.

    `in_place` fills `domains` itself, for a caller that has just built the tree: copying
    the tree of a thousand-control catalog took longer than generating its codes."""
    tree = domains if in_place else copy.deepcopy(domains, shared_objects(domains))
    every_domain = list(_walk(tree))
    used = _provided(every_domain)
    for domain in every_domain:
        if not domain.get("code"):
            domain["code"] = _first_free(_domain_candidates(domain.get("name") or ""), used)
    every_control = [control for top in tree for control in _controls(top)]
    used = _provided(every_control)
    for top in tree:
        for number, control in enumerate(_controls(top), start=1):
            if not control.get("code"):
                control["code"] = _first_free(_numbered(top["code"], "-", number), used)
    used = _provided([q for control in every_control for q in control.get("questions") or []])
    for control in every_control:
        for number, question in enumerate(control.get("questions") or [], start=1):
            if not question.get("code"):
                question["code"] = _first_free(_numbered(control["code"], ".", number), used)
    return tree
