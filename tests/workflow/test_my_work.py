"""Domain assignments and the "my work" page."""

import pytest
from django.urls import reverse

from assessments.models import (
    Answer,
    AssessmentStatus,
    AuditEvent,
    DomainAssignment,
    Membership,
    ReviewComment,
)
from assessments.selectors.progress import domain_progress
from assessments.services.assignments import assign_domains
from assessments.services.guards import WorkflowError
from scorecard.loader import load_catalog
from scorecard.models import Domain, Framework, FrameworkStatus, Question
from tests.factories import make_assessment, make_framework, make_member, make_organisation
from tests.workflow.helpers import comment_on, set_status

pytestmark = pytest.mark.django_db


def domain(assessment, ref):
    return Domain.objects.get(framework=assessment.framework, ref=ref)


def assign_url(assessment):
    return reverse("assessment_assign", kwargs={"assessment_id": assessment.pk})


def test_owner_assigns_domains_on_the_page(client, assessment, owner, assessor):
    client.force_login(owner)
    page = client.get(assign_url(assessment)).content.decode()
    assert (
        '<span class="catalog-code">DM1</span> Domain 1 <span class="catalog-ref">D1</span>' in page
    )
    assert "assessor@acme.example" in page
    d1, d2 = domain(assessment, "D1"), domain(assessment, "D2")
    response = client.post(
        assign_url(assessment), {f"domain_{d1.pk}": str(assessor.pk), f"domain_{d2.pk}": ""}
    )
    assert response.status_code == 302
    assert list(DomainAssignment.objects.values_list("domain__ref", "assignee")) == [
        ("D1", assessor.pk)
    ]
    assert AuditEvent.objects.get(action="assessment.assigned").data == {
        "assignments": {"D1": "assessor@acme.example"}
    }
    # Unassigning removes the row.
    client.post(assign_url(assessment), {f"domain_{d1.pk}": ""})
    assert not DomainAssignment.objects.exists()


def test_viewers_and_auditors_cannot_be_assigned(client, assessment, owner, viewer, auditor):
    d1 = domain(assessment, "D1")
    client.force_login(owner)
    for user in (viewer, auditor):
        response = client.post(assign_url(assessment), {f"domain_{d1.pk}": str(user.pk)})
        assert response.status_code == 400
    assert not DomainAssignment.objects.exists()
    with pytest.raises(WorkflowError, match="not an owner or assessor"):
        assign_domains(assessment=assessment, user=owner, assignments={d1: viewer})
    assert not DomainAssignment.objects.exists()


def test_only_top_level_domains_of_the_catalog_can_be_assigned(assessment, owner, assessor):
    from tests.factories import make_framework

    foreign = Domain.objects.get(framework=make_framework(slug="other-fw"), ref="D1")
    with pytest.raises(WorkflowError, match="not a top-level domain"):
        assign_domains(assessment=assessment, user=owner, assignments={foreign: assessor})
    assert not DomainAssignment.objects.exists()


def test_assessor_cannot_assign(client, assessment, assessor):
    client.force_login(assessor)
    assert client.get(assign_url(assessment)).status_code == 403
    with pytest.raises(WorkflowError):
        assign_domains(
            assessment=assessment,
            user=assessor,
            assignments={domain(assessment, "D1"): assessor},
        )


def test_progress_counts_answered_questions_in_scope(assessment, owner):
    d1 = domain(assessment, "D1")
    # Scoped to the application user: D1-C2 belongs to the builder persona only.
    type(assessment).objects.filter(pk=assessment.pk).update(personas=["personaUser"])
    assessment.refresh_from_db()
    for ref, field in [("D1-C1.q1", {"na": True}), ("D1-C2.q1", {"value": 1.0})]:
        Answer.objects.create(
            assessment=assessment,
            question=Question.objects.get(framework=assessment.framework, ref=ref),
            **field,
        )
    progress = domain_progress([(assessment, d1)])[(assessment.pk, d1.pk)]
    assert (progress.answered, progress.total, progress.percent) == (1, 2, 50)


