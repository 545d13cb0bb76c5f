"""Give every control of a draft that has no scored question one, from a template."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from scorecard.catalog import defaults
from scorecard.catalog.question_template import generate_questions
from scorecard.models import Framework, FrameworkLocked


class Command(BaseCommand):
    help = (
        "Add one scale question to each control of the draft SLUG VERSION that has no "
        "scored question yet. The texts may name the control as {name} and {id}; controls "
        "that have a scored question are left alone, so running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("catalog_version", metavar="version")
        parser.add_argument("--text", default=defaults.QUESTION_TEXT, help="the question")
        parser.add_argument(
            "--help-text", dest="help_text", default=defaults.QUESTION_HELP, help="its help"
        )
        parser.add_argument("--evidence", default="", help="the evidence expected")

    def handle(self, *args, slug, catalog_version, text, help_text, evidence, **options):
        framework = Framework.objects.filter(slug=slug, version=catalog_version).first()
        if framework is None:
            raise CommandError(f"no framework {slug} version {catalog_version}")
        try:
            created = generate_questions(
                framework=framework, text=text, help=help_text, evidence=evidence
            )
        except FrameworkLocked as locked:
            raise CommandError(" ".join(locked.messages)) from None
        except ValidationError as invalid:
            lines = [f"{field}: {m}" for field, ms in invalid.message_dict.items() for m in ms]
            raise CommandError("nothing was generated:\n" + "\n".join(lines)) from None
        self.stdout.write(
            f"Generated {created} question(s) in {framework}."
            if created
            else f"Every control of {framework} has a scored question; nothing generated."
        )
