import os

from scorecard.startup import run_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scorecard.settings")


def _load():
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


application = run_or_exit(_load)
