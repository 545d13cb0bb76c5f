"""Create a draft assessment from a `scorecard-assessment/1` JSON document."""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from assessments.management.base import AuditedCommand
from assessments.models import Organisation, User
from assessments.services.transfer import (
    DocumentError,
    import_assessment_document,
    parse_document,
)


class Command(AuditedCommand):
    help = (
        "Import an exported assessment into an organisation as a new draft. "
        "Prints the new assessment's id as the last line; writes nothing if the file is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file, or - to read standard input.")
        parser.add_argument("--organisation", required=True, help="Slug of the organisation.")
        parser.add_argument("--user", help="E-mail of the user recorded as the importer.")

    def handle(self, *args, file, organisation, user, **options):
        organisation_row = Organisation.objects.filter(slug=organisation).first()
        if organisation_row is None:
            raise CommandError(f'no organisation with slug "{organisation}"')
        user_row = None
        if user:
            user_row = User.objects.filter(email__iexact=user).first()
            if user_row is None:
                raise CommandError(f'no user with e-mail "{user}"')
        try:
            raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from None
        try:
            assessment = import_assessment_document(
                document=parse_document(raw), organisation=organisation_row, user=user_row
            )
        except DocumentError as exc:
            count = len(exc.errors)
            lines = "\n".join(f"  {error}" for error in exc.errors)
            raise CommandError(
                f"{file}: nothing imported, {count} problem{'s' if count != 1 else ''}:\n{lines}"
            ) from None
        self.stdout.write(f"Imported {assessment} into {organisation_row.slug} as a draft.")
        self.stdout.write(str(assessment.pk))
