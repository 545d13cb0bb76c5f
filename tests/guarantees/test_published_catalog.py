"""A published or retired framework version is refused every write below the ORM too; the
legitimate moves (publish, retire, new draft from a version) keep working."""

import pytest

from scorecard import services
from scorecard.models import (
    CatalogOscal,
    Control,
    ControlMapping,
    ControlPersona,
    ControlRisk,
    Domain,
    Framework,
    FrameworkLocked,
    FrameworkStatus,
    MappingScheme,
    Option,
    Persona,
    PersonaQuestion,
    Question,
    Risk,
    ScaleOption,
    Term,
    Tier,
    WithdrawnControl,
)
from tests.factories import make_framework
from tests.guarantees.conftest import (
    CATALOG_REFUSED,
    FRAMEWORK_REFUSED,
    copy_row,
    raw,
    refused,
    row_of,
    table,
)

pytestmark = pytest.mark.django_db

CATALOG_MODELS = [
    ScaleOption,
    Tier,
    Persona,
    PersonaQuestion,
    Risk,
    Domain,
    Control,
    ControlPersona,
    ControlRisk,
    ControlMapping,
    Question,
    Option,
    Term,
    MappingScheme,
    WithdrawnControl,
    CatalogOscal,
]
by_name = pytest.mark.parametrize("model", CATALOG_MODELS, ids=lambda m: m.__name__)


def first_row(model, framework):
    return model.objects.filter(framework=framework).order_by("pk").first()


@by_name
def test_raw_update_of_a_published_catalog_row_is_refused(published, model):
    row = first_row(model, published)
    before = row_of(model, row.pk)
    with refused(CATALOG_REFUSED):
        raw(f"UPDATE {table(model)} SET position = position + 7 WHERE id = %s", [row.pk])  # noqa: S608
    assert row_of(model, row.pk) == before


@by_name
def test_raw_delete_of_a_published_catalog_row_is_refused(published, model):
    row = first_row(model, published)
    before = row_of(model, row.pk)
    with refused(CATALOG_REFUSED):
        raw(f"DELETE FROM {table(model)} WHERE id = %s", [row.pk])  # noqa: S608
    assert row_of(model, row.pk) == before


@by_name
def test_raw_insert_into_a_published_version_is_refused(published, model):
    count = model.objects.filter(framework=published).count()
    with refused(CATALOG_REFUSED):
        raw(*copy_row(model, first_row(model, published).pk))
    assert model.objects.filter(framework=published).count() == count


@by_name
def test_moving_a_draft_row_under_a_published_version_is_refused(published, model):
    draft = services.new_draft_from(framework=published, version="2.0")
    row = first_row(model, draft)
    with refused(CATALOG_REFUSED):
        raw(f"UPDATE {table(model)} SET framework_id = %s WHERE id = %s", [published.pk, row.pk])  # noqa: S608
    assert row_of(model, row.pk)["framework_id"] == draft.pk


def test_draft_rows_stay_free_below_the_orm(db):
    draft = make_framework(slug="draft-fw", published=False)
    domain = first_row(Domain, draft)
    assert raw(f"UPDATE {table(Domain)} SET name = %s WHERE id = %s", ["Renamed", domain.pk]) == 1  # noqa: S608
    assert Domain.objects.get(pk=domain.pk).name == "Renamed"


def test_base_manager_update_of_a_published_version_is_refused(published):
    names = sorted(Domain.objects.filter(framework=published).values_list("name", flat=True))
    with refused(CATALOG_REFUSED):
        Domain._base_manager.filter(framework=published).update(name="Changed")
    assert sorted(Domain.objects.filter(framework=published).values_list("name", flat=True)) == (
        names
    )


def test_upsert_into_a_published_version_is_refused_with_the_domain_error(published):
    with pytest.raises(FrameworkLocked):
        Domain.objects.bulk_create(
            [Domain(framework=published, ref="D1", name="Upserted")],
            update_conflicts=True,
            unique_fields=["framework", "ref"],
            update_fields=["name"],
        )
    assert Domain.objects.get(framework=published, ref="D1").name == "Domain 1"


def test_upsert_colliding_with_a_published_row_from_a_draft_object_is_refused(published):
    # The object names a draft, but the row it collides with (same question and label)
    # belongs to the published version: the guard checks the rows an upsert rewrites.
    draft = make_framework(slug="draft-fw", published=False)
    option = Option.objects.filter(framework=published, label="Some").order_by("pk").first()
    sneaky = Option(framework=draft, question_id=option.question_id, label="Some", value=0.9)
    with pytest.raises(FrameworkLocked):
        Option.objects.bulk_create(
            [sneaky],
            update_conflicts=True,
            unique_fields=["question", "label"],
            update_fields=["value"],
        )
    with refused(CATALOG_REFUSED):
        Option._base_manager.bulk_create(
            [sneaky],
            update_conflicts=True,
            unique_fields=["question", "label"],
            update_fields=["value"],
        )
    assert Option.objects.get(pk=option.pk).value == 0.5


