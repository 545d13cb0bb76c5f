"""Migration 0009 gives every stored assessment an AI system: one per organisation and
distinct name, finalised assessments included, kept on methodology 1.0; the guards of
finalised assessments hold again afterwards."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from tests.catalog.migration_helpers import migrate_to, migrate_to_latest

BEFORE = [("assessments", "0008_snapshot_result_hash_index")]
AFTER = [("assessments", "0009_ai_systems")]


@pytest.fixture
def old_assessments(transactional_db):
    apps = migrate_to(BEFORE)
    Organisation = apps.get_model("assessments", "Organisation")
    User = apps.get_model("assessments", "User")
    Membership = apps.get_model("assessments", "Membership")
    Framework = apps.get_model("scorecard", "Framework")
    Assessment = apps.get_model("assessments", "Assessment")
    framework = Framework.objects.create(slug="old", name="Old", version="1")
    acme = Organisation.objects.create(name="Acme", slug="acme")
    other = Organisation.objects.create(name="Other", slug="other")
    ada = User.objects.create(email="ada@acme.test", full_name="Ada Lovelace")
    Membership.objects.create(user=ada, organisation=acme, role="owner")

    def make(org, title, **fields):
        return Assessment.objects.create(
            organisation=org, framework=framework, title=title, **fields
        )

    make(acme, "Chatbot", system_owner="ada lovelace", personas=["personaDeployer"])
    make(acme, " Chatbot ", revision=2)
    make(acme, "Fraud model", system_owner="someone else", status="finalised")
    make(other, "Chatbot")
    yield
    migrate_to_latest()


def test_each_organisation_gets_one_system_per_distinct_name(old_assessments):
    apps = migrate_to(AFTER)
    AISystem = apps.get_model("assessments", "AISystem")
    Assessment = apps.get_model("assessments", "Assessment")
    systems = sorted(AISystem.objects.values_list("organisation__slug", "name"))
    assert systems == [("acme", "Chatbot"), ("acme", "Fraud model"), ("other", "Chatbot")]
    acme_chatbot = AISystem.objects.get(organisation__slug="acme", name="Chatbot")
    assert Assessment.objects.filter(system=acme_chatbot).count() == 2
    assert not Assessment.objects.filter(system__isnull=True).exists()
    # Every assessment belongs to a system of its own organisation.
    assert not Assessment.objects.exclude(system__organisation=F("organisation")).exists()


def test_owner_is_the_member_named_in_the_free_text_owner_or_nobody(old_assessments):
    apps = migrate_to(AFTER)
    AISystem = apps.get_model("assessments", "AISystem")
    owners = dict(
        AISystem.objects.filter(organisation__slug="acme").values_list("name", "owner__email")
    )
    assert owners == {"Chatbot": "ada@acme.test", "Fraud model": None}


def test_existing_assessments_stay_on_methodology_1_0_and_history_starts(old_assessments):
    apps = migrate_to(AFTER)
    Assessment = apps.get_model("assessments", "Assessment")
    SystemChange = apps.get_model("assessments", "SystemChange")
    assert set(Assessment.objects.values_list("methodology", flat=True)) == {"1.0"}
    assert SystemChange.objects.count() == 3
    assert not SystemChange.objects.filter(old__isnull=False).exists()


def test_a_finalised_assessment_is_still_refused_after_the_migration(old_assessments):
    apps = migrate_to(AFTER)
    Assessment = apps.get_model("assessments", "Assessment")
    finalised = Assessment.objects.get(status="finalised")
    # A plain UPDATE through the historical model: only the database's trigger stands in the way.
    with pytest.raises(IntegrityError, match="finalised assessment"), transaction.atomic():
        Assessment.objects.filter(pk=finalised.pk).update(title="changed")
    finalised.refresh_from_db()
    assert finalised.title == "Fraud model"
