"""Import a catalog file (or a CoSAI Risk Map or FINOS folder) as a new framework version."""

from django.core.management.base import BaseCommand, CommandError

from scorecard.catalog.files import IMPORT_FORMATS, import_path
from scorecard.catalog.mappings import untitled_references
from scorecard.catalog.problems import CatalogInvalid
from scorecard.catalog.stored_document import framework_to_document
from scorecard.models import Control, Question

SHOWN = 10


class Command(BaseCommand):
    help = (
        "Import PATH as a new draft (or, with --publish, published) framework version. "
        "The format is guessed when --format is left out: a folder with _mitigations (in it "
        "or in its docs folder) is the FINOS AI Governance Framework, any other folder a "
        "CoSAI Risk Map, a file with a top-level `catalog` or `profile` is OSCAL, one with "
        "`matrices` MITRE ATLAS, anything else the native format. "
        "The last line of output is `SLUG VERSION`."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Django's own --version (its release) gives way to the catalog version option.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=IMPORT_FORMATS, dest="fmt")
        parser.add_argument("--publish", action="store_true", help="publish it right away")
        parser.add_argument(
            "--version",
            dest="catalog_version",
            help="version to import as (default: from the file, for ATLAS its ATLAS version; "
            "for a CoSAI Risk Map rm-<commit> and for FINOS finos-<commit> from "
            "SOURCE_COMMIT, else import-<date>)",
        )
        parser.add_argument("--slug", help="slug to import as (default: from the file)")
        parser.add_argument(
            "--catalog",
            action="append",
            default=[],
            dest="catalogs",
            help="the OSCAL catalog an OSCAL profile imports, to resolve the profile against",
        )

    def handle(self, *args, path, fmt, publish, catalog_version, slug, catalogs, **options):
        try:
            framework = import_path(
                path,
                fmt=fmt,
                publish=publish,
                slug=slug,
                version=catalog_version,
                catalogs=catalogs,
            )
        except CatalogInvalid as invalid:
            lines = invalid.lines()
            raise CommandError(
                f"{path} was not imported ({len(lines)} problem(s)):\n" + "\n".join(lines)
            ) from None
        controls = Control.objects.filter(framework=framework)
        unanswerable = controls.exclude(questions__type__in=["scale", "choice", "yes_no"])
        questions = Question.objects.filter(framework=framework).count()
        self.stdout.write(
            f"Imported {framework} as {framework.get_status_display().lower()}: "
            f"{controls.count()} controls, {questions} questions."
        )
        missing = unanswerable.count()
        if missing:
            self.stdout.write(
                f"{missing} control(s) have no scored question yet; add them before publishing."
            )
        self._untitled(framework)
        self.stdout.write(f"{framework.slug} {framework.version}")

    def _untitled(self, framework) -> None:
        """Name the references kept without a title: their scheme's list lacks them."""
        untitled = untitled_references(framework_to_document(framework))
        if untitled:
            shown = ", ".join(f"{scheme} {ref}" for scheme, ref in untitled[:SHOWN])
            more = f" and {len(untitled) - SHOWN} more" if len(untitled) > SHOWN else ""
            self.stdout.write(
                f"{len(untitled)} mapping reference(s) are not in their scheme's list of "
                f"titles and are kept without one: {shown}{more}."
            )
