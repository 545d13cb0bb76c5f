"""Native documents to database rows and back, in a fixed number of queries.

Each kind of row is written with one statement (domains once per tree level, since
children need their parent's key): `bulk_create` for rows whose keys later rows need, one
`executemany` for the link rows nobody reads back. So a catalog of a thousand controls
costs the same number of queries as one of ten.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from scorecard.catalog import autonomy, vocabulary
from scorecard.catalog.document import check_document
from scorecard.catalog.problems import CatalogInvalid, Problem
from scorecard.models import (
    CatalogOscal,
    Control,
    ControlMapping,
    ControlPersona,
    ControlRisk,
    Domain,
    Framework,
    FrameworkStatus,
    MappingScheme,
    Option,
    Persona,
    PersonaQuestion,
    Question,
    Risk,
    ScaleOption,
    Term,
    Tier,
    WithdrawnControl,
)


@contextmanager
def _one_statement_per_kind() -> Iterator[None]:
    """Let SQLite take a whole kind in one INSERT.

    Django 5.2 assumes SQLite's historic limit of 999 variables per statement and splits
    larger inserts; SQLite 3.32+ allows 32,766, so ask the library for its real limit.
    Only this connection's features change, and only for the duration of the write.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    features = connection.features
    had_own = "max_query_params" in vars(features)
    previous = features.max_query_params
    features.max_query_params = max(limit, previous)
    try:
        yield
    finally:
        if had_own:
            features.max_query_params = previous
        else:
            del features.max_query_params


def save_document(
    doc: dict[str, Any],
    *,
    status: str = FrameworkStatus.DRAFT,
    derived_from: Framework | None = None,
    progress: Callable[[str], None] | None = None,
) -> Framework:
    """Store a native document as a new framework version and return it.

    The document is validated first (as a draft, or for publishing when `status` is
    published); CatalogInvalid lists every problem and nothing is written. `progress`, if
    given, is told each step as it starts (a background import shows them).
    """
    publishing = status == FrameworkStatus.PUBLISHED
    if status not in (FrameworkStatus.DRAFT, FrameworkStatus.PUBLISHED):
        raise ValueError(f"a new framework version is draft or published, not {status!r}")
    if progress:
        progress("Checking the catalog")
    doc = check_document(doc, for_publish=publishing)
    meta = doc["framework"]
    if progress:
        progress("Writing the new version")
    try:
        with transaction.atomic():
            framework = _create_framework(doc, derived_from=derived_from)
            with _one_statement_per_kind():
                _Writer(framework).write(doc)
            if publishing:
                framework.status = FrameworkStatus.PUBLISHED
                framework.published_at = timezone.now()
                framework.save(update_fields=["status", "published_at", "updated_at"])
    except IntegrityError:
        # Two imports of the same version raced past the existence check.
        if Framework.objects.filter(slug=meta["slug"], version=meta["version"]).exists():
            raise _exists(meta) from None
        raise
    return framework


def _exists(meta: dict) -> CatalogInvalid:
    message = (
        f"{meta['slug']} version {meta['version']} already exists; "
        "choose another version to import it as a new one"
    )
    return CatalogInvalid([Problem("framework.version", message)])


def _create_framework(doc: dict, *, derived_from: Framework | None) -> Framework:
    meta = doc["framework"]
    if Framework.objects.filter(slug=meta["slug"], version=meta["version"]).exists():
        raise _exists(meta)
    return Framework.objects.create(
        slug=meta["slug"],
        name=meta["name"],
        version=meta["version"],
        description=meta["description"],
        source=meta["source"],
        license=meta["license"],
        critical_threshold=doc["critical_threshold"],
        gate_tier=doc.get("gate_tier", ""),
        derived_from=derived_from,
    )


