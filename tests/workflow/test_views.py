"""The workflow pages over HTTP: who may do what, and bad input changing nothing."""

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from assessments.access import Access
from assessments.models import (
    Assessment,
    AssessmentStatus,
    Membership,
    ReviewComment,
    ScoreSnapshot,
    SignOff,
)
from assessments.selectors.workflow import workflow_summary
from scorecard.models import Question
from tests.factories import make_assessment, make_framework
from tests.workflow.helpers import answer_all, comment_on, set_status

pytestmark = pytest.mark.django_db


def url(name, assessment, **kwargs):
    return reverse(name, kwargs={"assessment_id": assessment.pk, **kwargs})


def login(client, user):
    client.force_login(user)
    return client


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_full_review_over_http(client, assessment, owner, assessor, auditor):
    answer_all(assessment)
    login(client, assessor).post(url("assessment_submit", assessment))
    login(client, auditor).post(
        url("review_comment_add", assessment, question_ref="D1-C1.q1"), {"body": "Evidence?"}
    )
    thread = ReviewComment.objects.get()
    login(client, assessor).post(
        url("review_comment_reply", assessment, comment_id=thread.pk), {"body": "Attached."}
    )
    client.post(url("review_comment_resolve", assessment, comment_id=thread.pk))
    response = login(client, owner).post(url("assessment_finalise", assessment))
    assert response.status_code == 302
    login(client, auditor).post(
        url("assessment_signoff", assessment), {"confirm": "on", "statement": "Fine."}
    )
    response = login(client, owner).post(url("assessment_reopen", assessment))

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FINALISED
    assert SignOff.objects.get().statement == "Fine."
    new = Assessment.objects.get(previous=assessment)
    assert response["Location"].endswith(f"/assessments/{new.pk}/")
    assert ReviewComment.objects.get(pk=thread.pk).replies.count() == 1


def test_submitting_a_submitted_assessment_explains_and_changes_nothing(client, assessment, owner):
    set_status(assessment, AssessmentStatus.SUBMITTED)
    response = login(client, owner).post(url("assessment_submit", assessment))
    assert response.status_code == 302
    assert messages_of(response) == [
        "You cannot submit it for review while the assessment is submitted for review."
    ]
    assessment.refresh_from_db()
    assert assessment.submitted_at is None


def test_post_to_a_finalised_assessment_is_refused_with_a_message(
    client, assessment, owner, auditor
):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    thread = comment_on(assessment, "D1-C1.q1", auditor, resolved=True)
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.FINALISED)
    login(client, auditor)
    response = client.post(
        url("review_comment_add", assessment, question_ref="D1-C1.q1"), {"body": "Late"}
    )
    assert "finalised" in messages_of(response)[0]
    login(client, owner)
    for name, data in [
        ("review_comment_reply", {"body": "x"}),
        ("review_comment_resolve", {"resolved": "0"}),
    ]:
        response = client.post(url(name, assessment, comment_id=thread.pk), data)
        assert response.status_code == 302
        assert "finalised" in messages_of(response)[0]
    assert ReviewComment.objects.count() == 1
    assert ReviewComment.objects.get().resolved


def test_comment_on_a_question_of_another_framework_is_404(client, assessment, auditor):
    set_status(assessment, AssessmentStatus.SUBMITTED)
    other = make_framework(slug="other-fw", domains=3)
    assert Question.objects.filter(framework=other, ref="D3-C1.q1").exists()
    response = login(client, auditor).post(
        url("review_comment_add", assessment, question_ref="D3-C1.q1"), {"body": "x"}
    )
    assert response.status_code == 404
    assert not ReviewComment.objects.exists()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_reply_to_a_comment_of_another_assessment_is_404(
    client, assessment, organisation, framework, owner, auditor
):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    other = make_assessment(organisation, framework)
    foreign = comment_on(other, "D1-C1.q1", auditor)
    response = login(client, owner).post(
        url("review_comment_reply", assessment, comment_id=foreign.pk), {"body": "x"}
    )
    assert response.status_code == 404
    response = client.post(url("review_comment_resolve", assessment, comment_id=foreign.pk))
    assert response.status_code == 404
    assert ReviewComment.objects.count() == 1
    assert not ReviewComment.objects.get().resolved


