"""Export a framework version as native YAML or as an OSCAL catalog."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from scorecard.catalog.files import EXPORT_FORMATS, export_framework, oscal_left_out
from scorecard.models import Framework, FrameworkStatus


class Command(BaseCommand):
    help = (
        "Export framework SLUG (by default its latest published version, else its latest "
        "version) to standard output or to -o FILE."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Django's own --version (its release) gives way to the catalog version option.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--version", dest="catalog_version", help="version to export")
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="native", dest="fmt")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, slug, catalog_version, fmt, output, **options):
        framework = _pick(slug, catalog_version)
        text = export_framework(framework, fmt=fmt)
        # OSCAL has no field for much of a catalog; say what did not fit, read back to check.
        left_out = oscal_left_out(framework, text) if fmt == "oscal" else []
        if left_out:
            self.stderr.write(
                f"The OSCAL export leaves out {len(left_out)} field(s): " + ", ".join(left_out)
            )
        if not output:
            self.stdout.write(text, ending="")
            return
        _write_atomically(Path(output), text)
        self.stdout.write(f"Wrote {framework} to {output}")
        if fmt == "oscal" and not left_out:
            self.stdout.write(
                "Nothing was left out: reading the export back gives the same catalog."
            )


def _pick(slug: str, version: str | None) -> Framework:
    versions = Framework.objects.filter(slug=slug)
    if version:
        found = versions.filter(version=version).first()
        if found is None:
            known = ", ".join(versions.values_list("version", flat=True)) or "none"
            raise CommandError(f"{slug} has no version {version} (versions: {known})")
        return found
    found = (
        versions.filter(status=FrameworkStatus.PUBLISHED).order_by("-published_at", "-pk").first()
        or versions.order_by("-created_at", "-pk").first()
    )
    if found is None:
        raise CommandError(f"no framework with the slug {slug}")
    return found


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the target and rename, so a failed export leaves no half-written file."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CommandError(f"{path}: the folder {directory} does not exist")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
