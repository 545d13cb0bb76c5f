"""Load the catalogs shipped in fixtures/catalogs/ (placeholder until the importer lands)."""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Import and publish every bundled catalog that is not loaded yet."

    def handle(self, *args, **options):
        found = sorted((settings.BASE_DIR / "fixtures" / "catalogs").glob("*.yaml"))
        self.stdout.write(f"{len(found)} bundled catalog file(s); importer not available yet.")
