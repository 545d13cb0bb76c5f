"""Publishing, deriving a new draft and retiring framework versions."""

import pytest
from django.core.exceptions import ValidationError

from scorecard import services
from scorecard.catalog.native import read_data_file
from scorecard.catalog.store import save_document
from scorecard.catalog.stored_document import framework_to_document
from scorecard.models import Control, Framework, FrameworkLocked, FrameworkStatus, Question
from tests.catalog.helpers import SMALL

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return save_document(read_data_file(SMALL))


def test_publishing_a_valid_draft_sets_status_and_time(draft):
    published = services.publish_framework(framework=draft)
    assert published.status == FrameworkStatus.PUBLISHED
    assert published.published_at is not None
    assert Framework.objects.get(pk=draft.pk).status == FrameworkStatus.PUBLISHED


def test_publishing_reports_every_problem_of_the_stored_rows(draft):
    # Admin edits go straight to rows; publishing must still catch what they broke. (Weights
    # and option values out of range no longer reach the rows: the database's check
    # constraints refuse them, see tests/guarantees/test_check_constraints.py.)
    Question.objects.filter(framework=draft, ref__in=["OPS-1.2"]).delete()
    Control.objects.filter(framework=draft, ref="GOV-1").update(ref="GOV/1")
    with pytest.raises(services.CatalogInvalid) as caught:
        services.publish_framework(framework=draft)
    assert [str(p) for p in caught.value.problems] == [
        # GOV-1 is the first control of the first sub-domain (GOV.POL) of GOV.
        "domains[0].domains[0].controls[0].id: may contain only ASCII letters, digits, dots, "
        "hyphens and underscores",
        "domains[1].controls[0].questions: a control needs at least one scored question",
    ]
    assert isinstance(caught.value, ValidationError)
    assert Framework.objects.get(pk=draft.pk).status == FrameworkStatus.DRAFT


def test_a_published_version_cannot_be_published_again(draft):
    services.publish_framework(framework=draft)
    with pytest.raises(FrameworkLocked):
        services.publish_framework(framework=draft)


def test_new_draft_copies_the_whole_tree_and_remembers_its_origin(draft):
    published = services.publish_framework(framework=draft)
    copy = services.new_draft_from(framework=published, version="0.2")
    assert copy.status == FrameworkStatus.DRAFT and copy.derived_from == published
    original, derived = framework_to_document(published), framework_to_document(copy)
    assert derived["framework"].pop("version") == "0.2"
    original["framework"].pop("version")
    assert derived == original
    # The copy is independent: changing it leaves the published rows alone.
    Control.objects.filter(framework=copy, ref="GOV-1").update(name="Changed")
    assert Control.objects.get(framework=published, ref="GOV-1").name == "An AI policy exists"


def test_new_draft_with_a_taken_version_is_refused(draft):
    with pytest.raises(services.CatalogInvalid) as caught:
        services.new_draft_from(framework=draft, version="0.1")
    assert "already exists" in str(caught.value)
    assert Framework.objects.count() == 1


def test_retiring_moves_a_published_version_on_and_locks_it(draft):
    published = services.publish_framework(framework=draft)
    retired = services.retire_framework(framework=published)
    assert retired.status == FrameworkStatus.RETIRED
    assert services.retire_framework(framework=retired).status == FrameworkStatus.RETIRED
    with pytest.raises(FrameworkLocked):
        Control.objects.filter(framework=retired).update(name="x")


def test_a_draft_cannot_be_retired(draft):
    with pytest.raises(ValidationError) as caught:
        services.retire_framework(framework=draft)
    assert "only published versions can be retired" in str(caught.value)
    assert Framework.objects.get(pk=draft.pk).status == FrameworkStatus.DRAFT
