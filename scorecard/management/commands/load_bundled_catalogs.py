"""Load the catalogs shipped in fixtures/catalogs/; `make run` calls this on every start."""

from django.core.management.base import BaseCommand, CommandError

from scorecard.catalog.bundled import bundled_paths, load_bundled_file
from scorecard.catalog.problems import CatalogInvalid


class Command(BaseCommand):
    help = "Import and publish every bundled catalog whose slug and version are not loaded yet."

    def handle(self, *args, **options):
        failures: list[str] = []
        for path in bundled_paths():
            try:
                framework, created = load_bundled_file(path)
            except CatalogInvalid as invalid:
                failures.extend(invalid.lines())
                continue
            state = "loaded and published" if created else "already loaded"
            self.stdout.write(f"{path.name}: {framework} {state}")
        if failures:
            # The valid catalogs stay loaded; each bad file was rolled back on its own.
            raise CommandError("bundled catalog(s) not loaded:\n" + "\n".join(failures))
