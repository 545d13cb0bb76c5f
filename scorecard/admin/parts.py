"""Admin for the parts of a version, in editing order: domain -> control -> question -> option.

Every list is filtered by framework and loads its related rows with the page's own query,
so a page costs the same number of queries for a 30- or a 300-control catalog.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse

from scorecard.admin.base import CatalogInline, CatalogPartAdmin
from scorecard.admin.forms import ControlForm, DomainForm
from scorecard.catalog.mappings import title_of
from scorecard.models import (
    Control,
    ControlMapping,
    Domain,
    MappingScheme,
    Option,
    Persona,
    PersonaQuestion,
    Question,
    Risk,
)

FRAMEWORK_PARAM = "framework__id__exact"
SHORT_TEXT = forms.Textarea(attrs={"rows": 2, "cols": 50})


def _link(obj: models.Model) -> tuple[str, str]:
    meta = obj._meta
    return str(obj), reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


class DomainOfFrameworkFilter(admin.SimpleListFilter):
    """Domains of the framework chosen in the framework filter; hidden until one is chosen,
    because listing every domain of every version would be long and meaningless."""

    title = "domain"
    parameter_name = "domain"
    lookup = "domain_id"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        framework_id = request.GET.get(FRAMEWORK_PARAM)
        if not (framework_id and framework_id.isdigit()):
            return []
        domains = Domain.objects.filter(framework_id=int(framework_id)).only("pk", "ref", "name")
        return [(str(domain.pk), str(domain)) for domain in domains]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{self.lookup: int(value)})
        return queryset


class QuestionDomainFilter(DomainOfFrameworkFilter):
    lookup = "control__domain_id"


class ControlInline(CatalogInline):
    model = Control
    fields = ("position", "code", "ref", "name", "weight", "critical")
    verbose_name_plural = "controls (open one to edit its questions)"


class SubDomainInline(CatalogInline):
    model = Domain
    fk_name = "parent"
    fields = ("position", "code", "ref", "name", "weight")
    verbose_name = "sub-domain"
    verbose_name_plural = "sub-domains"


@admin.register(Domain)
class DomainAdmin(CatalogPartAdmin):
    form = DomainForm
    list_display = (
        "code",
        "ref",
        "name",
        "framework",
        "parent",
        "weight",
        "position",
        "control_count",
    )
    list_filter = ("framework", "framework__status")
    list_select_related = ("framework", "parent")
    search_fields = ("code", "ref", "name")
    fields = ("framework", "parent", "position", "code", "ref", "name", "description", "weight")
    inlines = [ControlInline, SubDomainInline]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).annotate(n_controls=Count("controls"))

    @admin.display(description="controls", ordering="n_controls")
    def control_count(self, obj: Domain) -> int:
        return obj.n_controls

    def parent_links(self, obj: Domain) -> list[tuple[str, str]]:
        links = super().parent_links(obj)
        return [*links, _link(obj.parent)] if obj.parent_id else links


class QuestionInline(CatalogInline):
    model = Question
    fields = ("position", "code", "ref", "type", "text", "weight", "allow_na")
    formfield_overrides = {models.TextField: {"widget": SHORT_TEXT}}
    verbose_name_plural = "questions (open a choice question to edit its options)"


class MappingInline(CatalogInline):
    model = ControlMapping
    fields = ("position", "scheme", "reference", "title")
    readonly_fields = ("title",)
    show_change_link = False

    @admin.display(description="title")
    def title(self, obj: ControlMapping) -> str:
        """The title the version's mapping scheme gives the reference, when it gives one."""
        if not obj.framework_id:
            return ""
        # Django makes the inline anew for each request, so this reads the schemes once a page.
        cache = self.__dict__.setdefault("_schemes", {})
        if obj.framework_id not in cache:
            rows = MappingScheme.objects.filter(framework_id=obj.framework_id)
            cache[obj.framework_id] = {row["ref"]: row for row in rows.values("ref", "titles")}
        return title_of(cache[obj.framework_id].get(obj.scheme) or {}, obj.reference)


