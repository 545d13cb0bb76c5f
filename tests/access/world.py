"""One organisation with every persona and one of everything, plus an outsider's organisation.

Built once per test module inside a transaction that is rolled back afterwards; each
test runs in its own savepoint, so a POST that changes something is undone before the
next test. Canary strings in acme's data let tests prove an outsider never sees it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.audit import record
from assessments.models import (
    AISystem,
    Answer,
    Assessment,
    Evidence,
    EvidenceKind,
    Invitation,
    Membership,
    Organisation,
    Report,
    ReportKind,
    ReportStatus,
    ReviewComment,
    SystemProposal,
    User,
)
from assessments.services.accounts import invite
from scorecard.models import (
    CatalogImport,
    CatalogImportStatus,
    Control,
    Domain,
    Framework,
    Question,
)
from tests.access.effects import fingerprint
from tests.factories import make_assessment, make_framework, make_member, make_organisation

CANARY = "canary-7f3a"  # appears in every piece of acme's data an outsider must not see
EVIDENCE_BYTES = f"%PDF-1.4 evidence {CANARY}-evidence-file".encode()
REPORT_BYTES = f"%PDF-1.4 report {CANARY}-report-file".encode()
OUTSIDER_CANARY = "globex-secret-2b9c"


@dataclass
class Side:
    """One organisation's objects."""

    organisation: Organisation
    assessment: Assessment
    answer: Answer
    evidence: Evidence
    link_evidence: Evidence
    comment: ReviewComment
    report: Report
    system: AISystem | None = None
    proposal: SystemProposal | None = None


@dataclass
class World:
    acme: Side
    globex: Side
    framework: Framework
    users: dict[str, User]
    memberships: dict[str, Membership]
    second_assessment: Assessment
    invitation: Invitation
    invitation_token: str
    catalog_import: CatalogImport | None = None
    # Every table a request may change, as built (tests/access/effects.py).
    initial_fingerprint: dict = field(default_factory=dict)
    _clients: dict = field(default_factory=dict)

    # Shortcuts for the usual targets.
    @property
    def organisation(self) -> Organisation:
        return self.acme.organisation

    @property
    def assessment(self) -> Assessment:
        return self.acme.assessment

    def client(self, persona: str, **options) -> Client:
        """A client logged in as `persona`. Plain clients are reused (building a request
        handler per test is slow); their session is replaced on every call."""
        if options:
            client = Client(**options)
        else:
            client = self._clients.setdefault(persona, Client())
            client.cookies.clear()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client

    def kwargs(self, side: Side | None = None) -> dict:
        """The URL kwarg vocabulary, filled with one organisation's objects (acme's default)."""
        side = side or self.acme
        question = side.answer.question
        control = Control.objects.get(pk=question.control_id)
        domain = Domain.objects.get(pk=control.domain_id)
        viewer = self.users["viewer"]
        return {
            "assessment_id": side.assessment.pk,
            "domain_ref": domain.ref,
            "question_ref": question.ref,
            "evidence_id": side.evidence.pk,
            "report_id": side.report.pk,
            "comment_id": side.comment.pk,
            "membership_id": self.memberships["viewer"].pk
            if side is self.acme
            else self.memberships["outsider"].pk,
            "invitation_id": self.invitation.pk,
            "token": self.invitation_token,
            "framework_id": self.framework.pk,
            "kind": "control",
            "ref": control.ref,
            "fmt": "csv",
            "slug": side.organisation.slug,
            "other_id": self.second_assessment.pk if side is self.acme else side.assessment.pk,
            "uidb64": urlsafe_base64_encode(force_bytes(viewer.pk)),
            "system_id": side.system.pk,
            "proposal_id": side.proposal.pk,
            "import_id": self.catalog_import.pk if self.catalog_import else None,
        }

    def admin_kwargs(self, model=None) -> dict:
        """The vocabulary plus the admin's own kwargs; `object_id` (or `id`) is an
        existing object of `model` (the world has one of every admin-registered model)."""
        values = self.kwargs()
        values.update(app_label="scorecard", url="no-such-admin-page/")
        values["content_type_id"] = ContentType.objects.get_for_model(Organisation).pk
        values["object_id"] = self.organisation.pk
        if model is not None:
            first = model._default_manager.order_by("pk").first()
            values["object_id"] = first.pk if first is not None else "0"
        values["id"] = values["object_id"]
        return values


