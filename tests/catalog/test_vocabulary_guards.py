"""The vocabulary and mapping schemes of a published version are locked like every catalog
table: raw SQL cannot add, change, move or remove them, nor change the Risk Map fields on
its controls, risks and personas; drafts stay free and a new draft copies them all."""

import pytest
from django.db import IntegrityError, transaction

from scorecard import services
from scorecard.catalog.native import read_data_file
from scorecard.catalog.store import save_document
from scorecard.models import (
    Control,
    FrameworkLocked,
    FrameworkStatus,
    MappingScheme,
    Persona,
    Risk,
    Term,
)
from tests.catalog.helpers import DATA
from tests.guarantees.conftest import CATALOG_REFUSED, copy_row, q, raw, refused, row_of, table

pytestmark = pytest.mark.django_db

NEW_TABLES = [Term, MappingScheme]
by_name = pytest.mark.parametrize("model", NEW_TABLES, ids=lambda m: m.__name__)


@pytest.fixture
def published():
    return save_document(
        read_data_file(DATA / "riskmap-fields.yaml"), status=FrameworkStatus.PUBLISHED
    )


def first_row(model, framework):
    return model.objects.filter(framework=framework).order_by("pk").first()


@by_name
def test_raw_update_of_a_published_row_is_refused(published, model):
    row = first_row(model, published)
    before = row_of(model, row.pk)
    with refused(CATALOG_REFUSED):
        raw(f"UPDATE {table(model)} SET name = 'Changed' WHERE id = %s", [row.pk])  # noqa: S608
    assert row_of(model, row.pk) == before


@by_name
def test_raw_delete_of_a_published_row_is_refused(published, model):
    row = first_row(model, published)
    with refused(CATALOG_REFUSED):
        raw(f"DELETE FROM {table(model)} WHERE id = %s", [row.pk])  # noqa: S608
    assert model.objects.filter(pk=row.pk).exists()


@by_name
def test_raw_insert_into_a_published_version_is_refused(published, model):
    count = model.objects.filter(framework=published).count()
    with refused(CATALOG_REFUSED):
        raw(*copy_row(model, first_row(model, published).pk, ref="newRef"))
    assert model.objects.filter(framework=published).count() == count


@by_name
def test_moving_a_draft_row_under_a_published_version_is_refused(published, model):
    draft = services.new_draft_from(framework=published, version="2")
    row = first_row(model, draft)
    with refused(CATALOG_REFUSED):
        raw(f"UPDATE {table(model)} SET framework_id = %s WHERE id = %s", [published.pk, row.pk])  # noqa: S608
    assert row_of(model, row.pk)["framework_id"] == draft.pk


# New values as SQL expressions: a JSON column takes another JSON column of the row, which
# needs no cast on either database.
@pytest.mark.parametrize(
    ("model", "column", "expression"),
    [
        (Control, "components", q("lifecycle_stages")),
        (Control, "evidence_autonomy", "5"),
        (Risk, "references", q("mappings")),
        (Risk, "long_description", "'Rewritten'"),
        (Persona, "responsibilities", q("mappings")),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_raw_update_of_a_risk_map_field_of_a_published_row_is_refused(
    published, model, column, expression
):
    row = first_row(model, published)
    before = row_of(model, row.pk)
    with refused(CATALOG_REFUSED):
        raw(f"UPDATE {table(model)} SET {q(column)} = {expression} WHERE id = %s", [row.pk])  # noqa: S608
    assert row_of(model, row.pk) == before


def test_the_orm_refuses_with_the_domain_error(published):
    term = first_row(Term, published)
    term.name = "Changed"
    with pytest.raises(FrameworkLocked):
        term.save()
    with pytest.raises(FrameworkLocked):
        MappingScheme.objects.filter(framework=published).update(name="x")
    with pytest.raises(FrameworkLocked):
        Term.objects.filter(framework=published).delete()


def test_draft_rows_stay_free_and_a_new_draft_copies_the_vocabulary(published):
    draft = services.new_draft_from(framework=published, version="2")
    for model in NEW_TABLES:
        assert model.objects.filter(framework=draft).count() == (
            model.objects.filter(framework=published).count()
        )
    term = Term.objects.get(framework=draft, kind="component", ref="compA")
    assert term.parent.framework_id == draft.pk and term.parent.ref == "catSubSub"
    assert raw(f"UPDATE {table(Term)} SET name = 'Renamed' WHERE id = %s", [term.pk]) == 1  # noqa: S608
    assert Term.objects.get(pk=term.pk).name == "Renamed"
    copied = Control.objects.get(framework=draft, ref="cLiterals")
    assert (copied.components, copied.evidence_autonomy) == ("all", 0)


def test_the_database_refuses_an_autonomy_level_above_five(published):
    draft = services.new_draft_from(framework=published, version="3")
    row = first_row(Control, draft)
    with pytest.raises(IntegrityError), transaction.atomic():
        raw(f"UPDATE {table(Control)} SET evidence_autonomy = 6 WHERE id = %s", [row.pk])  # noqa: S608
    assert raw(f"UPDATE {table(Control)} SET evidence_autonomy = 5 WHERE id = %s", [row.pk]) == 1  # noqa: S608
