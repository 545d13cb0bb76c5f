"""Framework versions: the list, the change page with its small inlines, and actions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse

from scorecard import services
from scorecard.admin import framework_views as views
from scorecard.admin.base import CatalogInline, FrameworkForm, LockedAwareAdmin
from scorecard.models import (
    Control,
    Domain,
    Framework,
    FrameworkStatus,
    Persona,
    Question,
    Risk,
    ScaleOption,
    Tier,
)


def _count_in_framework(model: type[models.Model]) -> Coalesce:
    # A correlated subquery per kind: joining all kinds at once would multiply the rows.
    counted = (
        model.objects.filter(framework=OuterRef("pk"))
        .order_by()
        .values("framework")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


class ScaleOptionInline(CatalogInline):
    model = ScaleOption
    fields = ("position", "label", "value", "description")
    show_change_link = False
    # A full-size textarea per row made the whole change page wider than the window.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 48})}
    }


class TierInline(CatalogInline):
    model = Tier
    fields = ("name", "min_score")
    show_change_link = False


class PersonaInline(CatalogInline):
    model = Persona
    fields = ("position", "ref", "name")
    verbose_name_plural = "personas (open one to edit its questions)"


class RiskInline(CatalogInline):
    model = Risk
    fields = ("position", "ref", "name", "category")


class TopDomainInline(CatalogInline):
    model = Domain
    fk_name = "framework"
    fields = ("position", "code", "ref", "name", "weight")
    verbose_name_plural = "top-level domains (open one to edit its controls and sub-domains)"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).filter(parent__isnull=True)


@admin.register(Framework)
class FrameworkAdmin(LockedAwareAdmin):
    form = FrameworkForm
    list_display = (
        "slug",
        "name",
        "version",
        "status",
        "domain_count",
        "control_count",
        "question_count",
        "updated_at",
    )
    list_display_links = ("slug", "name")
    list_filter = ("status", "slug")
    search_fields = ("slug", "name", "version", "description")
    readonly_fields = ("status", "derived_from", "created_at", "updated_at", "published_at")
    fieldsets = (
        (None, {"fields": ("slug", "name", "version", "status", "description")}),
        ("Scoring", {"fields": ("critical_threshold", "gate_tier")}),
        ("Provenance", {"fields": ("source", "license", "derived_from")}),
        ("History", {"fields": ("created_at", "updated_at", "published_at")}),
    )
    inlines = [ScaleOptionInline, TierInline, PersonaInline, RiskInline, TopDomainInline]
    actions = [*LockedAwareAdmin.actions, "publish_selected", "retire_selected", "new_draft"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_domains=_count_in_framework(Domain),
                n_controls=_count_in_framework(Control),
                n_questions=_count_in_framework(Question),
            )
        )

    def get_inlines(self, request: HttpRequest, obj: Framework | None):
        # Parts are added once the version exists ("Save and continue editing").
        return self.inlines if obj is not None else []

    @admin.display(description="domains", ordering="n_domains")
    def domain_count(self, obj: Framework) -> int:
        return obj.n_domains

    @admin.display(description="controls", ordering="n_controls")
    def control_count(self, obj: Framework) -> int:
        return obj.n_controls

    @admin.display(description="questions", ordering="n_questions")
    def question_count(self, obj: Framework) -> int:
        return obj.n_questions

    def get_urls(self) -> list[URLPattern]:
        def wrap(view):
            return self.admin_site.admin_view(view)

        name = "scorecard_framework"
        return [
            path("import/", wrap(self.import_view), name=f"{name}_import"),
            path(
                "import/<uuid:import_id>/",
                wrap(self.import_status_view),
                name=f"{name}_import_status",
            ),
            path("<int:object_id>/new-draft/", wrap(self.new_draft_view), name=f"{name}_new_draft"),
            path("<int:object_id>/publish/", wrap(self.publish_view), name=f"{name}_publish"),
            path("<int:object_id>/retire/", wrap(self.retire_view), name=f"{name}_retire"),
            path(
                "<int:object_id>/export/<slug:fmt>/",
                wrap(self.export_view),
                name=f"{name}_export",
            ),
            path("<int:object_id>/compare/", wrap(self.compare_view), name=f"{name}_compare"),
            path(
                "<int:object_id>/generate-questions/",
                wrap(self.generate_questions_view),
                name=f"{name}_generate_questions",
            ),
            *super().get_urls(),
        ]

    # The views live in framework_views; these methods give them this admin instance.
    def import_view(self, request: HttpRequest) -> HttpResponse:
        return views.import_catalog(self, request)

    def import_status_view(self, request: HttpRequest, import_id) -> HttpResponse:
        return views.import_status(self, request, import_id)

    def new_draft_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return views.new_draft(self, request, object_id)

    def publish_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return views.publish(self, request, object_id)

    def retire_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return views.retire(self, request, object_id)

    def export_view(self, request: HttpRequest, object_id: int, fmt: str) -> HttpResponse:
        return views.export(self, request, object_id, fmt)

    def compare_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return views.compare(self, request, object_id)

    def generate_questions_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return views.generate_questions(self, request, object_id)

    @admin.action(permissions=["change"], description="Publish selected drafts")
    def publish_selected(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for framework in queryset.filter(status=FrameworkStatus.DRAFT):
            try:
                services.publish_framework(framework=framework, user=request.user)
            except services.CatalogInvalid as invalid:
                self.message_user(
                    request,
                    f"{framework} was not published: {len(invalid.problems)} problem(s).",
                    messages.ERROR,
                )
                for problem in invalid.problems:
                    self.message_user(request, f"{framework}: {problem}", messages.ERROR)
            except ValidationError as refused:
                self.message_user(
                    request, f"{framework}: {' '.join(refused.messages)}", messages.ERROR
                )
            else:
                self.log_change(request, framework, "Published.")
                self.message_user(request, f"{framework} is published.", messages.SUCCESS)
        skipped = queryset.exclude(status=FrameworkStatus.DRAFT).count()
        if skipped:
            self.message_user(
                request, f"{skipped} selected version(s) were not drafts.", messages.WARNING
            )

    @admin.action(permissions=["change"], description="Retire selected published versions")
    def retire_selected(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for framework in queryset:
            try:
                services.retire_framework(framework=framework)
            except ValidationError as refused:
                self.message_user(
                    request, f"{framework}: {' '.join(refused.messages)}", messages.ERROR
                )
            else:
                self.log_change(request, framework, "Retired.")
                self.message_user(request, f"{framework} is retired.", messages.SUCCESS)

    @admin.action(permissions=["add"], description="New draft from the selected version")
    def new_draft(self, request: HttpRequest, queryset: models.QuerySet) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version to copy.", messages.WARNING)
            return None
        target = reverse("admin:scorecard_framework_new_draft", args=[queryset.get().pk])
        return HttpResponseRedirect(target)
