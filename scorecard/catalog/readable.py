"""Words for an id that has no name in the catalog, such as a risk category.

CoSAI ids are camelCase with a kind prefix (`risksSupplyChainAndDevelopment`); printed as they
are they read badly and break across lines in narrow table cells. The id stays the reference
(exports and the PDF's id index keep it); pages and the PDF show these words instead.
"""

from __future__ import annotations

import re

# A run of capitals not followed by a lower-case letter is an acronym ("MCP" in
# "riskMCPTransportHijacking"); otherwise a word starts at each capital.
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def readable_id(ref: str) -> str:
    """`risksSupplyChainAndDevelopment` -> "Supply chain and development".

    The leading lower-case word of a camelCase id is its kind ("risks", "control") and is
    dropped when words follow it; separators (`-`, `_`, `.`) become spaces; acronyms keep
    their capitals. An empty id gives an empty string."""
    words: list[str] = []
    for part in re.split(r"[-_.\s]+", ref.strip()):
        found = _WORD.findall(part)
        if len(found) > 1 and found[0].islower() and not words:
            found = found[1:]
        words.extend(found)
    if not words:
        return ""
    shown = [w if w.isupper() and len(w) > 1 else w.lower() for w in words]
    return shown[0][:1].upper() + shown[0][1:] + "".join(f" {w}" for w in shown[1:])
