"""Rescore the finalised assessments of one framework version (adds snapshots, never edits)."""

from django.core.management.base import CommandError

from assessments.management.base import AuditedCommand
from assessments.scoring import rescore_finalised
from assessments.tasks import rescore_framework
from scorecard.models import Framework


class Command(AuditedCommand):
    help = (
        "Score every finalised assessment of a framework version again and record a new "
        "snapshot where the result or the methodology version changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Framework slug, e.g. ai-risk-readiness.")
        parser.add_argument("version", help="Framework version, e.g. 1.0.")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Hand the work to a Celery worker instead of doing it here.",
        )

    def handle(self, *args, slug, version, queue, **options):
        framework = Framework.objects.filter(slug=slug, version=version).first()
        if framework is None:
            raise CommandError(f'framework "{slug}" version "{version}" does not exist')
        if queue:
            rescore_framework.delay(framework.pk)
            self.stdout.write(f"Queued rescoring of {framework}.")
            return
        created = rescore_finalised(framework=framework)
        self.stdout.write(f"{len(created)} new snapshot(s) for {framework}.")
