"""Publishing checks the stored rows against the limits, so an ORM or admin edit cannot
slip a bad number or id into a published version; a refused publish changes nothing."""

import pytest
from django.db import IntegrityError, transaction

from scorecard.catalog.store import save_document
from scorecard.models import (
    Control,
    Domain,
    Framework,
    FrameworkStatus,
    Option,
    Persona,
    Question,
    Tier,
)
from scorecard.services import publish_framework
from tests.catalog.helpers import catalog_row_counts
from tests.catalog.limits_helpers import (
    BAD_IDS,
    BAD_WEIGHTS,
    CHOICE,
    CONTROL,
    DOMAIN,
    ID_RULE,
    INF,
    QUESTION,
    doc,
    refused,
)

pytestmark = pytest.mark.django_db


# --- publishing a draft edited through the ORM --------------------------------------------


@pytest.fixture
def draft() -> Framework:
    return save_document(doc())


def stored(update) -> bool:
    """Run an ORM update; False when the database itself refuses the value (SQLite has no
    NaN, and the catalog tables' check constraints hold weights and values to the limits)."""
    try:
        with transaction.atomic():
            update()
    except IntegrityError:
        return False
    return True


def refused_at_publish(framework: Framework) -> list[str]:
    before = catalog_row_counts()
    lines = refused(publish_framework, framework=framework)
    framework.refresh_from_db()
    assert (framework.status, framework.published_at) == (FrameworkStatus.DRAFT, None)
    assert catalog_row_counts() == before
    return lines


@pytest.mark.parametrize(("weight", "message"), BAD_WEIGHTS)
def test_publishing_refuses_a_weight_set_through_the_orm(draft, weight, message):
    rows = Question.objects.filter(framework=draft, ref="q1")
    if stored(lambda: rows.update(weight=weight)):
        assert refused_at_publish(draft) == [f"{QUESTION}.weight: {message}"]
    else:
        assert rows.get().weight == 1.0
        assert publish_framework(framework=draft).status == FrameworkStatus.PUBLISHED


@pytest.mark.parametrize("value", [-0.1, 1.1])
def test_publishing_refuses_an_option_value_set_through_the_orm(draft, value):
    rows = Option.objects.filter(framework=draft, label="High")
    if stored(lambda: rows.update(value=value)):
        assert refused_at_publish(draft) == [f"{CHOICE}.options[1].value: must be between 0 and 1"]
    else:
        assert rows.get().value == 1.0


@pytest.mark.parametrize(
    ("model", "path"),
    [(Domain, DOMAIN), (Control, CONTROL), (Question, QUESTION)],
)
@pytest.mark.parametrize(("ident", "message"), BAD_IDS)
def test_publishing_refuses_an_id_set_through_the_orm(draft, model, path, ident, message):
    row = model.objects.filter(framework=draft).order_by("position", "pk").first()
    model.objects.filter(pk=row.pk).update(ref=ident)
    assert refused_at_publish(draft) == [f"{path}.id: {message}"]


def test_publishing_refuses_a_persona_id_set_through_the_orm(draft):
    Persona.objects.filter(framework=draft).update(ref="p/1")
    assert refused_at_publish(draft) == [
        f"{CONTROL}.personas[0]: {ID_RULE}",
        f"personas[0].id: {ID_RULE}",
    ]


@pytest.mark.parametrize("score", [INF, 101, -1])
def test_publishing_refuses_tiers_and_threshold_set_through_the_orm(draft, score):
    Tier.objects.filter(framework=draft, name="High").update(min_score=score)
    Framework.objects.filter(pk=draft.pk).update(critical_threshold=score)
    lines = refused_at_publish(draft)
    assert [line.split(":")[0] for line in lines] == ["critical_threshold", "tiers[1].min_score"]


def test_a_draft_inside_the_limits_publishes(draft):
    Question.objects.filter(framework=draft, ref="q1").update(weight=1e6, ref="a.b-c_1")
    assert publish_framework(framework=draft).status == FrameworkStatus.PUBLISHED
