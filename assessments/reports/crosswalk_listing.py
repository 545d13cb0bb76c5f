"""The crosswalk as the scorecard page lists it: each group with its references, each entry
with the id of its derivation on the crosswalk's "why" page."""

from __future__ import annotations

from dataclasses import dataclass

from scorecard import scoring


@dataclass(frozen=True)
class CrosswalkEntry:
    """A reference or a group of the crosswalk, with the id of its derivation."""

    key: str
    value: float | None
    figure: str
    # The reference's title where the catalog's mapping scheme gives one (never a group's).
    title: str = ""


@dataclass(frozen=True)
class CrosswalkGroup:
    entry: CrosswalkEntry
    references: tuple[CrosswalkEntry, ...]


def listing(
    scheme: str, grouped: bool, groups, refs, titles: dict[str, str] | None = None
) -> tuple[CrosswalkGroup, ...]:
    """`titles` gives the title of each reference key that has one."""
    titles = titles or {}

    def entry(prefix: str, key: str, value) -> CrosswalkEntry:
        title = titles.get(key, "") if prefix == "ref" else ""
        return CrosswalkEntry(key, value, scoring.figures.anchor(prefix, scheme, key), title)

    if not grouped:
        return tuple(CrosswalkGroup(entry("ref", key, value), ()) for key, value in refs)
    listed = [
        CrosswalkGroup(
            entry("group", group, value),
            tuple(entry("ref", key, v) for key, v in refs if scoring.reference_group(key) == group),
        )
        for group, value in groups
    ]
    placed = {e.key for g in listed for e in g.references}
    # A reference whose group cannot be told from its normalised text is still listed.
    listed += [CrosswalkGroup(entry("ref", k, v), ()) for k, v in refs if k not in placed]
    return tuple(listed)
