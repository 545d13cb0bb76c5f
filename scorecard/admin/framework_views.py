"""The framework admin's own pages: new draft, publish, retire, export, import, compare,
generate questions.

Each delegates the real work: lifecycle to scorecard.services, files to
scorecard.catalog.files (which the import/export commands use too), so the admin pages
cannot drift from them. They take the framework admin as a plain ModelAdmin and use only
what every ModelAdmin has, so this module depends on nothing in `framework`, which
imports it.
"""

from __future__ import annotations

import zlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import reverse

from scorecard import services
from scorecard.admin.base import LOCKED_BANNER
from scorecard.admin.forms import CompareForm, GenerateQuestionsForm, ImportForm, NewDraftForm
from scorecard.catalog import files, import_queue, question_template
from scorecard.catalog.document import normalise_document
from scorecard.catalog.stored_document import framework_to_document
from scorecard.diff import diff_documents
from scorecard.models import CatalogImport, Framework, FrameworkLocked, FrameworkStatus


def _framework(model_admin: ModelAdmin, request: HttpRequest, object_id: int) -> Framework:
    framework = model_admin.get_object(request, str(object_id))
    if framework is None:
        raise Http404("No such framework version.")
    if not model_admin.has_view_permission(request, framework):
        raise PermissionDenied
    return framework


def _change_url(framework: Framework) -> str:
    return reverse("admin:scorecard_framework_change", args=[framework.pk])


def _render(
    model_admin: ModelAdmin,
    request: HttpRequest,
    template: str,
    title: str,
    framework: Framework | None = None,
    status: int = 200,
    **extra: Any,
) -> TemplateResponse:
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "app_label": model_admin.model._meta.app_label,
        "title": title,
        "original": framework,
        "has_view_permission": True,
        **extra,
    }
    return TemplateResponse(
        request, f"admin/scorecard/framework/{template}", context, status=status
    )


