"""Whatever a file holds, validation answers with problems and never crashes."""

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.catalog.document import normalise_document, validate_document
from scorecard.catalog.native import read_data_file
from tests.catalog.helpers import SMALL

BASE = read_data_file(SMALL)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.one_of(st.text(max_size=4), st.integers()), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _paths(child, (*path, index))


PATHS = [path for path in _paths(BASE) if path]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), values), min_size=1, max_size=4))
def test_any_value_anywhere_is_reported_not_crashed_on(replacements):
    doc = copy.deepcopy(BASE)
    for path, value in replacements:
        node = doc
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed this path
    problems = validate_document(doc)
    if not problems:
        # Whatever passes validation must also be storable in normal form.
        assert normalise_document(doc)["format"] == "scorecard-catalog/1"
    assert all(problem.path and problem.message for problem in problems)
