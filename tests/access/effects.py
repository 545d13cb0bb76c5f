"""What a POST did to the database: a fingerprint of every table the app owns, and the diff.

A refused POST must leave every one of these tables as it was; an allowed POST must make
the change its expectation names (see "changes" in tests/access/__init__.py). Sessions
and the login bookkeeping (`last_login`, django-axes) are left out: logging a persona in
for a request is not the request's own effect.
"""

from __future__ import annotations

from django.apps import apps

from assessments.models import AuditEvent

# Apps whose rows a request may change; django's sessions and axes' logs are not among them.
FINGERPRINT_APPS = ("assessments", "scorecard", "auth")
SKIPPED_FIELDS = {"last_login"}


def _tables():
    for label in FINGERPRINT_APPS:
        for model in apps.get_app_config(label).get_models():
            concrete = model._meta.concrete_fields
            fields = [f.attname for f in concrete if f.name not in SKIPPED_FIELDS]
            yield model, fields


def fingerprint() -> dict[str, frozenset]:
    """{table: rows}, each row the repr of its concrete field values (pk first)."""
    result = {}
    for model, fields in _tables():
        rows = model._default_manager.order_by().values_list(*fields)
        result[model._meta.db_table] = frozenset(repr(row) for row in rows)
    return result


def diff(before: dict, after: dict) -> dict[str, tuple[int, int]]:
    """{table: (rows added, rows removed)} for the tables that differ; a changed row counts
    as one removed and one added."""
    changed = {}
    for table, rows in after.items():
        old = before.get(table, frozenset())
        if rows != old:
            changed[table] = (len(rows - old), len(old - rows))
    return changed


def describe(changes: dict) -> str:
    return ", ".join(f"{t} +{a}/-{r}" for t, (a, r) in sorted(changes.items())) or "nothing"


def audited(action: str):
    """The one audit event a successful action writes, by this persona's user."""

    def check(world, changes, persona):
        assert changes.get("assessments_auditevent", (0, 0))[0] >= 1, describe(changes)
        event = AuditEvent.objects.order_by("-pk").filter(action=action).first()
        assert event is not None, f"no {action!r} audit event"
        assert event.actor_id == world.users[persona].pk

    return check


def effect(*checks):
    """{persona: check} entries for "changes": every check is called with
    (world, changes, persona)."""

    def run(world, changes, persona):
        for check in checks:
            check(world, changes, persona)

    return run


def by(personas, *checks) -> dict:
    run = effect(*checks)
    return {persona: run for persona in personas}