def _side(slug: str, name: str, framework: Framework, author: User, marker: str) -> Side:
    organisation = Organisation.objects.get(slug=slug)
    assessment = make_assessment(
        organisation,
        framework,
        title=f"{name} fraud model {marker}",
        purpose=f"Purpose {marker}",
        created_by=author,
    )
    question = Question.objects.filter(framework=framework).order_by("position", "pk").first()
    answer = Answer.objects.create(
        assessment=assessment,
        question=question,
        option_label="Partial",
        value=0.5,
        justification=f"Justification {marker}",
        updated_by=author,
    )
    evidence = Evidence(
        assessment=assessment,
        question=question,
        kind=EvidenceKind.FILE,
        filename=f"policy-{marker}.pdf",
        content_type="application/pdf",
        size=len(EVIDENCE_BYTES),
        description=f"Evidence {marker}",
        uploaded_by=author,
    )
    evidence.file.save(
        "upload", ContentFile(EVIDENCE_BYTES.replace(CANARY.encode(), marker.encode())), save=False
    )
    evidence.save()
    link_evidence = Evidence.objects.create(
        assessment=assessment,
        question=question,
        kind=EvidenceKind.LINK,
        url=f"https://wiki.example.org/{marker}",
        description=f"Link {marker}",
        uploaded_by=author,
    )
    comment = ReviewComment.objects.create(
        assessment=assessment, question=question, author=author, body=f"Comment {marker}"
    )
    report = Report(
        id=uuid.uuid4(),
        assessment=assessment,
        requested_by=author,
        status=ReportStatus.DONE,
        size=len(REPORT_BYTES),
    )
    report.file.save(
        "report.pdf",
        ContentFile(REPORT_BYTES.replace(CANARY.encode(), marker.encode())),
        save=False,
    )
    report.save()
    record(
        "assessment.exported",
        actor=author,
        organisation=organisation,
        target=assessment,
        summary=f"Exported {marker}",
    )
    return Side(organisation, assessment, answer, evidence, link_evidence, comment, report)


def _add_system_proposal(side: Side, proposer: User, marker: str) -> None:
    """The side's assessment's system, described, and a pending proposal to rename it."""
    system = side.assessment.system
    system.description = f"Description {marker}"
    system.save()
    side.system = system
    side.proposal = SystemProposal.objects.create(
        organisation=side.organisation,
        system=system,
        data={**system.as_record(), "name": f"{system.name} renamed {marker}"},
        note=f"Proposal {marker}",
        proposed_by=proposer,
    )


def build_world() -> World:
    acme = make_organisation("acme", "Acme AI")
    globex = make_organisation("globex", "Globex")
    users = {
        "owner": make_member(acme, "owner", "owner@acme.example"),
        "assessor": make_member(acme, "assessor", "assessor@acme.example"),
        "viewer": make_member(acme, "viewer", "viewer@acme.example"),
        "auditor": make_member(acme, "auditor", "auditor@audit.example"),
        "outsider": make_member(globex, "owner", "owner@globex.example"),
    }
    catalog_admin = User.objects.create_user(
        email="catalog@scorecard.example", password="not-used-here-9", is_staff=True
    )
    group, _ = Group.objects.get_or_create(name="Catalog editors")
    catalog_admin.groups.add(group)
    users["catalog_admin"] = catalog_admin
    memberships = {
        persona: Membership.objects.get(user=user)
        for persona, user in users.items()
        if persona != "catalog_admin"
    }
    framework = make_framework(withdrawn=True)
    acme_side = _side("acme", "Acme", framework, users["owner"], CANARY)
    globex_side = _side("globex", "Globex", framework, users["outsider"], OUTSIDER_CANARY)
    _add_system_proposal(acme_side, users["assessor"], CANARY)
    _add_system_proposal(globex_side, users["outsider"], OUTSIDER_CANARY)
    second = make_assessment(
        acme, framework, title=f"Acme second system {CANARY}", created_by=users["owner"]
    )
    invitation, token = invite(
        organisation=acme, email="newcomer@acme.example", role="assessor", invited_by=users["owner"]
    )
    # A rendered portfolio PDF of acme, for the portfolio report's status and download.
    portfolio_report = Report(
        id=uuid.uuid4(),
        kind=ReportKind.PORTFOLIO,
        organisation=acme,
        requested_by=users["owner"],
        status=ReportStatus.DONE,
        size=len(REPORT_BYTES),
    )
    portfolio_report.file.save("portfolio.pdf", ContentFile(REPORT_BYTES), save=False)
    portfolio_report.save()
    # One row of each lockout model, so their admin pages have an object to refuse.
    AccessAttempt.objects.create(
        username="someone@example.org", ip_address="192.0.2.1", failures_since_start=1
    )
    AccessLog.objects.create(username="owner@acme.example", ip_address="192.0.2.1")
    AccessFailureLog.objects.create(username="someone@example.org", ip_address="192.0.2.1")
    # A finished background import of the framework, for the admin's progress page.
    catalog_import = CatalogImport.objects.create(
        file_name="catalog.yaml",
        requested_by=catalog_admin,
        status=CatalogImportStatus.DONE,
        framework=framework,
    )
    return World(
        catalog_import=catalog_import,
        acme=acme_side,
        globex=globex_side,
        framework=framework,
        users=users,
        memberships=memberships,
        second_assessment=second,
        invitation=invitation,
        invitation_token=token,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=str(media)),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        built = build_world()
        built.initial_fingerprint = fingerprint()
        yield built
        # Undo everything the world created; each test already ran in its own savepoint.
        transaction.set_rollback(True)
