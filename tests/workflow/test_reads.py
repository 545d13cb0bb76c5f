"""What the workflow pages read (assessments.selectors), and the partials formatting it
without a query of their own."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from assessments.access import Access
from assessments.models import Answer, AssessmentStatus, Membership, ReviewComment
from assessments.selectors.reviews import open_thread_count, open_threads, review_page
from assessments.selectors.workflow import WorkflowSummary, workflow_summary
from assessments.services import workflow
from assessments.services.revisions import start_revision
from tests.workflow.helpers import answer_all, comment_on, make_next_version, set_status

pytestmark = pytest.mark.django_db


def access_of(user) -> Access:
    membership = Membership.objects.select_related("organisation").get(user=user)
    return Access(membership.organisation, membership)


@pytest.fixture
def threads(assessment, auditor, assessor):
    """Two open threads (one with a reply), one resolved, one open general note."""
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    first = comment_on(assessment, "D2-C1.q1", auditor, body="Second domain")
    ReviewComment.objects.create(
        assessment=assessment, question=first.question, parent=first, author=assessor, body="ok"
    )
    comment_on(assessment, "D1-C1.q1", auditor, body="First domain")
    comment_on(assessment, "D1-C2.q1", auditor, body="Done", resolved=True)
    ReviewComment.objects.create(assessment=assessment, author=auditor, body="General note")
    return first


@pytest.fixture
def finalised(assessment, owner, assessor):
    answer_all(assessment, owner)
    workflow.submit(assessment=assessment, user=assessor)
    return workflow.finalise(assessment=assessment, user=owner)


def test_open_threads_count_top_level_unresolved_comments_only(assessment, threads):
    assert open_thread_count(assessment) == 3
    assert sorted(c.body for c in open_threads(assessment)) == [
        "First domain",
        "General note",
        "Second domain",
    ]


def test_review_page_puts_general_notes_first_and_questions_in_catalog_order(assessment, threads):
    page = review_page(assessment)
    assert [c.body for c in page.general] == ["General note"]
    assert [q.ref for q in page.questions] == ["D1-C1.q1", "D1-C2.q1", "D2-C1.q1"]
    assert [r.body for r in page.questions[2].review_comments[0].replies.all()] == ["ok"]
    assert all(q.in_catalog for q in page.questions)
    assert page.open_count == 3


def test_summary_of_a_draft_offers_an_owner_the_other_published_versions(
    assessment, owner, assessor, django_assert_num_queries
):
    newer = make_next_version("1.1", publish=True)
    make_next_version("1.2", publish=False)
    as_owner, as_assessor = access_of(owner), access_of(assessor)
    with django_assert_num_queries(2):  # open threads, published versions
        summary = workflow_summary(assessment, as_owner)
    assert summary == WorkflowSummary(
        open_comments=0,
        targets=[newer],
        actions=frozenset({"submit", "assign", "answer", "scope", "upgrade", "start_from"}),
    )
    with django_assert_num_queries(1):  # an assessor may not upgrade: no version query
        assert workflow_summary(assessment, as_assessor).targets == []


def test_summary_of_a_finalised_assessment_lists_signoffs_and_the_next_revision(
    finalised, owner, auditor, django_assert_num_queries
):
    workflow.sign_off(assessment=finalised, user=auditor, statement="Checked.")
    new = start_revision(assessment=finalised, user=owner)
    access = access_of(owner)
    with django_assert_num_queries(3):  # open threads, sign-offs, successor
        summary = workflow_summary(finalised, access)
    assert summary.open_comments == 0
    assert [s.statement for s in summary.signoffs] == ["Checked."]
    assert summary.successor == new
    assert summary.targets == []


def test_summary_reuses_a_count_the_caller_already_has(
    assessment, assessor, django_assert_num_queries
):
    access = access_of(assessor)
    with django_assert_num_queries(0):
        assert workflow_summary(assessment, access, open_comments=4).open_comments == 4


def test_actions_panel_formats_the_summary_without_a_query(
    finalised, owner, auditor, django_assert_num_queries
):
    signoff = workflow.sign_off(assessment=finalised, user=auditor, statement="All good.")
    new = start_revision(assessment=finalised, user=owner)
    request = RequestFactory().get("/somewhere/")
    request.user = owner
    access = access_of(owner)
    summary = WorkflowSummary(open_comments=2, signoffs=[signoff], successor=new)
    finalised.finalised_by = owner  # the panel prints who finalised; loaded here, not there
    with django_assert_num_queries(0):
        html = render_to_string(
            "assessments/workflow/_actions.html",
            {"assessment": finalised, "access": access, "workflow_summary": summary},
            request=request,
        )
    assert "<strong>2 open</strong>" in html
    assert "Go to revision 2" in html
    assert "Start a new revision" not in html
    assert "“All good.”" in html


def test_detail_and_review_pages_show_the_open_thread_count(client, assessment, threads, viewer):
    client.force_login(viewer)
    for name in ("assessment_detail", "assessment_review"):
        page = client.get(reverse(name, kwargs={"assessment_id": assessment.pk}))
        assert "<strong>3 open</strong>" in page.content.decode(), name


def test_finalise_page_counts_answers_still_to_confirm(client, assessment, owner, assessor):
    answer_all(assessment, owner)
    Answer.objects.filter(assessment=assessment, question__ref__in=["D1-C1.q1", "D1-C1.q2"]).update(
        carried_over=True
    )
    workflow.submit(assessment=assessment, user=assessor)
    client.force_login(owner)
    response = client.get(reverse("assessment_finalise", kwargs={"assessment_id": assessment.pk}))
    assert response.context["to_confirm"] == 2
