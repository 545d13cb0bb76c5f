"""Builders for catalog documents of any size, for the catalog tests and benchmarks."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from django.apps import apps

DATA = Path(__file__).parent / "data"
SMALL = DATA / "small-catalog.yaml"


def generated_document(controls: int, *, slug: str = "generated", version: str = "1") -> dict:
    """A valid native document with `controls` controls over 5 domains, 3 questions each."""
    domains = [
        {"id": f"D{d}", "name": f"Domain {d}", "domains": [], "controls": []} for d in range(5)
    ]
    for n in range(controls):
        domains[n % 5]["controls"].append(
            {
                "id": f"C-{n}",
                "name": f"Control {n}",
                "description": f"What control {n} asks for.",
                "personas": ["p1"] if n % 2 else [],
                "risks": ["r1", "r2"],
                "mappings": {"scheme-a": [f"A.{n}"]},
                "questions": [
                    {"id": f"C-{n}.1", "text": "How far?", "type": "scale"},
                    {"id": f"C-{n}.2", "text": "Is it done?", "type": "yes_no"},
                    {
                        "id": f"C-{n}.3",
                        "text": "Which level?",
                        "type": "choice",
                        "options": [{"label": "Low", "value": 0}, {"label": "High", "value": 1}],
                    },
                ],
            }
        )
    return {
        "format": "scorecard-catalog/1",
        "framework": {"slug": slug, "name": "Generated", "version": version},
        "scale": [{"label": "No", "value": 0}, {"label": "Yes", "value": 1}],
        "tiers": [{"name": "Low", "min_score": 0}, {"name": "High", "min_score": 50}],
        "personas": [{"id": "p1", "name": "Persona one", "questions": ["Are you one?"]}],
        "risks": [{"id": "r1", "name": "Risk one"}, {"id": "r2", "name": "Risk two"}],
        "domains": [d for d in domains if d["controls"]],
    }


def generated_oscal(controls: int, *, enhancements_every: int = 4) -> dict[str, Any]:
    """An OSCAL catalog of `controls` controls in 10 groups; some controls have enhancements."""
    groups = [{"id": f"g{g}", "title": f"Group {g}", "controls": []} for g in range(10)]
    made = 0
    while made < controls:
        group = groups[made % 10]
        control: dict[str, Any] = {
            "id": f"c-{made}",
            "title": f"Control {made}",
            "params": [{"id": f"c-{made}_prm_1", "label": "a period"}],
            "props": [{"name": "label", "value": f"C {made}"}],
            "parts": [
                {
                    "id": f"c-{made}_smt",
                    "name": "statement",
                    "prose": f"Review item {made} every {{{{ insert: param, c-{made}_prm_1 }}}}.",
                },
                {"id": f"c-{made}_gdn", "name": "guidance", "prose": "Keep records."},
            ],
        }
        made += 1
        if made % enhancements_every == 0 and made < controls:
            control["controls"] = [{"id": f"c-{made}", "title": f"Enhancement {made}"}]
            made += 1
        group["controls"].append(control)
    return {
        "catalog": {
            "uuid": "8d4a1f5e-2b7c-4e1a-9c3d-6f0b2a4e8c11",
            "metadata": {
                "title": "Generated catalog",
                "last-modified": "2026-01-01T00:00:00+00:00",
                "version": "1.0",
                "oscal-version": "1.1.2",
            },
            "groups": groups,
        }
    }


def catalog_row_counts() -> dict[str, int]:
    """Rows of every catalog table, to show that a refused import or publish wrote nothing.

    A CatalogImport row is a record of an import, not part of a catalog, so it is left out."""
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("scorecard").get_models()
        if model.__name__ != "CatalogImport"
    }


def without(doc: dict, *keys: str) -> dict:
    copied = copy.deepcopy(doc)
    for key in keys:
        copied.pop(key, None)
    return copied
