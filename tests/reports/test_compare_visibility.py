"""The scorecard's "compare with" offers only assessments the user may see: an auditor
named on some assessments is never offered, nor defaulted to, another one."""

from datetime import timedelta

import pytest
from django.urls import reverse

from assessments.models import Assessment, Membership
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db


def earlier_revision_of(assessment):
    """Another assessment of the same AI system (same title), created a month before."""
    earlier = make_assessment(assessment.organisation, assessment.framework, title=assessment.title)
    Assessment.objects.filter(pk=earlier.pk).update(
        created_at=assessment.created_at - timedelta(days=30)
    )
    return earlier


def scorecard_of(client, user, assessment):
    client.force_login(user)
    return client.get(reverse("scorecard", kwargs={"assessment_id": assessment.pk}))


def test_owner_is_offered_every_other_assessment_of_the_organisation(
    client, owner, organisation, report_framework, scored
):
    earlier = earlier_revision_of(scored)
    other = make_assessment(organisation, report_framework, title="Chat assistant")
    response = scorecard_of(client, owner, scored)
    assert {a.pk for a in response.context["compare_choices"]} == {earlier.pk, other.pk}
    assert response.context["previous"] == earlier


def test_limited_auditor_is_offered_only_the_assessments_they_audit(
    client, auditor, organisation, report_framework, scored
):
    # The default comparison for anyone who may see it (test above), but not audited.
    hidden_earlier = earlier_revision_of(scored)
    audited = make_assessment(organisation, report_framework, title="Chat assistant")
    Membership.objects.get(user=auditor).limited_to.add(scored, audited)
    response = scorecard_of(client, auditor, scored)
    assert [a.pk for a in response.context["compare_choices"]] == [audited.pk]
    assert response.context["previous"] is None
    hidden = reverse(
        "assessment_compare", kwargs={"assessment_id": scored.pk, "other_id": hidden_earlier.pk}
    )
    assert client.get(hidden).status_code == 404
    allowed = reverse(
        "assessment_compare", kwargs={"assessment_id": scored.pk, "other_id": audited.pk}
    )
    assert client.get(allowed).status_code == 200
