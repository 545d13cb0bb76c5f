"""URLs of the questionnaire area: assessments, their questionnaire, evidence, history."""

from django.urls import path

from assessments.views import assessments, evidence, questionnaire

A = "assessments/<uuid:assessment_id>/"
Q = f"{A}questions/<str:question_ref>/"
E = f"{A}evidence/<uuid:evidence_id>/"

urlpatterns = [
    path("assessments/", assessments.assessment_list, name="assessment_list"),
    path("assessments/new/", assessments.assessment_start, name="assessment_start"),
    path(A, assessments.assessment_detail, name="assessment_detail"),
    path(f"{A}scope/", assessments.assessment_scoping, name="assessment_scoping"),
    path(f"{A}start-from/", assessments.assessment_start_from, name="assessment_start_from"),
    path(
        f"{A}questionnaire/<str:domain_ref>/",
        questionnaire.questionnaire_page,
        name="questionnaire_page",
    ),
    path(f"{Q}history/", questionnaire.answer_history, name="answer_history"),
    path(f"{Q}evidence/upload/", evidence.evidence_upload, name="evidence_upload"),
    path(f"{Q}evidence/link/", evidence.evidence_link, name="evidence_link"),
    path(f"{E}download/", evidence.evidence_download, name="evidence_download"),
    path(f"{E}delete/", evidence.evidence_delete, name="evidence_delete"),
    path(
        "catalog/<int:framework_id>/preview/",
        questionnaire.catalog_preview,
        name="catalog_preview",
    ),
]
