"""Create the demo organisation and accounts for local use. Safe to run repeatedly."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import transaction

from assessments.management.base import AuditedCommand
from assessments.models import AISystem, Membership, Organisation, Role, User
from assessments.services.systems import create_system
from scorecard.permissions import CATALOG_EDITORS

DEMO_PASSWORD = "demo-scorecard-2026"  # noqa: S105 - published in the README, demo mode only
DEMO_ORG = {"slug": "demo", "name": "Demo Organisation"}
DEMO_USERS = [
    # (e-mail, full name, organisation role or None, catalog admin)
    ("admin@demo.example", "Catalog Admin", None, True),
    ("owner@demo.example", "Olivia Owner", Role.OWNER, False),
    ("assessor@demo.example", "Aaron Assessor", Role.ASSESSOR, False),
    ("auditor@demo.example", "Audrey Auditor", Role.AUDITOR, False),
]
# Two AI systems of the inventory, described in the bundled catalog's terms, so the systems
# list, the portfolio and the scoping of a first assessment have something to show.
DEMO_SYSTEMS = [
    {
        "name": "Customer support chatbot",
        "purpose": "Answers customers' questions about their orders, day and night.",
        "lifecycle_stages": ["deployment", "runtime"],
        "components": ["componentModelServing", "componentApplication",
                       "componentApplicationInputHandling", "componentApplicationOutputHandling"],
        "actor_access": ["external", "user"],
        "impact_types": ["privacy", "reliability"],
        "autonomy_level": 1,
        "personas": ["personaApplicationDeveloper", "personaGovernance"],
    },
    {
        "name": "IT operations agent",
        "purpose": "Restarts failed services and files tickets, within limits on-call staff set.",
        "lifecycle_stages": ["development", "deployment", "runtime"],
        "components": ["componentReasoningCore", "componentTools", "componentMemory",
                       "componentAgentInputHandling", "componentAgentOutputHandling"],
        "actor_access": ["privileged", "agent"],
        "impact_types": ["availability", "integrity"],
        "autonomy_level": 3,
        "personas": ["personaAgenticProvider", "personaGovernance"],
    },
]  # fmt: skip


class Command(AuditedCommand):
    help = "Create the demo organisation 'demo' and its demo accounts (demo mode only)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "seed_demo only runs in demo mode (DEBUG=true or DEMO_MODE=true): "
                "its accounts have published passwords."
            )
        with transaction.atomic():
            org, _ = Organisation.objects.update_or_create(
                slug=DEMO_ORG["slug"], defaults={"name": DEMO_ORG["name"]}
            )
            editors = Group.objects.filter(name=CATALOG_EDITORS).first()
            for email, name, role, catalog_admin in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    email=email, defaults={"full_name": name}
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                user.is_staff = catalog_admin
                user.save()
                if catalog_admin and editors is not None:
                    user.groups.add(editors)
                if role is not None:
                    Membership.objects.update_or_create(
                        user=user, organisation=org, defaults={"role": role}
                    )
            owner = User.objects.get(email="owner@demo.example")
            for described in DEMO_SYSTEMS:
                if not AISystem.objects.filter(organisation=org, name=described["name"]).exists():
                    links = {"description": "", "repository_url": "", "model_card_url": ""}
                    record = {**links, **described, "owner_id": owner.pk}
                    create_system(organisation=org, record=record)
        self.stdout.write(f"Demo organisation '{org.slug}' ready with {len(DEMO_USERS)} accounts.")