def test_raw_edit_of_a_published_framework_row_is_refused(published):
    before = row_of(Framework, published.pk)
    with refused(FRAMEWORK_REFUSED):
        raw(f"UPDATE {table(Framework)} SET name = %s WHERE id = %s", ["Other", published.pk])  # noqa: S608
    with refused(FRAMEWORK_REFUSED):
        raw(f"UPDATE {table(Framework)} SET status = 'draft' WHERE id = %s", [published.pk])  # noqa: S608
    with refused(FRAMEWORK_REFUSED):
        # Retiring is allowed, but not while changing anything else.
        raw(
            f"UPDATE {table(Framework)} SET status = 'retired', critical_threshold = 10 "  # noqa: S608
            "WHERE id = %s",
            [published.pk],
        )
    with refused(FRAMEWORK_REFUSED):
        raw(f"DELETE FROM {table(Framework)} WHERE id = %s", [published.pk])  # noqa: S608
    assert row_of(Framework, published.pk) == before


def test_taking_a_published_version_back_to_draft_is_refused_on_every_path(published):
    with pytest.raises(FrameworkLocked, match="is published and cannot be changed"):
        Framework.objects.filter(pk=published.pk).update(status=FrameworkStatus.DRAFT)
    with refused(FRAMEWORK_REFUSED):
        Framework._base_manager.filter(pk=published.pk).update(status=FrameworkStatus.DRAFT)
    assert Framework.objects.get(pk=published.pk).status == FrameworkStatus.PUBLISHED


def test_deleting_a_published_version_is_refused_below_the_orm(published):
    with refused(CATALOG_REFUSED):
        # The collector deletes the parts first; their trigger refuses.
        Framework._base_manager.filter(pk=published.pk).delete()
    assert Domain.objects.filter(framework=published).count() == 2


def test_retired_version_cannot_come_back(published):
    retired = services.retire_framework(framework=published)
    with refused(FRAMEWORK_REFUSED):
        raw(f"UPDATE {table(Framework)} SET status = 'published' WHERE id = %s", [retired.pk])  # noqa: S608
    assert Framework.objects.get(pk=retired.pk).status == FrameworkStatus.RETIRED
    with refused(CATALOG_REFUSED):
        raw(f"UPDATE {table(Tier)} SET min_score = 1 WHERE framework_id = %s", [retired.pk])  # noqa: S608


# --- the legitimate moves -------------------------------------------------------------------


def test_publishing_a_draft_still_works(db):
    draft = make_framework(slug="to-publish", published=False)
    published = services.publish_framework(framework=draft)
    stored = Framework.objects.get(pk=draft.pk)
    assert published.status == stored.status == FrameworkStatus.PUBLISHED
    assert stored.published_at is not None


def test_retiring_a_published_version_still_works_and_below_the_orm_too(published, framework):
    services.retire_framework(framework=published)
    assert Framework.objects.get(pk=published.pk).status == FrameworkStatus.RETIRED
    # The trigger allows the bare status move published -> retired for raw SQL as well.
    retire = f"UPDATE {table(Framework)} SET status = 'retired' WHERE id = %s"  # noqa: S608
    assert raw(retire, [framework.pk]) == 1
    assert Framework.objects.get(pk=framework.pk).status == FrameworkStatus.RETIRED


def test_new_draft_from_a_published_version_copies_and_can_be_edited(published):
    copy = services.new_draft_from(framework=published, version="2.0")
    assert copy.status == FrameworkStatus.DRAFT
    for model in CATALOG_MODELS:
        assert model.objects.filter(framework=copy).count() == (
            model.objects.filter(framework=published).count()
        ), model.__name__
    assert Domain.objects.filter(framework=copy).update(name="Edited") == 2
    assert set(Domain.objects.filter(framework=published).values_list("name", flat=True)) == {
        "Domain 1",
        "Domain 2",
    }


def test_deleting_a_draft_version_still_removes_its_rows(db):
    draft = make_framework(slug="to-delete", published=False)
    draft.delete()
    assert not Framework.objects.filter(pk=draft.pk).exists()
    assert not Question.objects.filter(framework_id=draft.pk).exists()
