"""A pytest plugin for `make mutate` (tests/access/mutate_permissions.py loads it with -p).

With SCORECARD_PERMISSION_MUTANT=action:role set, that role's membership in
assessments.access.PERMISSIONS[action] is flipped for the whole run (added if absent,
removed if present), so the access tests can be shown to notice it. Production code is
not edited: the table is patched in the test process only.
"""

import os

import pytest

MUTANT_VARIABLE = "SCORECARD_PERMISSION_MUTANT"


@pytest.fixture(autouse=True, scope="session")
def permission_mutant():
    spec = os.environ.get(MUTANT_VARIABLE)
    if not spec:
        yield None
        return
    # Imported here: plugins given with -p load before pytest-django has set Django up.
    from assessments import access

    action, role = spec.split(":")
    original = access.PERMISSIONS[action]
    access.PERMISSIONS[action] = original ^ {role}
    yield action, role
    access.PERMISSIONS[action] = original
