"""Create the demo organisation and accounts for local use. Safe to run repeatedly."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import transaction

from assessments.management.base import AuditedCommand
from assessments.models import Membership, Organisation, Role, User
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
        self.stdout.write(f"Demo organisation '{org.slug}' ready with {len(DEMO_USERS)} accounts.")
