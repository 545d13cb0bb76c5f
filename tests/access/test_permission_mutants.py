"""The access matrix fails when the permission table changes (a sample; `make mutate`
runs all 72 flips of one role in one action, see tests/access/mutate_permissions.py)."""

import pytest

from assessments import access
from tests.access import test_access_matrix as matrix
from tests.access.mutate_permissions import ACTION_URLS, ROLES

pytestmark = pytest.mark.django_db

ACTIONS = (
    "view",
    "create",
    "answer",
    "submit",
    "assign",
    "review",
    "reply",
    "thread",
    "finalise",
    "reopen",
    "upgrade",
    "signoff",
    "export",
    "render",
    "audit_log",
    "manage_members",
    "manage_systems",
    "propose_systems",
)

# (action, role flipped, URL name, method): one mutant each, and a case that must notice it.
SAMPLE = [
    ("export", "viewer", "assessment_export", "get"),  # removed: the viewer loses exports
    ("manage_members", "assessor", "member_role", "post"),  # added: an assessor changes roles
    ("finalise", "owner", "assessment_finalise", "post"),  # removed
    ("signoff", "viewer", "assessment_signoff", "post"),  # added
    ("thread", "auditor", "review_comment_resolve", "post"),  # removed
    ("answer", "viewer", "evidence_delete", "post"),  # added: a viewer deletes evidence
    ("reply", "assessor", "my_work", "get"),  # removed: the page stops listing the thread
    ("render", "viewer", "report_request", "post"),  # added: a viewer queues renders
    ("render", "auditor", "scorecard", "get"),  # removed: the auditor's button disappears
    ("manage_systems", "assessor", "proposal_accept", "post"),  # added: an assessor accepts
    ("propose_systems", "viewer", "system_propose", "get"),  # added: a viewer proposes
]


def _entry(name: str):
    return next(e for e in matrix.ENTRIES if e.name == name)


def test_the_mutation_script_covers_every_action_for_every_role():
    assert tuple(ACTION_URLS) == ACTIONS
    assert ROLES == ("owner", "assessor", "viewer", "auditor")
    # Only the names are compared: which roles hold them is what the matrix checks.
    assert set(access.PERMISSIONS) == set(ACTIONS)


@pytest.mark.parametrize(("action", "role", "name", "method"), SAMPLE)
def test_the_matrix_passes_as_is(world, action, role, name, method):
    matrix.test_access(world, _entry(name), method, role)


@pytest.mark.parametrize(("action", "role", "name", "method"), SAMPLE)
def test_the_matrix_fails_when_one_role_is_flipped(world, monkeypatch, action, role, name, method):
    monkeypatch.setitem(access.PERMISSIONS, action, access.PERMISSIONS[action] ^ {role})
    with pytest.raises(AssertionError):
        matrix.test_access(world, _entry(name), method, role)
