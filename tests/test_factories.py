"""The shared factories build what the rest of the suite assumes."""

import pytest

from scorecard.models import Control, FrameworkLocked, Question


@pytest.mark.django_db
def test_make_framework_builds_a_published_tree(framework):
    assert framework.status == "published"
    assert Control.objects.filter(framework=framework).count() == 4
    assert Question.objects.filter(framework=framework).count() == 8
    with pytest.raises(FrameworkLocked):
        Control.objects.filter(framework=framework).update(name="changed")


@pytest.mark.django_db
def test_personas_have_their_own_organisations(owner, outsider, organisation):
    assert owner.memberships.get().organisation == organisation
    assert outsider.memberships.get().organisation != organisation
