"""Render an assessment's PDF scorecard synchronously, for scripts and cron jobs."""

import time
import uuid
from pathlib import Path

from django.core.management.base import CommandError

from assessments.management.base import AuditedCommand
from assessments.models import Assessment
from assessments.reports.service import render_to_path


class Command(AuditedCommand):
    help = "Render the PDF scorecard of one assessment to a file, without a worker."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", help="The assessment's id (a UUID).")
        parser.add_argument(
            "-o", "--output", required=True, help="Where to write the PDF, e.g. scorecard.pdf."
        )

    def handle(self, *args, assessment_id, output, **options):
        try:
            key = uuid.UUID(assessment_id)
        except ValueError:
            raise CommandError(f"{assessment_id!r} is not an assessment id (a UUID)") from None
        assessment = (
            Assessment.objects.select_related("organisation", "framework").filter(pk=key).first()
        )
        if assessment is None:
            raise CommandError(f"no assessment with id {assessment_id}")
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"the folder {target.parent} does not exist")
        started = time.perf_counter()
        size = render_to_path(assessment=assessment, path=target)
        took = time.perf_counter() - started
        self.stderr.write(f"Wrote {assessment} to {target} ({size:,} bytes in {took:.1f} s)")
