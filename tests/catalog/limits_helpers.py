"""A small valid catalog and checks shared by the tests of the catalog limits."""

import copy

import pytest

from scorecard.catalog import files, native
from scorecard.catalog.problems import CatalogInvalid
from scorecard.models import Framework
from tests.catalog.helpers import catalog_row_counts

NAN, INF = float("nan"), float("inf")
ID_RULE = "may contain only ASCII letters, digits, dots, hyphens and underscores"
WEIGHT_RANGE = "must be greater than 0 and at most 1000000"
BAD_WEIGHTS = [
    (NAN, "must be a finite number, not nan"),
    (INF, "must be a finite number, not inf"),
    (-INF, "must be a finite number, not -inf"),
    (1e308, WEIGHT_RANGE),
    (0, WEIGHT_RANGE),
    (-1, WEIGHT_RANGE),
    (1e6 + 1, WEIGHT_RANGE),
]
BAD_IDS = [("a/b", ID_RULE), ("a b", ID_RULE), ("é", ID_RULE), ("", "must not be empty")]
DOMAIN, CONTROL = "domains[0]", "domains[0].controls[0]"
QUESTION = "domains[0].controls[0].questions[0]"
CHOICE = "domains[0].controls[0].questions[1]"

BASE = {
    "format": "scorecard-catalog/1",
    "framework": {"slug": "limits", "name": "Limits", "version": "1"},
    "scale": [
        {"label": "No", "value": 0},
        {"label": "Half", "value": 0.5},
        {"label": "Yes", "value": 1},
    ],
    "tiers": [{"name": "Low", "min_score": 0}, {"name": "High", "min_score": 60}],
    "critical_threshold": 50,
    "personas": [{"id": "p1", "name": "Persona one"}],
    "risks": [{"id": "r1", "name": "Risk one"}],
    "domains": [
        {
            "id": "d1",
            "name": "Domain",
            "controls": [
                {
                    "id": "c1",
                    "name": "Control",
                    "personas": ["p1"],
                    "risks": ["r1"],
                    "questions": [
                        {"id": "q1", "text": "How far?", "type": "scale"},
                        {
                            "id": "q2",
                            "text": "Which?",
                            "type": "choice",
                            "options": [
                                {"label": "Low", "value": 0},
                                {"label": "High", "value": 1},
                            ],
                        },
                    ],
                }
            ],
        }
    ],
}


def doc() -> dict:
    return copy.deepcopy(BASE)


def at(document: dict, path: str) -> dict:
    """The item at `domains[0].controls[0]`-style path of `document`."""
    node = document
    for part in path.replace("]", "").split("."):
        key, _, index = part.partition("[")
        node = node[key][int(index)] if index else node[key]
    return node


def import_yaml(document: dict) -> Framework:
    # A file as an author writes it: YAML spells NaN and infinity .nan and .inf.
    return files.import_bytes(native.dump_yaml(document).encode(), filename="limits.yaml")


def import_file(data: bytes, name: str) -> Framework:
    return files.import_bytes(data, filename=name)


def refused(load, *args, **kwargs) -> list[str]:
    """The problems `load(...)` raises, sorted, after checking that it wrote nothing."""
    before = catalog_row_counts()
    with pytest.raises(CatalogInvalid) as caught:
        load(*args, **kwargs)
    assert catalog_row_counts() == before
    return sorted(f"{problem.path}: {problem.message}" for problem in caught.value.problems)