class _Writer:
    def __init__(self, framework: Framework):
        self.framework_id = framework.pk

    def part(self, model, position: int, **fields):
        # Keys rather than objects: a row needs only the key, and an assigned object costs
        # a descriptor call and a check before saving, per row.
        return model(framework_id=self.framework_id, position=position, **fields)

    def row(self, position: int, **fields) -> dict[str, Any]:
        """The column values of a row for `_insert_keyless`, by attname."""
        return {"framework_id": self.framework_id, "position": position, **fields}

    def write(self, doc: dict) -> None:
        part = self.part
        _bulk(ScaleOption, [part(ScaleOption, i, **o) for i, o in enumerate(doc["scale"])])
        _bulk(Tier, [part(Tier, i, **tier) for i, tier in enumerate(doc["tiers"])])
        _bulk(
            MappingScheme,
            [
                part(MappingScheme, i, ref=s["id"], **{k: v for k, v in s.items() if k != "id"})
                for i, s in enumerate(doc["mapping_schemes"])
            ],
        )
        self.write_vocabulary(doc["vocabulary"])
        personas = {
            p["id"]: part(
                Persona,
                i,
                ref=p["id"],
                name=p["name"],
                description=p["description"],
                responsibilities=p["responsibilities"],
                mappings=p["mappings"],
            )
            for i, p in enumerate(doc["personas"])
        }
        _bulk(Persona, personas.values())
        _insert_keyless(
            PersonaQuestion,
            [
                self.row(i, persona_id=personas[p["id"]].pk, text=text)
                for p in doc["personas"]
                for i, text in enumerate(p["questions"])
            ],
        )
        risks = {
            r["id"]: part(Risk, i, ref=r["id"], **{k: v for k, v in r.items() if k != "id"})
            for i, r in enumerate(doc["risks"])
        }
        _bulk(Risk, risks.values())
        controls = self.write_domains(doc["domains"])
        self.write_controls(controls, personas, risks)
        if doc.get("oscal"):
            _bulk(CatalogOscal, [part(CatalogOscal, 0, data=doc["oscal"])])

    def write_vocabulary(self, lists: dict[str, list[dict]]) -> None:
        """Terms level by level (a term's parent needs its key first), positions per kind."""
        pending = [
            (kind, position, term)
            for kind, key in vocabulary.VOCABULARY_KEYS.items()
            for position, term in enumerate(lists[key])
        ]
        written: dict[str, Term] = {}  # component categories by id, the only parents
        while pending:
            level, later = [], []
            for kind, position, term in pending:
                parent = term.get(vocabulary.PARENT_KEYS.get(kind, ""))
                if parent is None or parent in written:
                    level.append((kind, position, term, parent))
                else:
                    later.append((kind, position, term))
            if not level:  # a loop, which validation refuses; never spin on one
                raise ValueError("component categories form a loop")
            rows = [
                self.part(
                    Term,
                    position,
                    kind=kind,
                    ref=term["id"],
                    name=term["name"],
                    description=term["description"],
                    parent_id=written[parent].pk if parent else None,
                    group=term.get("group", ""),
                )
                for kind, position, term, parent in level
            ]
            _bulk(Term, rows)
            written.update(
                (row.ref, row) for row in rows if row.kind == vocabulary.COMPONENT_CATEGORY
            )
            pending = later

    def write_domains(self, top: list[dict]) -> list[tuple[Domain, int, dict]]:
        """Domains level by level; returns (domain row, position, control) for every control."""
        controls: list[tuple[Domain, int, dict]] = []
        level: list[tuple[Domain | None, int, dict]] = [(None, i, d) for i, d in enumerate(top)]
        while level:
            rows = [
                self.part(
                    Domain,
                    position,
                    parent_id=parent.pk if parent else None,
                    ref=d["id"],
                    code=d["code"],
                    name=d["name"],
                    description=d["description"],
                    weight=d["weight"],
                    oscal=d.get("oscal") or {},
                )
                for parent, position, d in level
            ]
            _bulk(Domain, rows)
            next_level: list[tuple[Domain | None, int, dict]] = []
            for row, (_, _, d) in zip(rows, level, strict=True):
                next_level.extend((row, i, child) for i, child in enumerate(d["domains"]))
                controls.extend((row, i, control) for i, control in enumerate(d["controls"]))
            _bulk(
                WithdrawnControl,
                [
                    self.part(
                        WithdrawnControl,
                        entry["position"],
                        domain=row,
                        ref=entry["id"],
                        name=entry["name"],
                        enhances=entry["enhances"],
                        successors=entry["successors"],
                        oscal=entry.get("oscal") or {},
                    )
                    for row, (_, _, d) in zip(rows, level, strict=True)
                    for entry in d.get("withdrawn") or ()
                ],
            )
            level = next_level
        return controls

    def write_controls(self, controls: list, personas: dict, risks: dict) -> None:
        part, row_of = self.part, self.row
        rows = [
            part(
                Control,
                position,
                domain_id=domain.pk,
                ref=c["id"],
                code=c["code"],
                name=c["name"],
                description=c["description"],
                guidance=c["guidance"],
                weight=c["weight"],
                critical=c["critical"],
                **{field: c[field] for field in vocabulary.CONTROL_TERM_FIELDS.values()},
                evidence_autonomy=autonomy.parse_threshold(c["evidence_autonomy"]),
                enhances=c.get("enhances", ""),
                oscal=c.get("oscal") or {},
            )
            for domain, position, c in controls
        ]
        _bulk(Control, rows)
        pairs = list(zip(rows, (c for _, _, c in controls), strict=True))
        _insert_keyless(
            ControlPersona,
            [
                row_of(i, control_id=row.pk, persona_id=personas[ref].pk)
                for row, c in pairs
                for i, ref in enumerate(c["personas"])
            ],
        )
        _insert_keyless(
            ControlRisk,
            [
                row_of(i, control_id=row.pk, risk_id=risks[ref].pk)
                for row, c in pairs
                for i, ref in enumerate(c["risks"])
            ],
        )
        _insert_keyless(
            ControlMapping,
            [
                row_of(i, control_id=row.pk, scheme=scheme, reference=reference)
                for row, c in pairs
                for i, (scheme, reference) in enumerate(
                    (scheme, ref) for scheme, refs in c["mappings"].items() for ref in refs
                )
            ],
        )
        questions = [
            (part(Question, i, control_id=row.pk, **_question_fields(q)), q)
            for row, c in pairs
            for i, q in enumerate(c["questions"])
        ]
        _bulk(Question, [row for row, _ in questions])
        _insert_keyless(
            Option,
            [
                row_of(i, question_id=row.pk, **option)
                for row, q in questions
                for i, option in enumerate(q.get("options", ()))
            ],
        )


