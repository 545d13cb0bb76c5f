"""The Celery application. Tasks live in each app's tasks.py and take ids, not objects."""

import os

from celery import Celery

from scorecard.startup import run_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scorecard.settings")


def _load_settings() -> None:
    from django.conf import settings

    # Reading one value loads the settings now, so a worker started with a malformed
    # environment stops with the same one-line error as manage.py.
    settings.INSTALLED_APPS  # noqa: B018


run_or_exit(_load_settings)

app = Celery("scorecard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