@admin.register(Control)
class ControlAdmin(CatalogPartAdmin):
    form = ControlForm
    list_display = (
        "code",
        "ref",
        "name",
        "domain",
        "framework",
        "critical",
        "weight",
        "question_count",
    )
    list_filter = ("framework", DomainOfFrameworkFilter, "critical", "framework__status")
    list_select_related = ("framework", "domain")
    search_fields = ("code", "ref", "name")
    fieldsets = (
        (None, {"fields": ("framework", "domain", "position", "code", "ref", "name")}),
        (None, {"fields": ("description", "guidance", "weight", "critical")}),
        ("Applies to", {"fields": ("linked_personas", "linked_risks")}),
        (
            "Risk Map terms and autonomy",
            {
                "fields": (
                    "components",
                    "lifecycle_stages",
                    "actor_access",
                    "impact_types",
                    "evidence_autonomy",
                ),
                "description": 'Term ids from this version\'s vocabulary, or "all" or "none".',
            },
        ),
    )
    inlines = [QuestionInline, MappingInline]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).annotate(n_questions=Count("questions"))

    @admin.display(description="questions", ordering="n_questions")
    def question_count(self, obj: Control) -> int:
        return obj.n_questions

    def parent_links(self, obj: Control) -> list[tuple[str, str]]:
        return [*super().parent_links(obj), _link(obj.domain)]

    # Shown in place of the form fields of the same name when the version is read-only.
    @admin.display(description="personas")
    def linked_personas(self, obj: Control) -> str:
        return ", ".join(str(persona) for persona in obj.personas.all()) or "(none)"

    @admin.display(description="risks")
    def linked_risks(self, obj: Control) -> str:
        return ", ".join(str(risk) for risk in obj.risks.all()) or "(none)"

    def save_related(self, request: HttpRequest, form: ControlForm, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        form.save_links()


class OptionInline(CatalogInline):
    model = Option
    fields = ("position", "label", "value", "description")
    formfield_overrides = {models.TextField: {"widget": SHORT_TEXT}}
    show_change_link = False
    verbose_name_plural = "options (choice questions only; scale and yes/no ones are implied)"


@admin.register(Question)
class QuestionAdmin(CatalogPartAdmin):
    list_display = ("code", "ref", "control", "framework", "type", "weight", "allow_na")
    list_filter = ("framework", QuestionDomainFilter, "type", "framework__status")
    list_select_related = ("framework", "control")
    search_fields = ("code", "ref", "text")
    fields = (
        "framework",
        "control",
        "position",
        "code",
        "ref",
        "type",
        "text",
        "help",
        "weight",
        "allow_na",
        "evidence",
    )
    inlines = [OptionInline]

    def parent_links(self, obj: Question) -> list[tuple[str, str]]:
        return [*super().parent_links(obj), _link(obj.control)]


class PersonaQuestionInline(CatalogInline):
    model = PersonaQuestion
    fields = ("position", "text")
    formfield_overrides = {models.TextField: {"widget": SHORT_TEXT}}
    show_change_link = False


@admin.register(Persona)
class PersonaAdmin(CatalogPartAdmin):
    list_display = ("ref", "name", "framework", "position")
    list_filter = ("framework", "framework__status")
    list_select_related = ("framework",)
    search_fields = ("ref", "name")
    fields = (
        "framework",
        "position",
        "ref",
        "name",
        "description",
        "responsibilities",
        "mappings",
    )
    inlines = [PersonaQuestionInline]


@admin.register(Risk)
class RiskAdmin(CatalogPartAdmin):
    list_display = ("ref", "name", "category", "framework", "position")
    list_filter = ("framework", "category", "framework__status")
    list_select_related = ("framework",)
    search_fields = ("ref", "name", "category")
    fields = (
        "framework",
        "position",
        "ref",
        "name",
        "category",
        "description",
        "long_description",
        "examples",
        "references",
        "mappings",
        "lifecycle_stages",
        "actor_access",
        "impact_types",
    )
