"""Database triggers that keep locked rows locked whatever writes them.

The ORM guards (`scorecard.models.guard`, the models' save/delete) give the friendly error;
these triggers make the same promises hold for raw SQL, `_base_manager` writes and upserts.
One `Rule` describes a promise once and renders it for both databases:

- PostgreSQL: a django-pgtrigger `Trigger` registered on the model, so `makemigrations`
  writes (and `--check` watches) the plpgsql;
- SQLite: `BEFORE` triggers ending in `RAISE(ABORT, ...)`. Their SQL is frozen as text in a
  migration (the live columns would not match an older schema); `sqlite_statements()`
  renders it from the rules, and a test compares it with what the database holds.

Both raise an integrity error (SQLSTATE 23000 on PostgreSQL, SQLITE_CONSTRAINT on SQLite),
so Django surfaces `django.db.utils.IntegrityError` with the rule's message on both.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import pgtrigger
from django.db import IntegrityError, models
from django.db.backends.signals import connection_created

PREFIX = "scorecard guard: "
POSTGRES, SQLITE = "postgresql", "sqlite"


@dataclass(frozen=True)
class Rule:
    """Writes to a table refused while `locked` holds for the row (`{row}` is OLD or NEW).

    `check_new_on_update`: an update is also refused when the row's new version is locked
    (a row moved under a locked parent). `allow_update(model, dialect)` renders the one
    exception an update of a locked row may still take, or is None.
    """

    name: str
    message: str
    locked: str
    insert: bool = True
    update: bool = True
    delete: bool = True
    check_new_on_update: bool = True
    allow_update: object = None


def _same(dialect: str) -> str:
    return "IS NOT DISTINCT FROM" if dialect == POSTGRES else "IS"


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def unchanged_except(model, dialect: str, *columns: str) -> str:
    """Every column but `columns` keeps its value."""
    same = _same(dialect)
    kept = [c for c in _columns(model) if c not in columns]
    return " AND ".join(f'OLD."{c}" {same} NEW."{c}"' for c in kept)


def only_nulled(*columns: str):
    """The update only sets some of `columns` to NULL: what ON DELETE SET NULL does when the
    row a foreign key points at (a user) is deleted."""

    def render(model, dialect: str) -> str:
        same = _same(dialect)
        nulled = [f'(NEW."{c}" IS NULL OR NEW."{c}" {same} OLD."{c}")' for c in columns]
        return " AND ".join([unchanged_except(model, dialect, *columns), *nulled])

    return render


def parent_locked(parent_table: str, fk_column: str, locked_where: str) -> str:
    # Built from model metadata and literals in this code base, never from input.
    return (
        f'EXISTS (SELECT 1 FROM "{parent_table}" AS parent '  # noqa: S608
        f'WHERE parent."id" = {{row}}."{fk_column}" AND {locked_where})'
    )


# --- PostgreSQL -------------------------------------------------------------------------------


def _raise_pg(rule: Rule) -> str:
    return (
        f"RAISE EXCEPTION USING MESSAGE = '{PREFIX}{rule.message}', "
        "ERRCODE = 'integrity_constraint_violation';"
    )


def pg_function(rule: Rule, model) -> str:
    locked_old, locked_new = rule.locked.format(row="OLD"), rule.locked.format(row="NEW")
    parts = []
    if rule.insert:
        parts.append(f"IF TG_OP = 'INSERT' AND ({locked_new}) THEN {_raise_pg(rule)} END IF;")
    if rule.update:
        locked = f"({locked_old})" + (f" OR ({locked_new})" if rule.check_new_on_update else "")
        allowed = rule.allow_update(model, POSTGRES) if rule.allow_update else "FALSE"
        parts.append(
            f"IF TG_OP = 'UPDATE' AND ({locked}) AND NOT ({allowed}) THEN {_raise_pg(rule)} END IF;"
        )
    if rule.delete:
        parts.append(f"IF TG_OP = 'DELETE' AND ({locked_old}) THEN {_raise_pg(rule)} END IF;")
    parts.append("IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW;")
    return " ".join(parts)


def pg_trigger(rule: Rule, model) -> pgtrigger.Trigger:
    operations = [
        op
        for op, wanted in (
            (pgtrigger.Insert, rule.insert),
            (pgtrigger.Update, rule.update),
            (pgtrigger.Delete, rule.delete),
        )
        if wanted
    ]
    operation = operations[0]
    for op in operations[1:]:
        operation = operation | op
    return pgtrigger.Trigger(
        name=rule.name, when=pgtrigger.Before, operation=operation, func=pg_function(rule, model)
    )


# --- SQLite -----------------------------------------------------------------------------------


def sqlite_trigger_names(rule: Rule, model) -> list[str]:
    table = model._meta.db_table
    return [
        f"{rule.name}_{table}_{op}"
        for op, wanted in (
            ("insert", rule.insert),
            ("update", rule.update),
            ("delete", rule.delete),
        )
        if wanted
    ]


def sqlite_triggers(rule: Rule, model) -> list[str]:
    table = model._meta.db_table
    locked_old, locked_new = rule.locked.format(row="OLD"), rule.locked.format(row="NEW")
    conditions = {}
    if rule.insert:
        conditions["insert"] = locked_new
    if rule.update:
        locked = f"({locked_old})" + (f" OR ({locked_new})" if rule.check_new_on_update else "")
        allowed = rule.allow_update(model, SQLITE) if rule.allow_update else "0"
        conditions["update"] = f"({locked}) AND NOT ({allowed})"
    if rule.delete:
        conditions["delete"] = locked_old
    return [
        f'CREATE TRIGGER "{rule.name}_{table}_{op}" BEFORE {op.upper()} ON "{table}" '
        f"FOR EACH ROW WHEN {SQLITE_SWITCH}() AND ({condition}) "
        f"BEGIN SELECT RAISE(ABORT, '{PREFIX}{rule.message}'); END"
        for op, condition in conditions.items()
    ]


# Emptying the whole database (`flush`, which the transactional tests run after each test)
# deletes published and audit rows by design. PostgreSQL flushes with TRUNCATE, which fires
# no row trigger; SQLite flushes with DELETE, so its triggers ask this connection function
# first. It exists only on connections Django opens, and says "off" only while Django
# flushes; raw SQL cannot turn it off.
SQLITE_SWITCH = "scorecard_guards_on"


def _install_sqlite_switch(sender, connection, **kwargs) -> None:
    if connection.vendor != SQLITE:
        return
    connection.connection.create_function(
        SQLITE_SWITCH, 0, lambda: 0 if getattr(connection, "scorecard_flushing", False) else 1
    )
    ops = connection.ops
    if getattr(ops, "scorecard_flush_switch", False):
        return
    flush = ops.execute_sql_flush

    def execute_sql_flush(sql_list):
        connection.scorecard_flushing = True
        try:
            return flush(sql_list)
        finally:
            connection.scorecard_flushing = False

    ops.execute_sql_flush = execute_sql_flush
    ops.scorecard_flush_switch = True


connection_created.connect(_install_sqlite_switch, dispatch_uid="scorecard-sqlite-guard-switch")


# --- registration -----------------------------------------------------------------------------

REGISTERED: list[tuple[Rule, type[models.Model]]] = []


def protect(rule: Rule, *targets: type[models.Model]) -> None:
    """Attach the rule to each model: as a pgtrigger trigger, and for `sqlite_statements`."""
    for model in targets:
        pg_trigger(rule, model).register(model)
        REGISTERED.append((rule, model))


def sqlite_statements(app_label: str) -> list[str]:
    """The CREATE TRIGGER statements of an app's rules, as a migration freezes them."""
    return [
        statement
        for rule, model in REGISTERED
        if model._meta.app_label == app_label
        for statement in sqlite_triggers(rule, model)
    ]


def sqlite_names(app_label: str) -> list[str]:
    return [
        name
        for rule, model in REGISTERED
        if model._meta.app_label == app_label
        for name in sqlite_trigger_names(rule, model)
    ]


def only_set_null(model, dialect: str) -> str:
    """The update only does what ON DELETE SET NULL does to this table's foreign keys (e.g.
    deleting a user nulls `updated_by`); a table without such keys allows no update."""
    columns = [
        f.column
        for f in model._meta.concrete_fields
        if f.is_relation and f.remote_field.on_delete is models.SET_NULL
    ]
    if not columns:
        return "FALSE" if dialect == POSTGRES else "0"
    return only_nulled(*columns)(model, dialect)


def refused_by(exc: BaseException, rule: Rule) -> bool:
    """Whether a database error is this rule's trigger refusing a write."""
    return f"{PREFIX}{rule.message}" in str(exc)


@contextmanager
def translated(error_factory, *rules: Rule):
    """Raise the domain error instead of the database's when one of the rules refused."""
    try:
        yield
    except IntegrityError as exc:
        if any(refused_by(exc, rule) for rule in rules):
            raise error_factory() from exc
        raise
