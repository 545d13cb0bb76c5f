"""Evidence of one question: upload a file, add a link, download, delete.

Upload, link and removal answer an htmx request with the question's evidence block alone,
swapped in place: the page, and every answer typed on it but not saved yet, stays. Without
JS they go back to the question on its page, a refusal shown beside it (never a page at
the evidence URL).

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
from assessments.navigation import refusal
from assessments.questionnaire_evidence import remember_evidence_errors, render_evidence
from assessments.selectors.questionnaire import question_evidence
from assessments.services import evidence as evidence_service
from assessments.services.evidence import EvidenceRejected
from assessments.services.guards import AssessmentFrozen, require_editable
from scorecard import scoring
from scorecard.loader import load_catalog
from scorecard.models import Question


def _question(assessment, question_ref: str) -> Question:
    return get_object_or_404(Question, framework=assessment.framework, ref=question_ref)


def _page_url(assessment, question: Question, anchor: str = "") -> str:
    top = scoring.top_domain_index(load_catalog(assessment.framework)).get(question.ref)
    if top is None:
        return reverse("assessment_detail", args=[assessment.pk])
    url = reverse("questionnaire_page", args=[assessment.pk, top])
    return f"{url}#q{question.pk}{anchor}"


def _done(
    request: HttpRequest,
    assessment,
    access,
    question: Question,
    *,
    errors: list[str] | None = None,
    notice: str = "",
) -> HttpResponse:
    """After an evidence action. An htmx request gets the question's evidence block alone,
    swapped in place, so the answers typed on the page stay as they are. Without JS the
    browser goes back to the question, where a refusal is shown beside it."""
    if request.htmx:
        return render_evidence(
            request,
            assessment=assessment,
            access=access,
            question=question,
            evidence=question_evidence(assessment, question),
            errors=errors,
            notice=notice,
        )
    if errors:
        remember_evidence_errors(request, question, errors)
        return redirect(_page_url(assessment, question, "-evidence"))
    messages.success(request, notice)
    return redirect(_page_url(assessment, question))


def _refused(request, assessment, access, question, message) -> HttpResponse:
    """Why nothing was written: inside the question's evidence block for htmx (the typed
    answers stay on the page), else the "Not saved" page."""
    if request.htmx:
        return _done(request, assessment, access, question, errors=[str(message)])
    return refusal(request, assessment, message)


def _locked(request, assessment, access, question) -> HttpResponse | None:
    """The refusal while the assessment takes no evidence (finalised, or with its
    reviewers), checked before the form is read; the services check again on the locked row."""
    try:
        require_editable(assessment)
    except (AssessmentFinalised, AssessmentFrozen) as error:
        return _refused(request, assessment, access, question, error.message)
    return None


def _form_errors(form) -> list[str]:
    return [e for field_errors in form.errors.values() for e in field_errors]


@require_POST
@login_required
def evidence_upload(request, assessment_id, question_ref):
    assessment, access = get_assessment(request, assessment_id, "answer")
    question = _question(assessment, question_ref)
    if locked := _locked(request, assessment, access, question):
        return locked
    form = EvidenceFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _done(request, assessment, access, question, errors=_form_errors(form))
    try:
        item = evidence_service.add_file(
            assessment=assessment,
            question=question,
            user=request.user,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    except (AssessmentFinalised, AssessmentFrozen) as exc:
        return _refused(request, assessment, access, question, exc.message)
    except EvidenceRejected as exc:
        return _done(request, assessment, access, question, errors=exc.messages)
    notice = f"Uploaded {item.filename} as evidence for {question.display_ref}."
    return _done(request, assessment, access, question, notice=notice)


@require_POST
@login_required
def evidence_link(request, assessment_id, question_ref):
    assessment, access = get_assessment(request, assessment_id, "answer")
    question = _question(assessment, question_ref)
    if locked := _locked(request, assessment, access, question):
        return locked
    form = EvidenceLinkForm(request.POST)
    if not form.is_valid():
        return _done(request, assessment, access, question, errors=_form_errors(form))
    try:
        evidence_service.add_link(
            assessment=assessment,
            question=question,
            user=request.user,
            url=form.cleaned_data["url"],
            description=form.cleaned_data["description"],
        )
    except (AssessmentFinalised, AssessmentFrozen) as exc:
        return _refused(request, assessment, access, question, exc.message)
    notice = f"Added a link as evidence for {question.display_ref}."
    return _done(request, assessment, access, question, notice=notice)


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
    item, assessment, access = get_evidence(
        request, evidence_id, assessment_id=assessment_id, action="answer"
    )
    item.assessment = assessment
    question = item.question
    if locked := _locked(request, assessment, access, question):
        return locked
    label = str(item)
    try:
        evidence_service.delete(evidence=item, user=request.user)
    except (AssessmentFinalised, AssessmentFrozen) as exc:
        return _refused(request, assessment, access, question, exc.message)
    notice = f"Removed {label} from the evidence of {question.display_ref}."
    return _done(request, assessment, access, question, notice=notice)