def new_draft(model_admin: ModelAdmin, request: HttpRequest, object_id: int) -> HttpResponse:
    framework = _framework(model_admin, request, object_id)
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = NewDraftForm(request.POST or None, framework=framework)
    problems: list = []
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.new_draft_from(
                framework=framework, version=form.cleaned_data["version"]
            )
        except services.CatalogInvalid as invalid:
            # A version taken meanwhile is the user's to fix; anything else is the source's.
            taken = [p for p in invalid.problems if p.path == "framework.version"]
            for problem in taken:
                form.add_error("version", problem.message)
            problems = [p for p in invalid.problems if p not in taken]
        else:
            model_admin.log_addition(request, draft, f"New draft from {framework}.")
            model_admin.message_user(
                request,
                f"{draft} is a new draft copied from {framework.version}.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(_change_url(draft))
    return _render(
        model_admin,
        request,
        "new_draft.html",
        f"New draft from {framework}",
        framework,
        status=400 if form.errors or problems else 200,
        form=form,
        problems=problems,
    )


def publish(model_admin: ModelAdmin, request: HttpRequest, object_id: int) -> HttpResponse:
    framework = _framework(model_admin, request, object_id)
    if not model_admin.has_change_permission(request, framework):
        # Already published or retired (or no right to edit): nothing to publish.
        raise PermissionDenied
    problems: list = []
    if request.method == "POST":
        try:
            services.publish_framework(framework=framework, user=request.user)
        except services.CatalogInvalid as invalid:
            problems = invalid.problems
        except ValidationError as refused:
            model_admin.message_user(request, " ".join(refused.messages), messages.ERROR)
            return HttpResponseRedirect(_change_url(framework))
        else:
            model_admin.log_change(request, framework, "Published.")
            model_admin.message_user(
                request, f"{framework} is published. {LOCKED_BANNER}", messages.SUCCESS
            )
            return HttpResponseRedirect(_change_url(framework))
    return _render(
        model_admin,
        request,
        "publish.html",
        f"Publish {framework}",
        framework,
        status=400 if problems else 200,
        problems=problems,
    )


def retire(model_admin: ModelAdmin, request: HttpRequest, object_id: int) -> HttpResponse:
    framework = _framework(model_admin, request, object_id)
    # Retiring changes only the status, which the lock allows; it still needs edit rights.
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    if framework.status != FrameworkStatus.PUBLISHED:
        model_admin.message_user(
            request, "Only a published version can be retired.", messages.ERROR
        )
        return HttpResponseRedirect(_change_url(framework))
    if request.method == "POST":
        try:
            services.retire_framework(framework=framework)
        except ValidationError as refused:
            model_admin.message_user(request, " ".join(refused.messages), messages.ERROR)
        else:
            model_admin.log_change(request, framework, "Retired.")
            model_admin.message_user(request, f"{framework} is retired.", messages.SUCCESS)
        return HttpResponseRedirect(_change_url(framework))
    return _render(model_admin, request, "retire.html", f"Retire {framework}", framework)


# URL name -> (format of scorecard.catalog.files, content type, file name ending)
EXPORTS = {
    "yaml": ("native", "application/yaml; charset=utf-8", "yaml"),
    "oscal": ("oscal", "application/json; charset=utf-8", "oscal.json"),
}


def export(model_admin: ModelAdmin, request: HttpRequest, object_id: int, fmt: str) -> HttpResponse:
    framework = _framework(model_admin, request, object_id)
    if fmt not in EXPORTS:
        raise Http404(f"No export format {fmt!r}; use {' or '.join(EXPORTS)}.")
    file_format, content_type, ending = EXPORTS[fmt]
    content = files.export_framework(framework, fmt=file_format)
    response = HttpResponse(content, content_type=content_type)
    filename = f"{framework.slug}-{framework.version}.{ending}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def import_catalog(model_admin: ModelAdmin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if import_queue.runs_in_background(upload.size):
            queued = import_queue.queue_import(
                upload=upload,
                user=request.user,
                fmt=form.cleaned_data["format"],
                version=form.cleaned_data["version"],
            )
            return HttpResponseRedirect(_import_status_url(queued))
        try:
            framework = files.import_bytes(
                form.read_upload(),
                filename=upload.name,
                fmt=form.cleaned_data["format"] or None,
                version=form.cleaned_data["version"] or None,
            )
        except services.CatalogInvalid as invalid:
            problems = invalid.problems
        else:
            model_admin.log_addition(request, framework, f"Imported from {upload.name}.")
            model_admin.message_user(request, f"Imported {framework}.", messages.SUCCESS)
            missing = question_template.controls_without_scored_question(framework).count()
            if missing:
                model_admin.message_user(
                    request,
                    f"{missing} control(s) have no scored question yet: write them, or use "
                    "Generate questions, before publishing.",
                    messages.WARNING,
                )
            return HttpResponseRedirect(_change_url(framework))
    return _render(
        model_admin,
        request,
        "import.html",
        "Import a catalog",
        status=400 if problems or form.errors else 200,
        form=form,
        problems=problems,
        inline_limit=settings.CATALOG_IMPORT_INLINE_BYTES,
    )


def _import_status_url(job: CatalogImport) -> str:
    return reverse("admin:scorecard_framework_import_status", args=[job.pk])


def import_status(model_admin: ModelAdmin, request: HttpRequest, import_id) -> HttpResponse:
    """A background import's progress; the page asks again every 2 s until it ends."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    job = CatalogImport.objects.select_related("framework", "requested_by").filter(pk=import_id)
    job = job.first()
    if job is None:
        raise Http404("No such catalog import.")
    # The state the page shows: a poll that finds it unchanged gets an empty 204 and swaps
    # nothing, so a screen reader does not hear the same status every two seconds.
    shown = f"{job.status}:{zlib.crc32(job.progress.encode()):x}"
    if request.htmx and request.GET.get("shown") == shown:
        return HttpResponse(status=204)
    extra = {
        "job": job,
        "shown": shown,
        "status_url": _import_status_url(job),
        "inline_limit": settings.CATALOG_IMPORT_INLINE_BYTES,
    }
    if request.htmx:
        return TemplateResponse(request, "admin/scorecard/framework/_import_status.html", extra)
    return _render(
        model_admin, request, "import_status.html", f"Import of {job.file_name}", **extra
    )


def generate_questions(
    model_admin: ModelAdmin, request: HttpRequest, object_id: int
) -> HttpResponse:
    framework = _framework(model_admin, request, object_id)
    if not model_admin.has_change_permission(request, framework):
        # Published or retired (or no right to edit): its questions cannot change.
        raise PermissionDenied
    form = GenerateQuestionsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = question_template.generate_questions(framework=framework, **form.cleaned_data)
        except FrameworkLocked as locked:  # published meanwhile
            model_admin.message_user(request, " ".join(locked.messages), messages.ERROR)
            return HttpResponseRedirect(_change_url(framework))
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            model_admin.log_change(request, framework, f"Generated {created} question(s).")
            model_admin.message_user(
                request,
                f"Generated {created} question(s). They are draft questions like any other: "
                "open a control to edit its question.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(_change_url(framework))
    return _render(
        model_admin,
        request,
        "generate_questions.html",
        f"Generate questions for {framework}",
        framework,
        status=400 if form.errors else 200,
        form=form,
        missing=question_template.controls_without_scored_question(framework).count(),
    )


def compare(model_admin: ModelAdmin, request: HttpRequest, object_id: int) -> HttpResponse:
    framework = _framework(model_admin, request, object_id)
    form = CompareForm(request.GET or None, framework=framework)
    diff = None
    if form.is_bound and form.is_valid():
        other = form.cleaned_data["other"]
        # Always read from the older version to the newer, whichever page the user came from.
        old, new = sorted((framework, other), key=lambda f: (f.created_at, f.pk))
        # Normalised as exports are, so rows stored without a display code compare with the
        # code they are exported (and copied into a new draft) with, not as a change.
        diff = diff_documents(
            normalise_document(framework_to_document(old)),
            normalise_document(framework_to_document(new)),
        )
    return _render(
        model_admin,
        request,
        "compare.html",
        f"Compare {framework} with another version",
        framework,
        form=form,
        diff=diff,
    )
