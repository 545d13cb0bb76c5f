"""The public verification page: yes (with four facts and nothing else) for a signed-off
fingerprint, one clear "no" for a changed, unsigned or unknown one, a message for malformed
input, the same for an anonymous visitor and an outsider, and a limit per client address."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import AssessmentStatus, AuditEvent, ScoreSnapshot, SignOff
from assessments.services.revisions import start_revision
from tests.factories import make_assessment, make_framework

pytestmark = pytest.mark.django_db

URL = "/verify/"
SIGNED = "3f1c9a7be204d58e6a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5"
# SIGNED with its last hex digit flipped (5 → 4).
CHANGED = "3f1c9a7be204d58e6a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c4"
UNSIGNED = "0000aaaa1111bbbb2222cccc3333dddd4444eeee5555ffff6666777788889999"
YES = "Yes: this fingerprint belongs to a signed-off scorecard"
NO = "No: this fingerprint does not belong to a signed-off scorecard here"


@pytest.fixture(autouse=True)
def _fresh_counters():
    # The look-up counters live in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed(organisation, owner, auditor):
    """A finalised assessment whose snapshot (score 71.43, tier Managed) an auditor signed."""
    assessment = make_assessment(
        organisation,
        make_framework(),
        title="Fraud detection model",
        status=AssessmentStatus.FINALISED,
        created_by=owner,
    )
    snapshot = ScoreSnapshot.objects.create(
        assessment=assessment,
        methodology_version="1.0",
        catalog_hash="c" * 64,
        result_hash=SIGNED,
        result={"overall": 71.43, "completeness": 88.5, "tier": "Managed"},
    )
    SignOff.objects.create(
        assessment=assessment,
        snapshot=snapshot,
        user=auditor,
        statement="Checked every answer against the evidence.",
        created_at=datetime(2026, 3, 14, 9, 30, tzinfo=UTC),
    )
    return snapshot


@pytest.fixture
def unsigned(organisation, owner):
    assessment = make_assessment(
        organisation, make_framework(slug="second"), title="Chat assistant", created_by=owner
    )
    return ScoreSnapshot.objects.create(
        assessment=assessment,
        methodology_version="1.0",
        catalog_hash="d" * 64,
        result_hash=UNSIGNED,
        result={"overall": 40.0, "tier": "Developing"},
    )


@pytest.fixture(params=["anonymous", "outsider"])
def visitor(request, client):
    """Someone with no business in acme: logged out, or the owner of another organisation."""
    if request.param == "outsider":
        client.force_login(request.getfixturevalue("outsider"))
    return client


def main_text(response) -> str:
    """The page's <main> as a reader sees it: tags dropped, spaces collapsed."""
    html = response.content.decode()
    main = re.search(r"<main\b.*?</main>", html, re.S)
    body = main.group(0) if main else html
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_a_signed_fingerprint_answers_yes_with_the_four_facts(visitor, signed):
    response = visitor.get(URL, {"fingerprint": SIGNED})
    assert response.status_code == 200
    text = main_text(response)
    assert YES in text
    assert "Organisation Acme AI" in text
    assert "Assessment Fraud detection model" in text
    assert "Signed off on 14 March 2026" in text
    assert "Overall tier Managed" in text


def test_the_answer_shows_nothing_more(visitor, signed, auditor, owner):
    response = visitor.get(URL, {"fingerprint": SIGNED})
    html = response.content.decode()
    text = main_text(response)
    for leak in ("71.43", "71,43", "88.5", "Checked every answer", "auditor@audit.example"):
        assert leak not in html, leak
    for leak in (owner.email, str(signed.assessment.pk), "1.0", "c" * 16):
        assert leak not in text, leak
    # Exactly four facts, in a definition list.
    assert re.findall(r"<dt\b[^>]*>([^<]+)</dt>", html) == [
        "Organisation",
        "Assessment",
        "Signed off on",
        "Overall tier",
    ]


