from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    name = "scorecard"
    verbose_name = "Control catalog"

    def ready(self) -> None:
        # Binds @shared_task to our configured app in every Django process.
        from scorecard.celery import app  # noqa: F401