def test_review_threads_refuse_viewers_and_hide_from_auditors_of_other_assessments(
    client, assessment, organisation, framework, auditor, viewer
):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    thread = comment_on(assessment, "D1-C1.q1", auditor)
    reply = url("review_comment_reply", assessment, comment_id=thread.pk)
    resolve = url("review_comment_resolve", assessment, comment_id=thread.pk)
    assert login(client, viewer).post(reply, {"body": "x"}).status_code == 403
    assert client.post(resolve, {"resolved": "1"}).status_code == 403
    # An auditor named on another assessment does not see this one at all.
    Membership.objects.get(user=auditor).limited_to.add(make_assessment(organisation, framework))
    assert login(client, auditor).post(reply, {"body": "x"}).status_code == 404
    assert client.post(resolve, {"resolved": "1"}).status_code == 404
    missing = url("review_comment_reply", assessment, comment_id=thread.pk + 1000)
    assert client.post(missing, {"body": "x"}).status_code == 404
    assert ReviewComment.objects.count() == 1
    assert not ReviewComment.objects.get().resolved


def test_empty_comment_explains_and_creates_nothing(client, assessment, auditor):
    set_status(assessment, AssessmentStatus.SUBMITTED)
    response = login(client, auditor).post(
        url("review_comment_add", assessment, question_ref="D1-C1.q1"), {"body": "   "}
    )
    assert messages_of(response) == ["This field is required."]
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize("who", ["owner", "assessor", "viewer"])
def test_sign_off_by_a_non_auditor_is_403(client, assessment, who, request):
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.FINALISED)
    response = login(client, request.getfixturevalue(who)).post(
        url("assessment_signoff", assessment), {"confirm": "on"}
    )
    assert response.status_code == 403
    assert not SignOff.objects.exists()


def test_outsider_gets_404_for_every_workflow_page(client, assessment, outsider):
    login(client, outsider)
    for name in ("assessment_review", "assessment_finalise", "assessment_assign"):
        assert client.get(url(name, assessment)).status_code == 404
    assert client.post(url("assessment_submit", assessment)).status_code == 404
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_sign_off_without_confirming_shows_the_form_again(client, assessment, owner, auditor):
    answer_all(assessment)
    set_status(assessment, AssessmentStatus.SUBMITTED)
    login(client, owner).post(url("assessment_finalise", assessment))
    response = login(client, auditor).post(url("assessment_signoff", assessment), {})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    assert not SignOff.objects.exists()
    page = client.get(url("assessment_signoff", assessment)).content.decode()
    assert ScoreSnapshot.objects.get().result_hash in page


def test_an_over_long_sign_off_statement_is_refused_not_cut(client, assessment, owner, auditor):
    answer_all(assessment)
    set_status(assessment, AssessmentStatus.SUBMITTED)
    login(client, owner).post(url("assessment_finalise", assessment))
    login(client, auditor)
    form = client.get(url("assessment_signoff", assessment)).content.decode()
    assert 'data-maxlength="5000"' in form and 'maxlength="5000"' not in form.replace(
        'data-maxlength="5000"', ""
    )
    response = client.post(
        url("assessment_signoff", assessment), {"confirm": "on", "statement": "s" * 5001}
    )
    assert response.status_code == 400
    assert (
        "The statement is 5,001 characters long; the limit is 5,000. "
        "Shorten it and try again: nothing was saved."
    ) in response.content.decode()
    assert not SignOff.objects.exists()


def test_finalise_page_lists_open_comments_and_offers_no_button(client, assessment, owner, auditor):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    comment_on(assessment, "D1-C1.q1", auditor, body="Missing the incident runbook.")
    page = login(client, owner).get(url("assessment_finalise", assessment)).content.decode()
    assert "Missing the incident runbook." in page
    assert "Finalise now" not in page
    response = client.post(url("assessment_finalise", assessment))
    assert messages_of(response) == ["1 review comment still open: resolve them before finalising."]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW


