import pytest

from scorecard.loader import load_catalog, load_vocabulary
from scorecard.models import Framework, FrameworkStatus, Risk
from tests.factories import make_framework


@pytest.fixture
def categorised(db):
    """A published catalog whose four risks fall in two categories: risk1-2 "Data",
    risk3-4 "Model" (risk N is mitigated by the Nth control: D1-C1, D1-C2, D2-C1, D2-C2)."""
    framework = make_framework(slug="portfolio-fw", published=False)
    Risk.objects.filter(framework=framework, ref__in=["risk1", "risk2"]).update(category="Data")
    Risk.objects.filter(framework=framework, ref__in=["risk3", "risk4"]).update(category="Model")
    Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
    framework.refresh_from_db()
    # Warm the catalog caches as a running server has them: query budgets count the page.
    load_catalog(framework)
    load_vocabulary(framework)
    return framework
