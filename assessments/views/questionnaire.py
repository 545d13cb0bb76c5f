"""The questionnaire: one page per top-level domain, saving, answer history, catalog preview.

A page costs a constant number of queries whatever its size: the layout comes from the cached
engine catalog and the page's questions, answers, evidence and review comments are read with
one query each (see `assessments.selectors.questionnaire`; the page itself is assembled by
`assessments.questionnaire_page`, which the evidence views share). Evidence has its own views in
`assessments.views.evidence`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from assessments.access import get_assessment
from assessments.forms.questionnaire import (
    QuestionnaireForm,
    answer_state,
    initial_values,
    posted_question_pks,
    state_digest,
)
from assessments.models import Answer, AnswerChange, AssessmentFinalised
from assessments.navigation import edit_refusal, refusal
from assessments.questionnaire_evidence import pop_evidence_errors
from assessments.questionnaire_page import (
    build_sections,
    nav_items,
    page_setup,
    render_page,
)
from assessments.selectors.questionnaire import (
    domain_descriptions,
    load_questions,
    page_answers,
    page_layout,
    question_frameworks,
)
from assessments.services.answers import AnswersRejected, framework_options, save_answers
from assessments.services.guards import AssessmentFrozen
from scorecard import scoring
from scorecard.loader import load_catalog, load_catalog_and_codes
from scorecard.models import Framework, Question

FIELD_LABELS = {
    "option": "Answer",
    "number": "Number",
    "text": "Text",
    "na": "N/A",
    "justification": "Justification",
    "comment": "Comment",
}


# --- views ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def questionnaire_page(request, assessment_id, domain_ref):
    action = "answer" if request.method == "POST" else "view"
    assessment, access = get_assessment(request, assessment_id, action)
    catalog = load_catalog(assessment.framework)
    if scoring.find_top(catalog, domain_ref) is None:
        top = scoring.top_domain_index(catalog).get(domain_ref)
        if top is None:
            raise Http404("No such domain in this framework.")
        url = reverse("questionnaire_page", args=[assessment.pk, top])
        return redirect(f"{url}#domain-{domain_ref}")
    if request.method == "POST" and (locked := edit_refusal(request, assessment)):
        return locked
    catalog, layout, questions, options = page_setup(assessment, domain_ref)
    page = {
        "assessment": assessment,
        "access": access,
        "catalog": catalog,
        "layout": layout,
        "questions": questions,
        "options": options,
    }
    if request.method == "GET":
        return render_page(request, **page, evidence_errors=pop_evidence_errors(request, questions))

    posted = posted_question_pks(request.POST) - {q.pk for q in questions}
    form = QuestionnaireForm(
        framework_id=assessment.framework_id,
        questions=questions,
        options=options,
        data=request.POST,
        posted_frameworks=question_frameworks(posted),
    )
    # A refused save or a conflict redraws the page (200, as Django's form views do): the
    # error summary or the comparison is the answer, and the browser logs no failed load.
    if not form.is_valid():
        return render_page(request, **page, values=request.POST, form=form)
    try:
        result = save_answers(
            assessment=assessment,
            user=request.user,
            submitted=form.answer_inputs(),
        )
    except AnswersRejected as rejected:
        for qid, problems in rejected.by_question.items():
            question = form.page_questions[qid]
            for problem in problems:
                form.add_error(f"q{question.pk}-choice", problem)
        return render_page(request, **page, values=request.POST, form=form)
    except (AssessmentFinalised, AssessmentFrozen) as exc:
        return refusal(request, assessment, exc.message)
    if not result.conflicts:
        count = len(result.saved)
        messages.success(
            request,
            f"Saved {count} answer{'s' if count != 1 else ''}."
            if count
            else "Saved: no answer had changed.",
        )
        return redirect(_then(request, assessment, catalog))
    return _conflict_page(request, page, form, result)


def _then(request, assessment, catalog: scoring.Catalog) -> str:
    """Where to go after a save: the domain named by `then` ("Save and next", or a link the
    page's script turned into a save first) if it is one of this catalog's pages, else back
    to this page. Nothing else is ever a destination, so `then` cannot redirect elsewhere."""
    then = request.POST.get("then", "")
    if then and any(domain.id == then for domain in catalog.domains):
        return reverse("questionnaire_page", args=[assessment.pk, then])
    return request.path


def _conflict_page(request, page, form: QuestionnaireForm, result) -> HttpResponse:
    """Show the stored answers, except where the save collided: there the editor's own values
    stay in the form (to re-submit), with the version that is now current."""
    assessment, questions, options = page["assessment"], page["questions"], page["options"]
    answers = page_answers(assessment, questions)
    values = initial_values(questions, answers, options)
    conflicts = {c.question.pk: c for c in result.conflicts}
    for qid, conflict in conflicts.items():
        question = form.page_questions[qid]
        for part in ("choice", "number", "text", "na", "justification", "comment"):
            name = f"q{question.pk}-{part}"
            values.pop(name, None)
            if name in request.POST:
                values[name] = request.POST[name]
        current = answers.get(qid, conflict.current)
        values[f"q{question.pk}-version"] = str(current.version)
        values[f"q{question.pk}-seen"] = state_digest(answer_state(current))
    saved = len(result.saved)
    messages.warning(
        request,
        f"Saved {saved} answer{'s' if saved != 1 else ''}. "
        f"{len(conflicts)} answer{'s were' if len(conflicts) != 1 else ' was'} changed by "
        "someone else while you edited: compare below and save again to keep yours.",
    )
    return render_page(request, **page, values=values, conflicts=conflicts)


@require_GET
@login_required
def answer_history(request, assessment_id, question_ref):
    assessment, access = get_assessment(request, assessment_id, "view")
    question = get_object_or_404(
        Question.objects.select_related("control"),
        framework=assessment.framework,
        ref=question_ref,
    )
    changes = []
    for change in AnswerChange.objects.filter(
        assessment=assessment, question=question
    ).select_related("changed_by"):
        old, new = change.old or {}, change.new or {}
        fields = [
            (label, _field_text(key, old.get(key)), _field_text(key, new.get(key)))
            for key, label in FIELD_LABELS.items()
            if old.get(key) != new.get(key)
        ]
        changes.append({"change": change, "fields": fields, "first": change.old is None})
    top = scoring.top_domain_index(load_catalog(assessment.framework)).get(question.ref)
    return render(
        request,
        "assessments/questionnaire/history.html",
        {
            "assessment": assessment,
            "access": access,
            "question": question,
            "changes": changes,
            "current": Answer.objects.filter(assessment=assessment, question=question).first(),
            "back_url": reverse("questionnaire_page", args=[assessment.pk, top])
            + f"#q{question.pk}"
            if top
            else reverse("assessment_detail", args=[assessment.pk]),
        },
    )


def _field_text(key: str, value) -> str:
    if key == "na":
        return "yes" if value else "no"
    if value is None or value == "":
        return "—"
    if key == "number":
        return f"{value:g}"
    return str(value)


@require_GET
@staff_member_required
def catalog_preview(request, framework_id):
    """A catalog admin's view of the questionnaire exactly as a team sees it, read-only."""
    if not request.user.has_perm("scorecard.view_framework"):
        raise PermissionDenied("You may not view control catalogs.")
    framework = get_object_or_404(Framework, pk=framework_id)
    catalog, codes = load_catalog_and_codes(framework)
    if not catalog.domains:
        raise Http404("This framework version has no domains yet.")
    domain_ref = request.GET.get("domain") or catalog.domains[0].id
    top = scoring.find_top(catalog, domain_ref)
    if top is None:
        raise Http404("No such domain in this framework.")
    layout = page_layout(top, ())
    questions = load_questions(framework, layout)
    options = framework_options(framework)
    base = reverse("catalog_preview", args=[framework.pk])
    context = {
        "assessment": None,
        "access": None,
        "framework": framework,
        "domain": top,
        "domain_code": codes.domain(top.id),
        "sections": build_sections(
            layout=layout,
            questions=questions,
            values=initial_values(questions, {}, options),
            options=options,
            descriptions=domain_descriptions(questions),
            codes=codes,
        ),
        "question_count": len(questions),
        "nav": nav_items(
            catalog, (), top.id, lambda ref: f"{base}?{urlencode({'domain': ref})}", None, codes
        ),
        "editable": False,
        "preview": True,
        "form_errors": [],
        "conflicts": [],
    }
    return render(request, "assessments/questionnaire/page.html", context)