def my_work(client, user):
    client.force_login(user)
    response = client.get(reverse("my_work"))
    assert response.status_code == 200
    return response


def test_my_work_lists_my_domains_with_progress(client, assessment, assessor, owner):
    DomainAssignment.objects.create(
        assessment=assessment, domain=domain(assessment, "D2"), assignee=assessor
    )
    DomainAssignment.objects.create(
        assessment=assessment, domain=domain(assessment, "D1"), assignee=owner
    )
    Answer.objects.create(
        assessment=assessment,
        question=Question.objects.get(framework=assessment.framework, ref="D2-C1.q1"),
        option_label="Partial",
        value=0.5,
    )
    response = my_work(client, assessor)
    rows = response.context["assigned"]
    assert [(r.domain.ref, r.progress.answered, r.progress.total) for r in rows] == [("D2", 1, 4)]
    assert "1 / 4 (25%)" in response.content.decode()


def test_my_work_leaves_out_finalised_assessments(client, assessment, assessor):
    DomainAssignment.objects.create(
        assessment=assessment, domain=domain(assessment, "D1"), assignee=assessor
    )
    set_status(assessment, AssessmentStatus.FINALISED)
    assert my_work(client, assessor).context["assigned"] == []


def test_my_work_lists_reviews_for_owners_and_auditors_only(
    client, organisation, framework, owner, auditor, assessor
):
    submitted = make_assessment(organisation, framework, status=AssessmentStatus.SUBMITTED)
    make_assessment(organisation, framework, status=AssessmentStatus.DRAFT)
    assert my_work(client, owner).context["to_review"] == [submitted]
    assert my_work(client, auditor).context["to_review"] == [submitted]
    assert my_work(client, assessor).context["to_review"] == []


def test_limited_auditor_sees_only_named_assessments_to_review(client, organisation, framework):
    named = make_assessment(organisation, framework, status=AssessmentStatus.IN_REVIEW)
    make_assessment(organisation, framework, status=AssessmentStatus.IN_REVIEW)
    limited = make_member(organisation, "auditor", "limited@audit.example")
    Membership.objects.get(user=limited).limited_to.add(named)
    assert my_work(client, limited).context["to_review"] == [named]


def test_my_work_lists_comments_awaiting_my_reply(client, assessment, assessor, auditor):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    waiting = comment_on(assessment, "D1-C1.q1", auditor, body="Waiting for you")
    answered = comment_on(assessment, "D1-C2.q1", auditor, body="Answered already")
    ReviewComment.objects.create(
        assessment=assessment,
        question=answered.question,
        parent=answered,
        author=assessor,
        body="Ok",
    )
    followed_up = comment_on(assessment, "D2-C1.q1", auditor, body="Followed up")
    ReviewComment.objects.create(
        assessment=assessment,
        question=followed_up.question,
        parent=followed_up,
        author=assessor,
        body="Done",
    )
    ReviewComment.objects.create(
        assessment=assessment,
        question=followed_up.question,
        parent=followed_up,
        author=auditor,
        body="Not quite",
    )
    comment_on(assessment, "D2-C2.q1", auditor, body="Resolved one", resolved=True)

    awaiting = my_work(client, assessor).context["awaiting_reply"]
    assert [c.pk for c in awaiting] == [waiting.pk, followed_up.pk]
    # The auditor wrote them: nothing awaits the auditor's reply.
    assert my_work(client, auditor).context["awaiting_reply"] == []


