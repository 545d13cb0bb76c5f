"""An outsider cannot read, guess or export anything of another organisation, by any route.

The outsider owns globex. Every URL of the app is tried with acme's ids (read), with
globex's ids and one acme id swapped in (guess), and file downloads are checked for
acme's bytes (export). Acme's data carries a canary string; it must never reach the
outsider, whatever the status code.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.access.walker import discover
from tests.access.world import CANARY, EVIDENCE_BYTES, REPORT_BYTES
from tests.conftest import release

pytestmark = pytest.mark.django_db

# Kwargs that name one organisation's rows. A `token` is left out: it is a secret sent
# by e-mail, so holding it is the permission (tests/accounts covers tampered tokens).
TENANT_KWARGS = (
    "assessment_id",
    "other_id",
    "evidence_id",
    "report_id",
    "comment_id",
    "membership_id",
    "invitation_id",
    "system_id",
    "proposal_id",
)
ACME_ADDRESSES = ("owner@acme.example", "assessor@acme.example", "viewer@acme.example")

APP_ENTRIES = [entry for entry in discover() if not entry.is_admin]
TENANT_ENTRIES = [e for e in APP_ENTRIES if set(e.kwarg_names) & set(TENANT_KWARGS)]
NO_TOKEN_ENTRIES = [e for e in APP_ENTRIES if "token" not in e.kwarg_names]


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    release(response)
    return content


def fetch(client, method: str, path: str, data=None):
    response = client.get(path) if method == "get" else client.post(path, data or {})
    return response, body_of(response)


def assert_nothing_of_acme(body: bytes, where: str) -> None:
    text = body.decode("utf-8", errors="replace")
    assert CANARY not in text, f"{where}: acme's data leaked to the outsider"
    for address in ACME_ADDRESSES:
        assert address not in text, f"{where}: an acme member's address leaked"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("entry", NO_TOKEN_ENTRIES, ids=lambda e: e.id)
def test_outsider_sees_nothing_of_acme_on_any_page(world, entry, method):
    client = world.client("outsider")
    path = entry.path(world.kwargs())
    response, body = fetch(client, method, path)
    assert response.status_code < 500
    assert_nothing_of_acme(body, f"{method.upper()} {path} ({response.status_code})")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("entry", TENANT_ENTRIES, ids=lambda e: e.id)
def test_outsider_gets_404_for_acme_objects(world, entry, method):
    """404, never 403 or 200: the outsider cannot even learn that the object exists."""
    path = entry.path(world.kwargs())
    response, _ = fetch(world.client("outsider"), method, path)
    assert response.status_code in {404, 405}, f"{method.upper()} {path}: {response.status_code}"
    if response.status_code == 405:
        # The other method must then be the one the view serves, and that one is 404.
        other = "post" if method == "get" else "get"
        response, _ = fetch(world.client("outsider"), other, path)
        assert response.status_code == 404, f"{other.upper()} {path}: {response.status_code}"


def _guesses(world, entry):
    """The outsider's own ids with exactly one of acme's ids put in their place."""
    own, acme = world.kwargs(world.globex), world.kwargs()
    for name in set(entry.kwarg_names) & set(TENANT_KWARGS):
        mixed = dict(own, **{name: acme[name]})
        yield name, entry.path(mixed)


@pytest.mark.parametrize("entry", TENANT_ENTRIES, ids=lambda e: e.id)
def test_outsider_cannot_reach_acme_by_mixing_in_its_own_ids(world, entry):
    client = world.client("outsider")
    for name, path in _guesses(world, entry):
        for method in ("get", "post"):
            response, body = fetch(client, method, path)
            assert response.status_code in {404, 405}, (
                f"{method.upper()} {path} (acme's {name}): {response.status_code}"
            )
            assert_nothing_of_acme(body, path)


def _download_path(name: str, world, side) -> str:
    try:
        entry = next(e for e in APP_ENTRIES if e.name == name)
    except StopIteration:
        pytest.fail(f"no URL named {name!r}: downloads must stay covered by this test")
    return entry.path(world.kwargs(side))


@pytest.mark.parametrize(
    ("name", "payload"),
    [("evidence_download", EVIDENCE_BYTES), ("report_download", REPORT_BYTES)],
    ids=["evidence", "report"],
)
def test_outsider_cannot_download_acme_files(world, name, payload):
    acme_path = _download_path(name, world, world.acme)
    # The same URL works for acme's own members, so a 404 below is not a broken URL.
    response, body = fetch(world.client("viewer"), "get", acme_path)
    assert response.status_code == 200 and body == payload
    outsider = world.client("outsider")
    response, body = fetch(outsider, "get", acme_path)
    assert response.status_code == 404
    assert CANARY.encode() not in body
    entry = next(e for e in APP_ENTRIES if e.name == name)
    for kwarg, path in _guesses(world, entry):
        response, body = fetch(outsider, "get", path)
        assert response.status_code == 404, f"{path} (acme's {kwarg})"
        assert CANARY.encode() not in body


def test_outsider_cannot_switch_into_acme(world):
    client = world.client("outsider")
    response = client.post(reverse("org_switch"), {"organisation": "acme"})
    assert response.status_code == 404
    response = client.get(reverse("org_members"))
    assert response.status_code == 200
    assert_nothing_of_acme(response.content, "members page after a refused switch")
    assert b"Globex" in response.content


@pytest.mark.parametrize("name", ["audit_log", "org_members"])
def test_outsider_pages_show_its_own_organisation_only(world, name):
    response = world.client("outsider").get(reverse(name))
    assert response.status_code == 200
    assert b"Globex" in response.content
    assert b"Acme AI" not in response.content
    assert_nothing_of_acme(response.content, reverse(name))
