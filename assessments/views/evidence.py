"""Evidence of one question: upload a file, add a link, download, delete.

Downloads are the only way out for stored files: they check access like every other view,
are sent as attachments that the browser must not sniff or render, and are audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from assessments.access import get_assessment, get_evidence
from assessments.forms.questionnaire import EvidenceFileForm, EvidenceLinkForm
from assessments.models import AssessmentFinalised, EvidenceKind
from assessments.questionnaire_page import page_setup, refused, render_page
from assessments.services import evidence as evidence_service
from assessments.services.evidence import EvidenceRejected
from scorecard import scoring
from scorecard.loader import load_catalog
from scorecard.models import Question


def _question(assessment, question_ref: str) -> Question:
    return get_object_or_404(Question, framework=assessment.framework, ref=question_ref)


def _page_url(assessment, question: Question) -> str:
    top = scoring.top_domain_index(load_catalog(assessment.framework)).get(question.ref)
    if top is None:
        return reverse("assessment_detail", args=[assessment.pk])
    return reverse("questionnaire_page", args=[assessment.pk, top]) + f"#q{question.pk}"


def _with_error(request: HttpRequest, assessment, access, question, errors) -> HttpResponse:
    """The question's page again, with the evidence error beside the question."""
    top = scoring.top_domain_index(load_catalog(assessment.framework)).get(question.ref)
    if top is None:
        raise Http404("This question is not part of the questionnaire.")
    catalog, layout, questions, options = page_setup(assessment, top)
    if question.pk not in {q.pk for q in questions}:
        # Not applicable to the assessment's personas: there is no place to show it.
        return refused(request, assessment, " ".join(errors), status=400)
    return render_page(
        request,
        assessment=assessment,
        access=access,
        catalog=catalog,
        layout=layout,
        questions=questions,
        options=options,
        evidence_errors={question.pk: list(errors)},
        status=400,
    )


@require_POST
@login_required
def evidence_upload(request, assessment_id, question_ref):
    assessment, access = get_assessment(request, assessment_id, "answer")
    question = _question(assessment, question_ref)
    if assessment.is_finalised:
        return refused(request, assessment, AssessmentFinalised().message)
    form = EvidenceFileForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _with_error(request, assessment, access, question, errors)
    try:
        item = evidence_service.add_file(
            assessment=assessment,
            question=question,
            user=request.user,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    except AssessmentFinalised as exc:
        return refused(request, assessment, exc.message)
    except EvidenceRejected as exc:
        return _with_error(request, assessment, access, question, exc.messages)
    messages.success(request, f"Uploaded {item.filename} as evidence for {question.display_ref}.")
    return redirect(_page_url(assessment, question))


@require_POST
@login_required
def evidence_link(request, assessment_id, question_ref):
    assessment, access = get_assessment(request, assessment_id, "answer")
    question = _question(assessment, question_ref)
    if assessment.is_finalised:
        return refused(request, assessment, AssessmentFinalised().message)
    form = EvidenceLinkForm(request.POST)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _with_error(request, assessment, access, question, errors)
    try:
        evidence_service.add_link(
            assessment=assessment,
            question=question,
            user=request.user,
            url=form.cleaned_data["url"],
            description=form.cleaned_data["description"],
        )
    except AssessmentFinalised as exc:
        return refused(request, assessment, exc.message)
    messages.success(request, f"Added a link as evidence for {question.display_ref}.")
    return redirect(_page_url(assessment, question))


@require_GET
@login_required
def evidence_download(request, assessment_id, evidence_id):
    item, assessment, _access = get_evidence(
        request, evidence_id, assessment_id=assessment_id, action="view"
    )
    item.assessment = assessment
    if item.kind != EvidenceKind.FILE or not item.file:
        raise Http404("This evidence is a link, not a file.")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("The stored file is missing.") from None
    evidence_service.record_download(evidence=item, user=request.user)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.filename or "evidence",
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser render it after all, it gets no script and no same-origin access.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@login_required
def evidence_delete(request, assessment_id, evidence_id):
    item, assessment, _access = get_evidence(
        request, evidence_id, assessment_id=assessment_id, action="answer"
    )
    item.assessment = assessment
    if assessment.is_finalised:
        return refused(request, assessment, AssessmentFinalised().message)
    question = item.question
    label = str(item)
    try:
        evidence_service.delete(evidence=item, user=request.user)
    except AssessmentFinalised as exc:
        return refused(request, assessment, exc.message)
    messages.success(request, f"Removed {label} from the evidence of {question.display_ref}.")
    return redirect(_page_url(assessment, question))