def test_my_work_spans_organisations_and_hides_others(
    client, assessment, assessor, outsider, other_organisation, framework
):
    elsewhere = make_assessment(other_organisation, framework, status=AssessmentStatus.SUBMITTED)
    Membership.objects.create(user=assessor, organisation=other_organisation, role="owner")
    DomainAssignment.objects.create(
        assessment=assessment, domain=domain(assessment, "D1"), assignee=assessor
    )
    context = my_work(client, assessor).context
    assert [r.assessment for r in context["assigned"]] == [assessment]
    assert context["to_review"] == [elsewhere]
    # The outsider (owner of globex) sees globex's review, never acme's assignments.
    DomainAssignment.objects.create(
        assessment=assessment, domain=domain(assessment, "D2"), assignee=outsider
    )
    outsider_context = my_work(client, outsider).context
    assert outsider_context["assigned"] == []
    assert outsider_context["to_review"] == [elsewhere]


def _populate(organisation, framework, user, auditor, size):
    for i in range(size):
        assessment = make_assessment(
            organisation, framework, status=AssessmentStatus.IN_REVIEW, title=f"System {i}"
        )
        for ref in ("D1", "D2"):
            DomainAssignment.objects.create(
                assessment=assessment, domain=domain(assessment, ref), assignee=user
            )
        comment_on(assessment, "D1-C1.q1", auditor, body=f"Point {i}")


@pytest.mark.parametrize("size", [2, 20])
def test_my_work_queries_do_not_grow_with_the_work(
    client, organisation, framework, owner, auditor, size, django_assert_num_queries
):
    second = make_organisation("second-org")
    Membership.objects.create(user=owner, organisation=second, role="owner")
    _populate(organisation, framework, owner, auditor, size)
    _populate(second, framework, owner, make_member(second, "auditor"), size)
    client.force_login(owner)
    # A published catalog is cached in-process (a cold one costs its 8 queries once).
    load_catalog(framework)
    # Exactly 11 whatever the amount of work (at most 14 before progress came from the
    # engine: one read of the answers now replaces four reads of the catalog's rows).
    with django_assert_num_queries(11):
        response = client.get(reverse("my_work"))
    assert len(response.context["assigned"]) == 4 * size
    assert len(response.context["to_review"]) == 2 * size
    assert len(response.context["awaiting_reply"]) == 2 * size


def test_my_work_and_the_questionnaire_show_the_same_progress(client, organisation, assessor):
    # A catalog with a text question in D1-C1; D1-C2 and D2-C2 belong to the builder persona.
    framework = make_framework(slug="progress-fw", published=False)
    d1_c1 = Question.objects.get(framework=framework, ref="D1-C1.q1").control
    Question.objects.create(
        framework=framework, control=d1_c1, position=2, ref="D1-C1.q3", text="Notes?", type="text"
    )
    Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
    framework.refresh_from_db()
    assessment = make_assessment(organisation, framework, personas=["personaUser"])

    def answer(ref, **fields):
        question = Question.objects.get(framework=framework, ref=ref)
        Answer.objects.create(assessment=assessment, question=question, **fields)

    answer("D1-C1.q1", option_label="Partial", value=0.5)
    answer("D1-C1.q3", text="Free text counts for nothing")  # unscored
    answer("D1-C2.q1", option_label="Full", value=1.0)  # control out of scope
    answer("D2-C1.q2", na=True, justification="Not used here")  # N/A counts as answered
    for ref in ("D1", "D2"):
        DomainAssignment.objects.create(
            assessment=assessment, domain=domain(assessment, ref), assignee=assessor
        )

    # In scope per domain: the scale and choice question of its first control only.
    response = my_work(client, assessor)
    rows = response.context["assigned"]
    assert [(r.domain.ref, r.progress.answered, r.progress.total) for r in rows] == [
        ("D1", 1, 2),
        ("D2", 1, 2),
    ]
    assert response.content.decode().count("1 / 2 (50%)") == 2

    page = client.get(reverse("questionnaire_page", args=[assessment.pk, "D1"]))
    nav = [(item.ref, item.answered, item.total) for item in page.context["nav"]]
    assert nav == [("D1", 1, 2), ("D2", 1, 2)]
    assert page.content.decode().count("1 of 2 answered") == 2
