"""Small factories shared by the suite. They build rows directly, in bulk where it matters."""

from __future__ import annotations

import itertools

from assessments.models import AISystem, Assessment, Membership, Organisation, Role, User
from scorecard.models import (
    Control,
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

PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105
_counter = itertools.count(1)

SCALE = [
    ("Not started", 0.0),
    ("Ad hoc", 0.25),
    ("Partial", 0.5),
    ("Established", 0.75),
    ("Optimised", 1.0),
]
TIERS = [("Initial", 0), ("Developing", 30), ("Defined", 55), ("Managed", 75), ("Optimised", 90)]


def make_user(email: str | None = None, **extra) -> User:
    email = email or f"user{next(_counter)}@example.org"
    return User.objects.create_user(email=email, password=PASSWORD, **extra)


def make_organisation(slug: str | None = None, name: str | None = None) -> Organisation:
    slug = slug or f"org-{next(_counter)}"
    return Organisation.objects.create(slug=slug, name=name or slug.replace("-", " ").title())


def make_member(organisation: Organisation, role: str, email: str | None = None) -> User:
    user = make_user(email)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_framework(
    *,
    slug: str = "test-fw",
    version: str = "1.0",
    domains: int = 2,
    controls_per_domain: int = 2,
    questions_per_control: int = 2,
    published: bool = True,
    with_personas: bool = True,
    withdrawn: bool = False,
) -> Framework:
    """A complete, valid catalog: scale, tiers, two personas, a risk per control,
    scale/choice/yes_no questions, the first control of each domain critical; with
    `withdrawn`, a withdrawn control after the first domain's controls."""
    framework = Framework.objects.create(
        slug=slug, name=f"Test framework {slug}", version=version, gate_tier="Developing"
    )
    ScaleOption.objects.bulk_create(
        ScaleOption(framework=framework, position=i, label=label, value=value)
        for i, (label, value) in enumerate(SCALE)
    )
    Tier.objects.bulk_create(
        Tier(framework=framework, position=i, name=name, min_score=score)
        for i, (name, score) in enumerate(TIERS)
    )
    personas = []
    if with_personas:
        personas = Persona.objects.bulk_create(
            Persona(framework=framework, position=i, ref=ref, name=name)
            for i, (ref, name) in enumerate(
                [("personaBuilder", "Model builder"), ("personaUser", "Application user")]
            )
        )
        PersonaQuestion.objects.bulk_create(
            PersonaQuestion(framework=framework, persona=p, position=0, text=f"Are you a {p.name}?")
            for p in personas
        )
    domain_rows = Domain.objects.bulk_create(
        Domain(
            framework=framework,
            position=d,
            ref=f"D{d + 1}",
            code=f"DM{d + 1}",
            name=f"Domain {d + 1}",
        )
        for d in range(domains)
    )
    control_rows = Control.objects.bulk_create(
        Control(
            framework=framework,
            domain=domain,
            position=c,
            ref=f"{domain.ref}-C{c + 1}",
            code=f"{domain.code}-{c + 1}",
            name=f"Control {domain.ref}-{c + 1}",
            description=f"What control {domain.ref}-{c + 1} asks for.",
            guidance=f"Steps to improve control {domain.ref}-{c + 1}.",
            critical=c == 0,
        )
        for domain in domain_rows
        for c in range(controls_per_domain)
    )
    if withdrawn:
        WithdrawnControl.objects.create(
            framework=framework,
            domain=domain_rows[0],
            position=controls_per_domain,
            ref=f"{domain_rows[0].ref}-W1",
            name="Withdrawn control",
            successors=[control_rows[0].ref],
        )
    risks = Risk.objects.bulk_create(
        Risk(framework=framework, position=i, ref=f"risk{i + 1}", name=f"Risk {i + 1}")
        for i in range(len(control_rows))
    )
    ControlRisk.objects.bulk_create(
        ControlRisk(framework=framework, control=control, risk=risk)
        for control, risk in zip(control_rows, risks, strict=True)
    )
    if personas:
        # Odd controls belong to the builder persona only; even ones apply to every scope.
        ControlPersona.objects.bulk_create(
            ControlPersona(framework=framework, control=control, persona=personas[0])
            for i, control in enumerate(control_rows)
            if i % 2 == 1
        )
    types = ["scale", "choice", "yes_no"]
    questions = Question.objects.bulk_create(
        Question(
            framework=framework,
            control=control,
            position=q,
            ref=f"{control.ref}.q{q + 1}",
            code=f"{control.code}.{q + 1}",
            text=f"Question {q + 1} about {control.name}?",
            help="What to consider.",
            type=types[q % len(types)],
            allow_na=q == 1,
        )
        for control in control_rows
        for q in range(questions_per_control)
    )
    Option.objects.bulk_create(
        Option(framework=framework, question=question, position=i, label=label, value=value)
        for question in questions
        if question.type == "choice"
        for i, (label, value) in enumerate([("None", 0.0), ("Some", 0.5), ("All", 1.0)])
    )
    _add_vocabulary(framework)
    if published:
        Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
        framework.refresh_from_db()
    return framework


def _add_vocabulary(framework: Framework) -> None:
    """A little of the Risk Map's vocabulary and one mapping scheme, so every catalog table
    has a row (the admin's every-page walk opens one of each)."""
    category = Term.objects.create(
        framework=framework, kind="component_category", ref="componentsModel", name="Model"
    )
    Term.objects.bulk_create(
        [
            Term(
                framework=framework,
                kind="component",
                ref="componentTheModel",
                name="The model",
                parent=category,
            ),
            Term(framework=framework, kind="lifecycle_stage", ref="runtime", name="Runtime"),
        ]
    )
    MappingScheme.objects.create(
        framework=framework, ref="nist-ai-rmf", name="NIST AI RMF", version="1.0"
    )


def make_assessment(organisation: Organisation, framework: Framework, **fields) -> Assessment:
    fields.setdefault("title", f"AI system {next(_counter)}")
    if "system" not in fields:
        fields["system"], _ = AISystem.objects.get_or_create(
            organisation=organisation, name=fields["title"]
        )
    return Assessment.objects.create(organisation=organisation, framework=framework, **fields)


ROLES = (Role.OWNER, Role.ASSESSOR, Role.VIEWER, Role.AUDITOR)
