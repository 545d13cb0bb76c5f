"""Catalog texts a page shows beside a score: a risk's description, examples and references,
and the names and reference titles of the mapping schemes a crosswalk lists."""

from __future__ import annotations

from dataclasses import dataclass, field

from scorecard.catalog.mappings import title_of
from scorecard.catalog.prose import is_safe_link
from scorecard.loader import cached
from scorecard.models import Framework, MappingScheme, Risk


@dataclass(frozen=True)
class Reference:
    id: str
    kind: str
    title: str
    # Empty when the stored address is not one a page may link to.
    url: str


@dataclass(frozen=True)
class RiskDetail:
    description: str
    long_description: str
    examples: str
    references: tuple[Reference, ...]

    @property
    def cited(self) -> list[dict]:
        """The references as the prose filter resolves `{{ref:id}}` citations."""
        return [{"id": r.id, "title": r.title, "url": r.url} for r in self.references]


def risk_detail(framework_id: int, ref: str) -> RiskDetail | None:
    """The texts of one risk of a framework version (one query), or None for no such risk."""
    row = (
        Risk.objects.filter(framework_id=framework_id, ref=ref)
        .values("description", "long_description", "examples", "references")
        .first()
    )
    if row is None:
        return None
    references = tuple(
        Reference(
            id=str(item.get("id", "")),
            kind=str(item.get("type", "")),
            title=str(item.get("title") or item.get("id") or ""),
            url=item["url"] if is_safe_link(item.get("url")) else "",
        )
        for item in row["references"] or ()
        if isinstance(item, dict)
    )
    return RiskDetail(
        description=row["description"],
        long_description=row["long_description"],
        examples=row["examples"],
        references=references,
    )


@dataclass(frozen=True)
class SchemeLabels:
    """What a catalog says of one mapping scheme: its name and its references' titles."""

    name: str = ""
    titles: dict[str, str] = field(default_factory=dict)

    def title(self, reference: str) -> str:
        return title_of({"titles": self.titles}, reference)


def scheme_labels(framework: Framework) -> dict[str, SchemeLabels]:
    """The mapping schemes a framework version lists, by id: one query, or none once a
    published version's are cached."""

    def build() -> dict[str, SchemeLabels]:
        rows = MappingScheme.objects.filter(framework=framework).values("ref", "name", "titles")
        return {
            row["ref"]: SchemeLabels(
                row["name"], row["titles"] if isinstance(row["titles"], dict) else {}
            )
            for row in rows
        }

    return cached(framework, "scheme labels", build)
