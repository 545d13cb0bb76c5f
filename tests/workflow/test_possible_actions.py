"""The workflow buttons appear only when the action is possible for that person: one helper
(selectors.workflow.possible_actions) decides, checked here against a table written by hand,
and the pages show exactly what it returns."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.selectors.workflow import possible_actions
from assessments.services import workflow
from tests.workflow.helpers import answer_all, set_status

# status -> role -> the actions offered. `signed`, `has_successor` and `has_targets` are
# False here (each has its own test below); start_from is "start a new assessment from it".
TABLE = {
    "draft": {
        "owner": {"submit", "assign", "answer", "scope", "start_from"},
        "assessor": {"submit", "answer", "scope", "start_from"},
        "viewer": set(),
        "auditor": set(),
    },
    "submitted": {
        "owner": {"review", "return", "finalise"},
        "assessor": set(),
        "viewer": set(),
        "auditor": {"review", "return"},
    },
    "in_review": {
        "owner": {"review", "return", "finalise"},
        "assessor": set(),
        "viewer": set(),
        "auditor": {"review", "return"},
    },
    "finalised": {
        "owner": {"reopen", "start_from"},
        "assessor": {"start_from"},
        "viewer": set(),
        "auditor": {"signoff"},
    },
}
CASES = [
    (status, role, expected) for status, row in TABLE.items() for role, expected in row.items()
]


@pytest.mark.parametrize(("status", "role", "expected"), CASES)
def test_actions_follow_the_table(status, role, expected):
    assert possible_actions(status=status, role=role) == frozenset(expected)


def test_an_auditor_who_signed_the_current_score_is_not_offered_sign_off_again():
    assert possible_actions(status="finalised", role="auditor", signed=True) == frozenset()


def test_a_reopened_assessment_offers_no_second_revision():
    assert possible_actions(status="finalised", role="owner", has_successor=True) == {"start_from"}


def test_only_an_owner_of_a_draft_is_offered_another_catalog_version():
    assert "upgrade" in possible_actions(status="draft", role="owner", has_targets=True)
    assert "upgrade" not in possible_actions(status="draft", role="assessor", has_targets=True)
    assert "upgrade" not in possible_actions(status="submitted", role="owner", has_targets=True)


def test_nobody_without_a_membership_is_offered_anything():
    assert possible_actions(status="draft", role=None) == frozenset()


# --- on the pages ---------------------------------------------------------------------------

BUTTONS = {
    "submit": "Submit for review",
    "review": "Review and comment",
    "finalise": "Finalise…",
    "signoff": "Sign off…",
    "reopen": "Start a new revision…",
    "assign": "Assign domains",
    "scope": "Edit the scope",
    "start_from": "Start a new assessment from this one",
}


def shown_buttons(client, assessment, user) -> set[str]:
    client.force_login(user)
    page = client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    return {action for action, label in BUTTONS.items() if label in page}


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "submitted", "in_review"])
@pytest.mark.parametrize("role", ["owner", "assessor", "viewer", "auditor"])
def test_the_overview_shows_the_buttons_of_the_table(client, assessment, status, role, request):
    set_status(assessment, status)
    shown = shown_buttons(client, assessment, request.getfixturevalue(role))
    assert shown == TABLE[status][role] & set(BUTTONS)


@pytest.mark.django_db
def test_sign_off_disappears_once_the_auditor_signed(client, assessment, owner, auditor):
    answer_all(assessment)
    workflow.submit(assessment=assessment, user=owner)
    workflow.finalise(assessment=assessment, user=owner)
    assert shown_buttons(client, assessment, auditor) == {"signoff"}
    workflow.sign_off(assessment=assessment, user=auditor, statement="Seen.")
    assert shown_buttons(client, assessment, auditor) == set()
    assert shown_buttons(client, assessment, owner) == {"reopen", "start_from"}


@pytest.mark.django_db
def test_the_review_page_offers_return_only_to_reviewers(client, assessment, auditor, assessor):
    set_status(assessment, "submitted")
    path = reverse("assessment_review", args=[assessment.pk])
    client.force_login(auditor)
    assert "Return to draft" in client.get(path).content.decode()
    client.force_login(assessor)
    assert "Return to draft" not in client.get(path).content.decode()
