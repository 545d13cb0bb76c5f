"""Methodology 1.1 scopes new assessments by their AI system; 1.0 ones stay as they were.

The catalog is tests/catalog/data/riskmap-fields.yaml: cListed concerns components compA
and compB in lifecycle stage "run"; cLiterals says "all"/"none"; cSilent states nothing.
Every question is yes/no, so a "Yes" counts 100 and a "No" 0.
"""

import pytest

from assessments.models import AISystem, Answer, Assessment, ScoreSnapshot
from assessments.scoring import current_result, rescore_finalised, take_snapshot
from scorecard.catalog.native import read_data_file
from scorecard.catalog.store import save_document
from scorecard.models import FrameworkStatus, Question
from scorecard.scoring.serialize import result_from_dict, result_hash, result_to_dict
from tests.catalog.helpers import DATA
from tests.factories import make_assessment, make_organisation
from tests.scoring_service.conftest import finalise

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    return save_document(
        read_data_file(DATA / "riskmap-fields.yaml"), status=FrameworkStatus.PUBLISHED
    )


def _assess(framework, *, methodology, components, stages=()):
    organisation = make_organisation()
    system = AISystem.objects.create(
        organisation=organisation,
        name="Support bot",
        components=list(components),
        lifecycle_stages=list(stages),
    )
    assessment = make_assessment(
        organisation, framework, system=system, title="Support bot", methodology=methodology
    )
    # cListed: No (0); cLiterals and cSilent: Yes (100).
    for ref, label, value in (
        ("cListed.1", "No", 0.0),
        ("cLiterals.1", "Yes", 1.0),
        ("cSilent.1", "Yes", 1.0),
    ):
        Answer.objects.create(
            assessment=assessment,
            question=Question.objects.get(framework=framework, ref=ref),
            option_label=label,
            value=value,
        )
    return Assessment.objects.select_related("framework", "system").get(pk=assessment.pk)


def test_a_new_assessment_is_scored_with_1_1_and_leaves_out_unused_components(framework):
    assessment = _assess(framework, methodology="1.1", components=["compZ"])
    result = current_result(assessment)
    # cListed is out (compZ is neither compA nor compB): (100 + 100) / 2.
    assert result.overall == 100.0
    assert set(result.controls) == {"cLiterals", "cSilent"}
    assert result.methodology_version == "1.1"
    assert result.components == ("compZ",)


def test_a_shared_component_keeps_the_control_in(framework):
    assessment = _assess(framework, methodology="1.1", components=["compB", "compZ"])
    # All three count: (0 + 100 + 100) / 3.
    assert current_result(assessment).overall == pytest.approx(200 / 3)


def test_an_unused_lifecycle_stage_leaves_the_control_out_even_with_a_shared_component(
    framework,
):
    assessment = _assess(framework, methodology="1.1", components=["compA"], stages=["build"])
    assert set(current_result(assessment).controls) == {"cLiterals", "cSilent"}


def test_a_1_0_assessment_ignores_its_systems_terms(framework):
    assessment = _assess(framework, methodology="1.0", components=["compZ"])
    result = current_result(assessment)
    assert result.overall == pytest.approx(200 / 3)
    assert result.methodology_version == "1.0"
    assert "components" not in result_to_dict(result)


def test_a_1_0_snapshot_is_unchanged_by_rescoring_and_reads_back_byte_for_byte(framework):
    assessment = _assess(framework, methodology="1.0", components=["compZ"])
    snapshot = take_snapshot(assessment=assessment)
    finalise(assessment)
    stored = ScoreSnapshot.objects.get(pk=snapshot.pk)

    assert rescore_finalised(framework=framework) == []
    assert ScoreSnapshot.objects.filter(assessment=assessment).count() == 1
    again = result_from_dict(stored.result)
    assert result_to_dict(again) == stored.result
    assert result_hash(again) == stored.result_hash
    assert stored.methodology_version == "1.0"


def test_a_finalised_1_1_score_keeps_its_scope_when_the_system_changes_later(framework):
    assessment = _assess(framework, methodology="1.1", components=["compZ"])
    take_snapshot(assessment=assessment)
    finalise(assessment)
    AISystem.objects.filter(pk=assessment.system_id).update(components=["compA"])

    # Rescoring reads the scope the snapshot was scored with, so nothing changes.
    assert rescore_finalised(framework=framework) == []
    assert current_result(Assessment.objects.get(pk=assessment.pk)).overall == 100.0


def test_the_catalog_fingerprint_depends_on_the_methodology(framework):
    old = _assess(framework, methodology="1.0", components=[])
    new = _assess(framework, methodology="1.1", components=[])
    first, second = take_snapshot(assessment=old), take_snapshot(assessment=new)
    # The same scores (no terms stated), but 1.1's fingerprint also covers the terms.
    assert first.result["overall"] == second.result["overall"]
    assert first.catalog_hash != second.catalog_hash


def test_a_finalised_overview_counts_progress_with_the_scope_of_its_score(
    framework, client, django_user_model
):
    from django.urls import reverse

    from assessments.models import Membership, Role

    assessment = _assess(framework, methodology="1.1", components=["compZ"])
    take_snapshot(assessment=assessment)
    finalise(assessment)
    # The system later gains compA, which would bring cListed into a live scope.
    AISystem.objects.filter(pk=assessment.system_id).update(components=["compA"])
    user = django_user_model.objects.create_user(email="o@example.org", password="x")
    Membership.objects.create(user=user, organisation=assessment.organisation, role=Role.OWNER)
    client.force_login(user)
    html = client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    # The score's scope: cLiterals and cSilent only, both answered: 2 of 2.
    assert "100.00% (2 of 2 scored questions)" in html


def test_a_finalised_1_1_assessment_without_a_snapshot_is_rescored_with_its_systems_terms(
    framework,
):
    assessment = _assess(framework, methodology="1.1", components=["compZ"])
    finalise(assessment)
    (created,) = rescore_finalised(framework=framework)
    # As its pages score it live: cListed out, (100 + 100) / 2.
    assert created.result["overall"] == 100.0
    assert created.result["components"] == ["compZ"]
