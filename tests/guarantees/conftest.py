"""Worlds for the below-the-ORM guarantees: a published catalog and a finalised assessment
with one row in every table the triggers protect, built through the real services."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from django.db import IntegrityError, connection, transaction

from assessments.models import (
    Answer,
    AnswerChange,
    DomainAssignment,
    Evidence,
    ReviewComment,
    Role,
    ScoreSnapshot,
    Submission,
)
from assessments.services import evidence, workflow
from scorecard import services
from scorecard.models import (
    CatalogOscal,
    Control,
    ControlMapping,
    Domain,
    Framework,
    Question,
    WithdrawnControl,
)
from tests.factories import make_assessment, make_framework, make_member
from tests.scoring_service.conftest import answer_all

CATALOG_REFUSED = "scorecard guard: rows of a published or retired framework version"
FRAMEWORK_REFUSED = "scorecard guard: a published or retired framework version cannot be changed"
ASSESSMENT_REFUSED = "scorecard guard: a finalised assessment cannot be changed"
PART_REFUSED = "scorecard guard: rows of a finalised assessment cannot be added, changed"
SNAPSHOT_REFUSED = "scorecard guard: score snapshots are never changed or deleted"
AUDIT_REFUSED = "scorecard guard: the audit log is append-only"


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model) -> str:
    return q(model._meta.db_table)


def raw(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def refused(message: str):
    """The statement inside fails with the trigger's message; its savepoint rolls back so
    the test can read the rows afterwards (on PostgreSQL too)."""
    return _Refused(message)


class _Refused:
    def __init__(self, message: str):
        self.raises = pytest.raises(IntegrityError, match=re.escape(message))
        self.atomic = transaction.atomic()

    def __enter__(self):
        self.raises.__enter__()
        self.atomic.__enter__()
        return self

    def __exit__(self, *exc):
        swallowed = self.atomic.__exit__(*exc)
        return self.raises.__exit__(*exc) if not swallowed else True


def row_of(model, pk) -> dict:
    """A row read back through a plain manager, as stored."""
    return model._base_manager.filter(pk=pk).values().get()


def db_pk(model, value):
    """A primary key as the database stores it (UUIDs are hex text on SQLite)."""
    return model._meta.pk.get_db_prep_value(value, connection)


def copy_row(model, pk, **overrides) -> tuple[str, list]:
    """INSERT ... SELECT copying one row under a new primary key, some columns replaced."""
    pk_field = model._meta.pk
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    selected = [f"%s AS {q(c)}" if c in overrides else q(c) for c in columns]
    params = [overrides[c] for c in columns if c in overrides]
    if pk_field.get_internal_type() == "UUIDField":
        columns.insert(0, pk_field.column)
        selected.insert(0, "%s")
        params.insert(0, db_pk(model, uuid.uuid4()))
    sql = (
        f"INSERT INTO {table(model)} ({', '.join(q(c) for c in columns)}) "  # noqa: S608
        f"SELECT {', '.join(selected)} FROM {table(model)} WHERE {q(pk_field.column)} = %s"
    )
    return sql, [*params, db_pk(model, pk)]


@pytest.fixture
def published(db) -> Framework:
    """A published version with a row in every catalog table (mappings included)."""
    framework = make_framework(slug="locked-fw", published=False)
    control = Control.objects.filter(framework=framework).first()
    ControlMapping.objects.create(
        framework=framework, control=control, scheme="nist-ai-rmf", reference="GOVERN-1.1"
    )
    WithdrawnControl.objects.create(
        framework=framework, domain=control.domain, ref="gone-1", name="Gone", position=1
    )
    CatalogOscal.objects.create(framework=framework, data={"uuid": "x"})
    return services.publish_framework(framework=framework)


@dataclass
class Finalised:
    assessment: object
    owner: object
    assessor: object
    auditor: object
    answer: object
    change: object
    evidence: object
    comment: object
    assignment: object
    snapshot: object
    submission: object


@pytest.fixture
def finalised(organisation, framework, owner) -> Finalised:
    """A finalised assessment with one row in each protected table, via the services."""
    assessor = make_member(organisation, Role.ASSESSOR, "assessor@acme.example")
    auditor = make_member(organisation, Role.AUDITOR, "auditor@audit.example")
    assessment = make_assessment(organisation, framework, created_by=owner)
    answer_all(assessment)
    first_q = Question.objects.get(framework=framework, ref="D1-C1.q1")
    change = AnswerChange.objects.create(
        assessment=assessment, question=first_q, changed_by=assessor, old=None, new={"value": 1}
    )
    link = evidence.add_link(
        assessment=assessment, question=first_q, user=assessor, url="https://example.org/policy"
    )
    comment = ReviewComment.objects.create(
        assessment=assessment, question=first_q, author=owner, body="Looks fine.", resolved=True
    )
    assignment = DomainAssignment.objects.create(
        assessment=assessment,
        domain=Domain.objects.get(framework=framework, ref="D1"),
        assignee=assessor,
    )
    workflow.submit(assessment=assessment, user=owner)
    assessment = workflow.finalise(assessment=assessment, user=owner)
    return Finalised(
        assessment=assessment,
        owner=owner,
        assessor=assessor,
        auditor=auditor,
        answer=Answer.objects.get(assessment=assessment, question=first_q),
        change=change,
        evidence=Evidence.objects.get(pk=link.pk),
        comment=comment,
        assignment=assignment,
        snapshot=ScoreSnapshot.objects.get(assessment=assessment),
        submission=Submission.objects.get(assessment=assessment),
    )
