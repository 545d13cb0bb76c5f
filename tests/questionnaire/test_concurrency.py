"""Two people editing the same page: stale answers are refused one by one, nothing is lost."""

from __future__ import annotations

import pytest
from django.test import Client

from assessments.models import Answer, AnswerChange
from assessments.services.answers import AnswerInput, save_answers
from tests.questionnaire.helpers import (
    form_data,
    load_form,
    name,
    option_key,
    page_url,
    question,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(owner):
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def bob(assessor):
    client = Client()
    client.force_login(assessor)
    return client


def test_stale_answer_is_refused_and_both_values_are_shown(alice, bob, rich, owner):
    framework = rich.framework
    shared = question(framework, "D1-C1.q1")
    bobs_other = question(framework, "D1-C2.q1")
    alice_form = load_form(alice, rich)
    bob_form = load_form(bob, rich)

    alice_form[name(shared, "choice")] = option_key(shared, "Optimised")
    alice_form[name(shared, "comment")] = "Alice checked the runbook."
    assert alice.post(page_url(rich), alice_form).status_code == 302

    bob_form[name(shared, "choice")] = option_key(shared, "Ad hoc")
    bob_form[name(bobs_other, "choice")] = option_key(bobs_other, "Partial")
    response = bob.post(page_url(rich), bob_form)
    assert response.status_code == 200
    html = response.content.decode()

    # Alice's answer stands; Bob's other, non-conflicting answer of the same save is written.
    stored = Answer.objects.get(assessment=rich, question=shared)
    assert (stored.option_label, stored.version, stored.updated_by) == ("Optimised", 1, owner)
    assert Answer.objects.get(assessment=rich, question=bobs_other).option_label == "Partial"

    # The page shows who changed it, their value beside Bob's, and keeps Bob's in the form.
    assert f'id="q{shared.pk}-conflict"' in html
    assert "owner@acme.example" in html
    assert "Optimised" in html and "Ad hoc" in html
    assert "Alice checked the runbook." in html
    again = form_data(html)
    assert again[name(shared, "choice")] == option_key(shared, "Ad hoc")
    assert again[name(shared, "version")] == "1"
    assert again[name(bobs_other, "version")] == "1"

    # Bob saves again, deliberately: now his answer replaces Alice's, and history keeps both.
    assert bob.post(page_url(rich), again).status_code == 302
    stored.refresh_from_db()
    assert (stored.option_label, stored.version) == ("Ad hoc", 2)
    assert Answer.objects.get(assessment=rich, question=bobs_other).version == 1
    history = [c.new["option"] for c in AnswerChange.objects.filter(question=shared)]
    assert history == ["Ad hoc", "Optimised"]


def test_edits_to_different_questions_of_one_page_do_not_conflict(alice, bob, rich):
    framework = rich.framework
    first, second = question(framework, "D1-C1.q1"), question(framework, "D1-C2.q1")
    alice_form, bob_form = load_form(alice, rich), load_form(bob, rich)
    alice_form[name(first, "choice")] = option_key(first, "Optimised")
    bob_form[name(second, "choice")] = option_key(second, "Partial")
    assert alice.post(page_url(rich), alice_form).status_code == 302
    # Bob's page still shows the old, empty answer to Alice's question; he did not touch it.
    assert bob.post(page_url(rich), bob_form).status_code == 302
    assert Answer.objects.get(assessment=rich, question=first).option_label == "Optimised"
    assert Answer.objects.get(assessment=rich, question=second).option_label == "Partial"


def test_the_same_change_by_both_is_no_conflict(alice, bob, rich):
    shared = question(rich.framework, "D1-C1.q1")
    alice_form, bob_form = load_form(alice, rich), load_form(bob, rich)
    for form in (alice_form, bob_form):
        form[name(shared, "choice")] = option_key(shared, "Partial")
    assert alice.post(page_url(rich), alice_form).status_code == 302
    assert bob.post(page_url(rich), bob_form).status_code == 302
    assert Answer.objects.get(assessment=rich, question=shared).version == 1


def test_service_reports_conflicts_and_writes_the_rest(rich, owner, assessor):
    first, second = question(rich.framework, "D1-C1.q1"), question(rich.framework, "D1-C2.q1")
    save_answers(assessment=rich, user=owner, submitted=[AnswerInput(first, "Partial", version=0)])
    result = save_answers(
        assessment=rich,
        user=assessor,
        submitted=[
            AnswerInput(first, "Optimised", version=0),
            AnswerInput(second, "Ad hoc", version=0),
        ],
    )
    assert [c.question.ref for c in result.conflicts] == [first.ref]
    assert result.conflicts[0].current.option_label == "Partial"
    assert result.saved_refs == [second.ref]
    assert Answer.objects.get(assessment=rich, question=first).option_label == "Partial"
