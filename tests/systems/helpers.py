"""A catalog with every kind of term a system is described with, and a filled-in record."""

from __future__ import annotations

from assessments.models.systems import RECORD_FIELDS
from scorecard.models import Framework, FrameworkStatus, Term
from tests.factories import make_framework


def inventory_framework(slug: str = "inv") -> Framework:
    """make_framework's vocabulary (category Model > component The model; stage Runtime)
    plus a second component, a second stage, actor access and impact types."""
    framework = make_framework(slug=slug, published=False)
    category = Term.objects.get(framework=framework, ref="componentsModel")
    Term.objects.bulk_create(
        [
            Term(
                framework=framework,
                kind="component",
                ref="componentServing",
                name="Model serving",
                parent=category,
                position=1,
            ),
            Term(framework=framework, kind="lifecycle_stage", ref="retirement", name="Retirement"),
            Term(framework=framework, kind="actor_access", ref="externalApi", name="External API"),
            Term(framework=framework, kind="impact_type", ref="privacy", name="Privacy"),
            Term(framework=framework, kind="impact_type", ref="safety", name="Safety"),
        ]
    )
    Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
    framework.refresh_from_db()
    return framework


def record(**fields) -> dict:
    """A system record with every field empty but those given."""
    base = {name: [] for name in RECORD_FIELDS}
    base.update(
        name="",
        owner_id=None,
        description="",
        purpose="",
        autonomy_level=None,
        repository_url="",
        model_card_url="",
    )
    base.update(fields)
    return base


def form_data(**fields) -> dict:
    """A POST body of the system form (lists stay lists; None is left out)."""
    data = {"name": "Fraud scorer", "owner": "", "autonomy_level": ""}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}