def test_next_must_be_a_local_url(client, assessment, owner):
    response = login(client, owner).post(
        url("assessment_submit", assessment), {"next": "https://evil.example/phish"}
    )
    assert response["Location"] == url("assessment_detail", assessment)


def render_partial(name, assessment, user, **context):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    membership = Membership.objects.select_related("organisation").get(user=user)
    access = Access(membership.organisation, membership)
    context.setdefault("workflow_summary", workflow_summary(assessment, access))
    return render_to_string(
        f"assessments/workflow/{name}",
        {"assessment": assessment, "access": access, **context},
        request=request,
    )


def test_actions_partial_offers_each_role_its_own_actions(
    assessment, owner, assessor, auditor, viewer
):
    assert "Submit for review" in render_partial("_actions.html", assessment, assessor)
    assert "Submit for review" not in render_partial("_actions.html", assessment, viewer)
    assert "Assign domains" in render_partial("_actions.html", assessment, owner)
    set_status(assessment, AssessmentStatus.SUBMITTED)
    assert "Finalise" in render_partial("_actions.html", assessment, owner)
    assert "Finalise" not in render_partial("_actions.html", assessment, auditor)
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.FINALISED)
    assessment.refresh_from_db()
    assert "Sign off" in render_partial("_actions.html", assessment, auditor)
    assert "Start a new revision" in render_partial("_actions.html", assessment, owner)
    assert "Assign domains" not in render_partial("_actions.html", assessment, owner)


def test_question_partial_shows_threads_and_offers_forms_by_role(
    assessment, owner, assessor, auditor, viewer
):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    thread = comment_on(assessment, "D1-C1.q1", auditor, body="Which policy?")
    ReviewComment.objects.create(
        assessment=assessment, question=thread.question, parent=thread, author=assessor, body="P-7"
    )
    comments = list(ReviewComment.objects.filter(parent=None).prefetch_related("replies"))
    context = {"question": thread.question, "comments": comments}

    as_auditor = render_partial("_question_comments.html", assessment, auditor, **context)
    assert "Which policy?" in as_auditor and "P-7" in as_auditor
    assert "Add comment" in as_auditor and "Mark resolved" in as_auditor
    as_assessor = render_partial("_question_comments.html", assessment, assessor, **context)
    assert "Add comment" not in as_assessor and "Reply" in as_assessor
    as_viewer = render_partial("_question_comments.html", assessment, viewer, **context)
    assert "Which policy?" in as_viewer
    assert "<form" not in as_viewer


def test_review_page_shows_threads_of_every_question(client, assessment, auditor, viewer):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    comment_on(assessment, "D1-C1.q1", auditor, body="First point")
    comment_on(assessment, "D2-C2.q2", auditor, body="Second point")
    page = login(client, viewer).get(url("assessment_review", assessment)).content.decode()
    assert page.index("First point") < page.index("Second point")
    assert "2 open threads" in page
    assert page.count("<h1") == 1


@pytest.mark.parametrize("threads", [1, 8])
def test_review_page_queries_do_not_grow_with_threads(
    client, assessment, auditor, assessor, threads, django_assert_num_queries
):
    set_status(assessment, AssessmentStatus.IN_REVIEW)
    refs = list(
        Question.objects.filter(framework=assessment.framework).values_list("ref", flat=True)
    )
    for i in range(threads):
        thread = comment_on(assessment, refs[i % len(refs)], auditor, body=f"Point {i}")
        ReviewComment.objects.create(
            assessment=assessment,
            question=thread.question,
            parent=thread,
            author=assessor,
            body="ok",
        )
    client.force_login(auditor)
    # Session, user, assessment, membership; threads, replies, questions; the navigation
    # bar's memberships; the session's save (savepoint, update, release); the latest
    # submissions (none here: no question query for the diff). The actions panel reuses
    # the page's count of open threads.
    with django_assert_num_queries(12):
        response = client.get(url("assessment_review", assessment))
    assert response.content.decode().count("Point ") == threads
