"""Two people acting at the same moment get clean answers: one wins, the other is told why.

These run two real requests in two threads, each with its own database connection, started
together by a barrier. Only PostgreSQL has the row locks the services rely on, so the module
is deselected on SQLite. Each race is run several rounds so that a lucky ordering cannot
make it pass.
"""

from __future__ import annotations

import threading
from functools import partial

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.models import AuditEvent, Invitation, Membership, User
from assessments.services import accounts as service
from tests.factories import make_member, make_organisation

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

ROUNDS = 6
NEW_PASSWORD = "a-brand-new-passphrase-77"


def race(*requests):
    """Run each callable in its own thread, all released at once; return their results."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index, request):
        try:
            barrier.wait(timeout=10)
            results[index] = request()
        except Exception as error:  # the test reports it; a thread must not die silently
            results[index] = error
        finally:
            connection.close()  # this thread's own connection, not the test's

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request hung (deadlock?)"
    return results


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_two_people_using_one_invitation_link_at_once():
    for round_ in range(ROUNDS):
        organisation = make_organisation(f"race-invite-{round_}")
        owner = make_member(organisation, "owner", f"owner{round_}@race.example")
        email = f"new{round_}@race.example"
        _invitation, token = service.invite(
            organisation=organisation, email=email, role="assessor", invited_by=owner
        )
        path = reverse("invitation_accept", kwargs={"token": token})
        form = {"full_name": "New", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        clients = [Client(raise_request_exception=False) for _ in range(2)]
        responses = race(*(partial(c.post, path, form) for c in clients))

        statuses = sorted(r.status_code for r in responses)
        assert statuses == [302, 410], f"round {round_}: {statuses}"
        loser = next(r for r in responses if r.status_code == 410)
        assert b"This invitation has already been used." in loser.content
        assert User.objects.filter(email=email).count() == 1
        assert Membership.objects.filter(organisation=organisation, user__email=email).count() == 1
        invitation = Invitation.objects.get(organisation=organisation)
        assert invitation.accepted_by.email == email
        accepted = AuditEvent.objects.filter(action="invitation.accepted")
        assert accepted.filter(organisation=organisation).count() == 1


def two_owners(round_, label):
    organisation = make_organisation(f"race-{label}-{round_}")
    first = make_member(organisation, "owner", f"first-{label}{round_}@race.example")
    second = make_member(organisation, "owner", f"second-{label}{round_}@race.example")
    return organisation, first, second


def demote(client, membership):
    return client.post(
        reverse("member_role", args=[membership.pk]), {f"m{membership.pk}-role": "viewer"}
    )


def test_two_owners_demoting_each_other_at_once_leaves_one_owner():
    for round_ in range(ROUNDS):
        organisation, first, second = two_owners(round_, "each-other")
        first_m = Membership.objects.get(user=first)
        second_m = Membership.objects.get(user=second)
        responses = race(
            partial(demote, logged_in(first), second_m),
            partial(demote, logged_in(second), first_m),
        )

        statuses = sorted(r.status_code for r in responses)
        # The loser either queued behind the winner's locks and is told so when they are
        # released (409), or arrived after the winner had committed and is refused by the
        # ordinary permission check (403).
        assert statuses in ([302, 403], [302, 409]), f"round {round_}: {statuses}"
        loser = responses[0] if responses[0].status_code != 302 else responses[1]
        if loser.status_code == 409:
            assert b"You are no longer an owner of this organisation" in loser.content
            assert b"Change role" not in loser.content  # the page is drawn for a viewer now
        roles = dict(
            Membership.objects.filter(organisation=organisation).values_list("user", "role")
        )
        assert sorted(roles.values()) == ["owner", "viewer"]
        changed = AuditEvent.objects.filter(organisation=organisation, action="member.role_changed")
        assert changed.count() == 1


def test_two_owners_stepping_down_at_once_keeps_one_owner():
    for round_ in range(ROUNDS):
        organisation, first, second = two_owners(round_, "step-down")
        first_m = Membership.objects.get(user=first)
        second_m = Membership.objects.get(user=second)
        responses = race(
            partial(demote, logged_in(first), first_m),
            partial(demote, logged_in(second), second_m),
        )

        statuses = sorted(r.status_code for r in responses)
        assert statuses == [302, 400], f"round {round_}: {statuses}"
        loser = next(r for r in responses if r.status_code == 400)
        assert b"An organisation needs at least one owner" in loser.content
        owners = Membership.objects.filter(organisation=organisation, role="owner")
        assert owners.count() == 1


def test_an_owner_removing_the_other_while_being_demoted_never_fails():
    for round_ in range(ROUNDS):
        organisation, first, second = two_owners(round_, "remove")
        first_m = Membership.objects.get(user=first)
        second_m = Membership.objects.get(user=second)
        responses = race(
            partial(logged_in(first).post, reverse("member_remove", args=[second_m.pk])),
            partial(demote, logged_in(second), first_m),
        )

        statuses = [r.status_code for r in responses]
        assert 500 not in statuses, f"round {round_}: {statuses}"
        # Whichever came first, exactly one owner is left and nobody lost more than one step.
        owners = Membership.objects.filter(organisation=organisation, role="owner")
        assert owners.count() == 1
        if Membership.objects.filter(pk=second_m.pk).exists():
            # The demotion won; removing was refused, after waiting (409) or at once (403).
            assert statuses in ([403, 302], [409, 302])
            assert owners.get().pk == second_m.pk
        else:
            # The removal won; the demotion found its actor gone: sent home if it was
            # already waiting for the locks, 404 (not a member) if it came after.
            assert statuses[0] == 302
            assert statuses[1] in (302, 404)
            if statuses[1] == 302:
                assert responses[1]["Location"] == reverse("home")
            assert owners.get().pk == first_m.pk
