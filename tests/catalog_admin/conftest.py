"""Users and small catalogs for the catalog admin tests."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from assessments.models import User
from scorecard.models import (
    Control,
    ControlPersona,
    ControlRisk,
    Domain,
    Framework,
    FrameworkStatus,
    Option,
    Persona,
    Question,
    Risk,
    ScaleOption,
    Tier,
)

CATALOG_EDITORS = "Catalog editors"


@dataclass
class Catalog:
    framework: Framework
    domains: list[Domain] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    personas: list[Persona] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)


def build_catalog(
    *,
    slug: str = "demo-catalog",
    version: str = "1.0",
    controls: int = 4,
    domains: int = 2,
    status: str = FrameworkStatus.DRAFT,
) -> Catalog:
    """A publishable catalog written with one bulk_create per kind of row.

    Controls are spread over the domains in turn; every control has one scale question
    and one choice question with two options, and links to the first persona and risk.
    """
    framework = Framework.objects.create(slug=slug, name="Demo catalog", version=version)
    part = {"framework": framework}
    ScaleOption.objects.bulk_create(
        [ScaleOption(**part, position=i, label=f"Level {i}", value=i / 2) for i in range(3)]
    )
    Tier.objects.bulk_create(
        [Tier(**part, name="Starting", min_score=0), Tier(**part, name="Ready", min_score=60)]
    )
    personas = Persona.objects.bulk_create(
        [Persona(**part, position=i, ref=f"persona{i}", name=f"Persona {i}") for i in range(2)]
    )
    risks = Risk.objects.bulk_create(
        [Risk(**part, position=i, ref=f"risk{i}", name=f"Risk {i}") for i in range(2)]
    )
    domain_rows = Domain.objects.bulk_create(
        [Domain(**part, position=i, ref=f"d{i}", name=f"Domain {i}") for i in range(domains)]
    )
    control_rows = Control.objects.bulk_create(
        [
            Control(
                **part,
                domain=domain_rows[i % domains],
                position=i,
                ref=f"c{i}",
                name=f"Control {i}",
            )
            for i in range(controls)
        ]
    )
    ControlPersona.objects.bulk_create(
        [ControlPersona(**part, control=c, persona=personas[0]) for c in control_rows]
    )
    ControlRisk.objects.bulk_create(
        [ControlRisk(**part, control=c, risk=risks[0]) for c in control_rows]
    )
    question_rows = Question.objects.bulk_create(
        [
            Question(**part, control=c, position=k, ref=f"{c.ref}.q{k}", text=f"{kind}?", type=kind)
            for c in control_rows
            for k, kind in enumerate(("scale", "choice"))
        ]
    )
    Option.objects.bulk_create(
        [
            Option(**part, question=q, position=k, label=label, value=k)
            for q in question_rows
            if q.type == "choice"
            for k, label in enumerate(("No", "Yes"))
        ]
    )
    if status != FrameworkStatus.DRAFT:
        # Straight to the state under test; publishing itself is tested through the admin.
        Framework.objects.filter(pk=framework.pk).update(status=status)
        framework.refresh_from_db()
    return Catalog(framework, domain_rows, control_rows, question_rows, personas, risks)


@pytest.fixture
def catalog(db) -> Catalog:
    return build_catalog()


@pytest.fixture
def published(db) -> Catalog:
    return build_catalog(slug="locked-catalog", status=FrameworkStatus.PUBLISHED)


@pytest.fixture
def editor(db) -> User:
    user = User.objects.create_user(email="editor@example.com", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=CATALOG_EDITORS))
    return user


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def staff_client(db) -> Client:
    """Staff, but not a catalog editor."""
    user = User.objects.create_user(email="staff@example.com", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    return client
