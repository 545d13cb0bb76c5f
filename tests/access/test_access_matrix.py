"""Every URL × every persona × GET and POST gets the status its expectation names.

URLs come from walking the URLconf (tests/access/walker.py); expectations from every
tests/access/expect_*.py module (format: tests/access/__init__.py). A URL without an
expectation fails here, so a new view cannot ship without stating who may use it.

A URL whose expectation lists "variants" is requested once per variant (each export
format, each kind of "why" page, each questionnaire domain, and unknown values). Every
POST starts from the world as built (checked by fingerprint), and is then checked for its
effect: a refused POST changes no row; an allowed one makes the change its "changes" entry
asserts, and a persona without such an entry changes nothing.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, reverse

import tests.access as access_package
from tests.access import PERSONAS, Permitted
from tests.access.effects import describe as describe_changes
from tests.access.effects import diff, fingerprint
from tests.access.walker import Entry, discover
from tests.conftest import release

pytestmark = pytest.mark.django_db

METHODS = ("get", "post")


def load_expectations() -> tuple[dict, list, list[str]]:
    """Merge EXPECT and RULES of every expect_*.py module; report clashes as problems."""
    merged: dict = {}
    owners: dict = {}
    rules: list = []
    problems: list[str] = []
    folder = Path(access_package.__file__).parent
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda i: i.name):
        if not info.name.startswith("expect_"):
            continue
        module = importlib.import_module(f"tests.access.{info.name}")
        for name, spec in getattr(module, "EXPECT", {}).items():
            if name in merged:
                problems.append(f"{name!r} is in both {owners[name]} and {info.name}")
            merged[name] = spec
            owners[name] = info.name
        rules.extend(getattr(module, "RULES", []))
    return merged, rules, problems


EXPECT, RULES, MERGE_PROBLEMS = load_expectations()


def with_variants(entries: list[Entry]) -> list[Entry]:
    """One entry per variant named in the expectations (the walker gives one per pattern)."""
    result = []
    for entry in entries:
        variants = EXPECT.get(entry.name, {}).get("variants") if entry.name else None
        if not variants:
            result.append(entry)
            continue
        for variant in variants:
            result.append(replace(entry, variant=tuple(sorted(variant["kwargs"].items()))))
    return result


ENTRIES = with_variants(discover())
CASES = [
    pytest.param(entry, method, persona, id=f"{entry.id}|{method}|{persona}")
    for entry in ENTRIES
    for method in METHODS
    for persona in PERSONAS
]


def spec_for(entry: Entry) -> dict:
    """The expectation of this URL, with the fields of its variant (if any) laid over it."""
    spec = EXPECT.get(entry.name, {}) if entry.name else {}
    for variant in spec.get("variants", ()):
        if tuple(sorted(variant["kwargs"].items())) == entry.variant:
            return {**spec, **variant}
    return spec


def expectation(entry: Entry, method: str, persona: str, world):
    spec = spec_for(entry) if entry.name else None
    if spec is not None and ("get" in spec or "post" in spec):
        statuses = spec.get(method)
        if statuses is None:
            return None
        return statuses.get(persona, statuses.get("*"))
    for rule in RULES:
        expected = rule(entry, method, persona, world)
        if expected is not None:
            return expected
    return None


def url_for(entry: Entry, world) -> str:
    spec = EXPECT.get(entry.name, {}) if entry.name else {}
    kwargs = world.admin_kwargs(entry.admin_model) if entry.is_admin else world.kwargs()
    for key, value in spec.get("kwargs", {}).items():
        kwargs[key] = value(world) if callable(value) else value
    kwargs.update(dict(entry.variant))
    missing = [name for name in entry.kwarg_names if name not in kwargs]
    assert not missing, (
        f"{entry.id}: URL kwargs {missing} are not in the vocabulary (brief) — rename them, "
        "or give values under 'kwargs' in the expectation"
    )
    return entry.path(kwargs)


def post_data(entry: Entry, world) -> dict:
    spec = spec_for(entry)
    data = spec.get("data", {})
    return data(world) if callable(data) else data


def _target(location: str) -> str:
    return urlsplit(location).path


def _login_paths() -> set[str]:
    paths = {reverse("login")}
    with contextlib.suppress(NoReverseMatch):
        paths.add(reverse("admin:login"))
    return paths


def describe(response) -> str:
    where = f" → {response.get('Location')}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


def check(response, expected, method: str) -> bool:
    status = response.status_code
    if isinstance(expected, Permitted):
        if 200 <= status < 300 or (status == 403 and expected.forbidden_ok):
            return True
        if 300 <= status < 400:
            return _target(response["Location"]) not in _login_paths()
        return status == 405 and method != "get"
    if isinstance(expected, tuple):
        code, where = expected
        if status != code or not response.has_header("Location"):
            return False
        target = _target(response["Location"])
        if where.startswith("/"):
            return target.startswith(where)
        return target == reverse(where)
    return status == expected


def request(world, entry: Entry, method: str, persona: str, client=None):
    client = client or world.client(persona)
    url = url_for(entry, world)
    send = client.get if method == "get" else client.post
    response = send(url, post_data(entry, world) if method == "post" else None)
    release(response)  # file downloads stream; release the file
    return response


def test_expectation_modules_do_not_clash():
    assert not MERGE_PROBLEMS, "\n".join(MERGE_PROBLEMS)


def test_every_expectation_names_a_real_url():
    names = {entry.name for entry in ENTRIES if entry.name}
    stale = sorted(set(EXPECT) - names)
    assert not stale, f"expectations for URL names that do not exist: {stale}"


def test_every_url_is_named_and_covered(world):
    unnamed = [e.route for e in ENTRIES if not e.name and not e.is_admin]
    uncovered = sorted(
        {
            entry.id
            for entry in ENTRIES
            for method in METHODS
            for persona in PERSONAS
            if expectation(entry, method, persona, world) is None
        }
    )
    assert not unnamed, f"give these URL patterns a name: {unnamed}"
    assert not uncovered, (
        "no access expectation for these URLs (add them to tests/access/expect_<area>.py): "
        f"{uncovered}"
    )


@pytest.mark.parametrize(("entry", "method", "persona"), CASES)
def test_access(world, entry, method, persona):
    expected = expectation(entry, method, persona, world)
    assert expected is not None, (
        f"{entry.id}: no {method.upper()} expectation for {persona} (see tests/access/__init__.py)"
    )
    spec = spec_for(entry)
    if method == "post":
        # The world is shared by the module: each case must find it as it was built.
        assert fingerprint() == world.initial_fingerprint, "an earlier case left a change behind"
    if "setup" in spec:
        spec["setup"](world)
    client = world.client(persona)  # logging in is audited: not the request's own effect
    before = fingerprint() if method == "post" else None
    response = request(world, entry, method, persona, client)
    assert check(response, expected, method), (
        f"{method.upper()} {url_for(entry, world)} as {persona}: "
        f"expected {expected!r}, got {describe(response)}"
    )
    if method == "get" and response.status_code == 200 and "content_type" in spec:
        assert response["Content-Type"] == spec["content_type"]
    if method == "get" and persona in spec.get("shows", {}):
        shown, text = spec["shows"][persona], spec["text"]
        assert (text in response.content.decode()) is shown, f"{text!r} shown: {not shown}"
    if method == "post":
        changes = diff(before, fingerprint())
        effect = spec.get("changes", {}).get(persona)
        if effect is None:
            assert not changes, f"POST as {persona} changed {describe_changes(changes)}"
        else:
            assert changes, f"POST as {persona} was allowed but changed nothing"
            effect(world, changes, persona)
