"""The Risk Map's vocabulary files as the native document's `vocabulary` and
`mapping_schemes`: components.yaml, lifecycle-stage.yaml, actor-access.yaml, impact-type.yaml
and frameworks.yaml. The files have passed the Risk Map's schemas by the time they get here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Prose = Callable[[Any], str]


def _entries(root: Any, key: str) -> list[dict]:
    items = root.get(key) if isinstance(root, dict) else None
    return [item for item in items or () if isinstance(item, dict)]


def component_lists(data: Any, prose: Prose) -> tuple[list[dict], list[dict]]:
    """(component categories, components). Sub-categories become categories inside their
    category; a component sits in its sub-category, or its category when it names none."""
    categories: list[dict] = []
    seen: set[str] = set()

    def add(entry: dict, parent: str | None) -> None:
        if entry["id"] in seen:
            return
        seen.add(entry["id"])
        categories.append(
            {
                "id": entry["id"],
                "name": entry["title"],
                "description": prose(entry.get("description")),
                "parent": parent,
            }
        )

    for category in _entries(data, "categories"):
        add(category, None)
        for sub in _entries(category, "subcategory"):
            add(sub, category["id"])
    for sub in _entries(data, "subcategory"):  # sub-categories listed outside any category
        add(sub, None)
    components = [
        {
            "id": component["id"],
            "name": component["title"],
            "description": prose(component.get("description")),
            "category": component.get("subcategory") or component.get("category"),
        }
        for component in _entries(data, "components")
    ]
    return categories, components


def lifecycle_stages(data: Any) -> list[dict]:
    stages = _entries(data, "lifecycleStages")
    # The file gives each stage its place (`order`); stages without one keep file order, last.
    ordered = sorted(
        enumerate(stages),
        key=lambda pair: (pair[1].get("order") is None, pair[1].get("order") or 0, pair[0]),
    )
    return [_plain_term(stage) for _, stage in ordered]


def grouped_terms(data: Any, key: str) -> list[dict]:
    """Actor access levels or impact types, with the Risk Map's category as their group."""
    return [
        {**_plain_term(entry), "group": entry.get("category") or ""}
        for entry in _entries(data, key)
    ]


def _plain_term(entry: dict) -> dict:
    return {
        "id": entry["id"],
        "name": entry["title"],
        "description": " ".join(str(entry.get("description") or "").split()),
    }


def mapping_schemes(data: Any) -> list[dict]:
    return [
        {
            "id": framework["id"],
            "name": framework["name"],
            "full_name": framework.get("fullName") or "",
            "description": framework.get("description") or "",
            "version": framework.get("version") or "",
            "version_id": framework.get("versionId") or "",
            "supersedes": framework.get("supersedes") or "",
            "prior_versions": list(framework.get("priorVersions") or ()),
            "base_uri": framework.get("baseUri") or "",
            "document_uri": framework.get("documentUri") or "",
            "technique_uri_pattern": framework.get("techniqueUriPattern") or "",
            "last_updated": framework.get("lastUpdated") or "",
            "applies_to": list(framework.get("applicableTo") or ()),
        }
        for framework in _entries(data, "frameworks")
    ]