def test_a_fingerprint_with_one_digit_changed_answers_no(visitor, signed):
    response = visitor.get(URL, {"fingerprint": CHANGED})
    assert response.status_code == 200
    text = main_text(response)
    assert NO in text
    assert YES not in text
    assert "Acme AI" not in text
    assert "Fraud detection model" not in text


def test_an_unsigned_snapshot_answers_exactly_like_an_unknown_fingerprint(visitor, unsigned):
    unsigned_page = main_text(visitor.get(URL, {"fingerprint": UNSIGNED}))
    unknown_page = main_text(visitor.get(URL, {"fingerprint": "ab" * 32}))
    assert NO in unsigned_page
    assert "Chat assistant" not in unsigned_page
    assert "Developing" not in unsigned_page
    assert unsigned_page.replace(UNSIGNED, "X") == unknown_page.replace("ab" * 32, "X")


def test_upper_case_and_spaces_from_a_copy_are_the_same_fingerprint(client, signed):
    spaced = " ".join(SIGNED[i : i + 16] for i in range(0, 64, 16)).upper()
    assert YES in main_text(client.get(URL, {"fingerprint": f"  {spaced}\n"}))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the fingerprint printed on the scorecard."),
        ("3f1c9a7b", "A fingerprint is 64 characters long; this one has 8."),
        (SIGNED + "0", "A fingerprint is 64 characters long; this one has 65."),
        ("g" + SIGNED[1:], "A fingerprint has only the digits 0–9 and the letters a–f"),
        ("<script>x</script>", "A fingerprint has only the digits 0–9 and the letters a–f"),
        ("a" * 200, "this is far longer. Copy only the fingerprint"),
    ],
)
def test_malformed_input_is_refused_with_a_message_and_changes_nothing(
    visitor, signed, typed, message
):
    before = (SignOff.objects.count(), ScoreSnapshot.objects.count(), AuditEvent.objects.count())
    response = visitor.get(URL, {"fingerprint": typed})
    assert response.status_code == 200
    text = main_text(response)
    assert message in text
    assert YES not in text and NO not in text
    assert "<script>x" not in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    after = (SignOff.objects.count(), ScoreSnapshot.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_the_bare_page_shows_the_form_and_no_answer(client):
    response = client.get(URL)
    assert response.status_code == 200
    text = main_text(response)
    assert "Scorecard fingerprint" in text
    assert YES not in text and NO not in text


def test_the_page_answers_get_only(client, signed):
    assert client.post(URL, {"fingerprint": SIGNED}).status_code == 405


def test_two_assessments_with_the_same_scores_are_both_listed(signed, other_organisation):
    twin = make_assessment(other_organisation, make_framework(slug="twin"), title="Twin model")
    snapshot = ScoreSnapshot.objects.create(
        assessment=twin,
        methodology_version="1.0",
        catalog_hash="c" * 64,
        result_hash=SIGNED,
        result={"overall": 71.43, "tier": "Managed"},
    )
    SignOff.objects.create(
        assessment=twin, snapshot=snapshot, created_at=datetime(2026, 4, 2, tzinfo=UTC)
    )
    from django.test import Client

    text = main_text(Client().get(URL, {"fingerprint": SIGNED}))
    assert "Organisation Acme AI Assessment Fraud detection model" in text
    assert "Organisation Globex Assessment Twin model Signed off on 2 April 2026" in text


def test_the_first_sign_off_gives_the_date(signed, auditor):
    SignOff.objects.create(
        assessment=signed.assessment,
        snapshot=signed,
        user=auditor,
        created_at=datetime(2026, 5, 1, tzinfo=UTC),
    )
    from django.test import Client

    text = main_text(Client().get(URL, {"fingerprint": SIGNED}))
    assert "Signed off on 14 March 2026" in text
    assert "1 May 2026" not in text
    assert text.count("Organisation Acme AI") == 1


def test_a_look_up_costs_one_query_whatever_the_number_of_sign_offs(client, signed, auditor):
    with CaptureQueriesContext(connection) as one:
        client.get(URL, {"fingerprint": SIGNED})
    for day in (2, 3, 4):
        SignOff.objects.create(
            assessment=signed.assessment,
            snapshot=signed,
            created_at=datetime(2026, 6, day, tzinfo=UTC),
        )
    with CaptureQueriesContext(connection) as four:
        client.get(URL, {"fingerprint": SIGNED})
    assert len(one) == 1
    assert len(four) == 1


def test_a_malformed_fingerprint_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(URL, {"fingerprint": "not-a-fingerprint"})


class TestRateLimit:
    @pytest.fixture(autouse=True)
    def _limit(self, settings):
        settings.VERIFY_LOOKUPS_PER_WINDOW = 3
        settings.VERIFY_WINDOW_SECONDS = 600

    def test_the_look_up_past_the_limit_gets_429_and_a_message(self, client, signed):
        for _ in range(3):
            assert client.get(URL, {"fingerprint": SIGNED}).status_code == 200
        response = client.get(URL, {"fingerprint": SIGNED})
        assert response.status_code == 429
        text = main_text(response)
        assert "Too many look-ups" in text
        assert "This address has checked 3 fingerprints within 10 minutes" in text
        assert "Try again later: nothing was looked up." in text
        assert "Acme AI" not in text

    def test_a_refused_look_up_reads_nothing(self, client, signed, django_assert_num_queries):
        for _ in range(3):
            client.get(URL, {"fingerprint": SIGNED})
        with django_assert_num_queries(0):
            assert client.get(URL, {"fingerprint": SIGNED}).status_code == 429

    def test_malformed_look_ups_count_too(self, client):
        for _ in range(3):
            assert client.get(URL, {"fingerprint": "zz"}).status_code == 200
        assert client.get(URL, {"fingerprint": "zz"}).status_code == 429

    def test_each_client_address_has_its_own_count(self, client, signed):
        for _ in range(3):
            client.get(URL, {"fingerprint": SIGNED}, REMOTE_ADDR="198.51.100.7")
        refused = client.get(URL, {"fingerprint": SIGNED}, REMOTE_ADDR="198.51.100.7")
        other = client.get(URL, {"fingerprint": SIGNED}, REMOTE_ADDR="198.51.100.8")
        assert refused.status_code == 429
        assert other.status_code == 200
        assert YES in main_text(other)

    def test_the_empty_form_is_not_counted(self, client, signed):
        for _ in range(5):
            assert client.get(URL).status_code == 200
        assert client.get(URL, {"fingerprint": SIGNED}).status_code == 200

    def test_an_outsider_is_limited_like_anyone(self, client, outsider, signed):
        client.force_login(outsider)
        for _ in range(3):
            client.get(URL, {"fingerprint": SIGNED})
        assert client.get(URL, {"fingerprint": SIGNED}).status_code == 429

    def test_a_new_window_answers_again(self, client, signed, settings):
        settings.VERIFY_WINDOW_SECONDS = 1
        for _ in range(4):
            client.get(URL, {"fingerprint": SIGNED})
        assert client.get(URL, {"fingerprint": SIGNED}).status_code == 429
        time.sleep(1.2)
        assert client.get(URL, {"fingerprint": SIGNED}).status_code == 200


def test_a_signed_fingerprint_still_answers_yes_after_the_assessment_is_reopened(
    client, signed, owner
):
    # Reopening starts a new revision; what was signed off stays signed off.
    new = start_revision(assessment=signed.assessment, user=owner)
    assert new.pk != signed.assessment.pk
    text = main_text(client.get(URL, {"fingerprint": SIGNED}))
    assert YES in text
    assert "Overall tier Managed" in text


def test_fingerprint_look_ups_use_an_index(db):
    # A public page scanning every snapshot would slow down as an instance grows.
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "assessments_scoresnapshot")
    indexed = [c["columns"] for c in constraints.values() if c["index"] and not c["primary_key"]]
    assert ["result_hash"] in indexed
