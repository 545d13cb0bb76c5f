"""URLs of the review workflow: submit, review, finalise, sign-off, reopen, assignments."""

from django.urls import path

from assessments.views import assignments, upgrade, workflow

A = "assessments/<uuid:assessment_id>/"

urlpatterns = [
    path("my-work/", assignments.my_work, name="my_work"),
    path(f"{A}submit/", workflow.assessment_submit, name="assessment_submit"),
    path(f"{A}return/", workflow.assessment_return, name="assessment_return"),
    path(f"{A}review/", workflow.assessment_review, name="assessment_review"),
    path(
        f"{A}review/questions/<str:question_ref>/comment/",
        workflow.review_comment_add,
        name="review_comment_add",
    ),
    path(
        f"{A}review/comments/<int:comment_id>/reply/",
        workflow.review_comment_reply,
        name="review_comment_reply",
    ),
    path(
        f"{A}review/comments/<int:comment_id>/resolve/",
        workflow.review_comment_resolve,
        name="review_comment_resolve",
    ),
    path(f"{A}finalise/", workflow.assessment_finalise, name="assessment_finalise"),
    path(f"{A}sign-off/", workflow.assessment_signoff, name="assessment_signoff"),
    path(f"{A}reopen/", workflow.assessment_reopen, name="assessment_reopen"),
    path(f"{A}assign/", assignments.assessment_assign, name="assessment_assign"),
    path(f"{A}upgrade/", upgrade.assessment_upgrade, name="assessment_upgrade"),
]
