"""Starting the app does not import the heavy libraries only reports and exports need.

Every `manage.py` command, web worker and Celery worker loads the URL configuration and the
tasks; WeasyPrint alone adds over half a second to each of them. The probe runs in a fresh
interpreter, because this test process has long imported everything.
"""

import json
import os
import subprocess
import sys

HEAVY = ["weasyprint", "openpyxl", "trestle", "pyhanko", "segno"]

PROBE = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # follows every include() down to the views
from scorecard.celery import app
app.autodiscover_tasks(force=True)  # what a worker does at start: import each tasks.py
app.loader.import_default_modules()
heavy = {heavy!r}
loaded_at_start = [name for name in heavy if name in sys.modules]
import assessments.tasks, assessments.views.reports, assessments.reports.service
from assessments.reports import pdf
still_unloaded = [name for name in heavy if name not in sys.modules]
pdf.StaticFilesFetcher  # the first real use brings WeasyPrint in
print(json.dumps({{
    "at_start": loaded_at_start,
    "after_importing_report_modules": still_unloaded,
    "weasyprint_after_use": "weasyprint" in sys.modules,
}}))
"""


def _probe(repo_dir) -> dict:
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "scorecard.settings"}
    environ["PYTHONPATH"] = str(repo_dir)
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY)],
        cwd=repo_dir,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_urls_and_celery_start_without_weasyprint_openpyxl_or_trestle(repo_dir):
    found = _probe(repo_dir)
    assert found["at_start"] == []
    # Importing the report modules themselves is not enough to load the libraries either.
    assert found["after_importing_report_modules"] == HEAVY
    # The probe can see a library arrive: asking for the PDF fetcher class loads WeasyPrint.
    assert found["weasyprint_after_use"] is True