def _question_fields(question: dict) -> dict:
    fields = {key: question[key] for key in ("text", "help", "type", "weight", "allow_na")}
    fields["code"] = question["code"]
    return {"ref": question["id"], "evidence": question["evidence"], **fields}


def _bulk(model, rows) -> None:
    rows = list(rows)
    if rows:
        model.objects.bulk_create(rows)


def _insert_keyless(model, rows: list[dict[str, Any]]) -> None:
    """Rows whose keys nobody reads back (links and options), in one executemany.

    bulk_create builds a model instance per row and compiles every value into one
    statement, which was most of the writing time of a thousand-control catalog for
    these rows. The values still pass through each field's own conversion, the write
    guard checks the parent as bulk_create does, and the triggers see a plain insert.
    """
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    names = {field.attname for field in fields}
    unknown = {key for row in rows for key in row} - names
    if unknown or any(getattr(field, "auto_now_add", False) for field in fields):
        raise TypeError(f"{model.__name__} rows cannot be inserted with {sorted(unknown)}")
    model.write_guard.check(row[model.write_guard.parent] for row in rows)
    # The connection itself, not the `connection` proxy, which looks it up on every use.
    db = connections[model.objects.db]
    quote = db.ops.quote_name
    # A key is converted as the field it points to converts it (what ForeignKey does).
    columns_of = [
        (field.attname, field.get_default(), getattr(field, "target_field", field))
        for field in fields
    ]
    values = [
        tuple(
            target.get_db_prep_save(row.get(attname, default), db)
            for attname, default, target in columns_of
        )
        for row in rows
    ]
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
    with db.cursor() as cursor:
        cursor.executemany(sql, values)
