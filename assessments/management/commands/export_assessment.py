"""Write one assessment as a `scorecard-assessment/1` JSON document (answers and scores)."""

import json
import uuid
from pathlib import Path

from django.core.management.base import CommandError

from assessments.management.base import AuditedCommand
from assessments.models import Assessment
from assessments.services.transfer import export_assessment_document


class Command(AuditedCommand):
    help = "Export an assessment's answers and scores as JSON (to stdout unless -o is given)."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", help="The assessment's id (a UUID).")
        parser.add_argument("--format", choices=["json"], default="json", dest="fmt")
        parser.add_argument("-o", "--output", help="Write to this file instead of stdout.")

    def handle(self, *args, assessment_id, fmt, output, **options):
        try:
            key = uuid.UUID(assessment_id)
        except ValueError:
            raise CommandError(f"{assessment_id!r} is not an assessment id (a UUID)") from None
        assessment = Assessment.objects.select_related("framework").filter(pk=key).first()
        if assessment is None:
            raise CommandError(f"no assessment with id {assessment_id}")
        text = json.dumps(export_assessment_document(assessment), indent=2, ensure_ascii=False)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Wrote {assessment} to {output}")
        else:
            self.stdout.write(text)
