from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ScorecardConfig(AppConfig):
    name = "scorecard"
    verbose_name = "Control catalog"

    def ready(self) -> None:
        # Binds @shared_task to our configured app in every Django process.
        from scorecard.celery import app  # noqa: F401
        from scorecard.permissions import ensure_catalog_editors

        # Auth connected its own post_migrate handler first, so the permissions exist by then.
        post_migrate.connect(
            ensure_catalog_editors, sender=self, dispatch_uid="scorecard-catalog-editors"
        )
