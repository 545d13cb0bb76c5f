"""What every catalog admin page shares: framework scoping and read-only locked versions.

The admin hides edit controls for published and retired versions, but that is only
courtesy: the model guard (FrameworkLocked) refuses the write whatever the admin shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import UniqueConstraint
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse

from scorecard.catalog import limits
from scorecard.models import Framework, FrameworkStatus

LOCKED_BANNER = "Published versions are read-only; create a new draft to change them."


def framework_of(obj: models.Model | None) -> Framework | None:
    if obj is None:
        return None
    if isinstance(obj, Framework):
        return obj
    if getattr(obj, "framework_id", None) is None:
        return None
    return obj.framework


def is_locked(obj: models.Model | None) -> bool:
    framework = framework_of(obj)
    return framework is not None and framework.is_locked


def has_framework(model: type[models.Model]) -> bool:
    return any(f.name == "framework" for f in model._meta.fields) and model is not Framework


def framework_scoped_unique_fields(model: type[models.Model]) -> list[list[str]]:
    """For each unique constraint that includes the framework, its other fields."""
    return [
        [name for name in constraint.fields if name != "framework"]
        for constraint in model._meta.constraints
        if isinstance(constraint, UniqueConstraint) and "framework" in constraint.fields
    ]


def _labels(model: type[models.Model], names: list[str]) -> str:
    return " and ".join(str(model._meta.get_field(name).verbose_name) for name in names)


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Form fields held to the catalog limits, by name: the same names mean the same thing on
# every model of the catalog (Domain/Control/Question weight, Option/ScaleOption value ...).
FIELD_LIMITS: dict[str, Callable[[Any], str | None]] = {
    "weight": limits.weight_problem,
    "value": limits.option_value_problem,
    "min_score": limits.score_problem,
    "critical_threshold": limits.score_problem,
    "ref": limits.id_problem,
}


def _limit_validator(check: Callable[[Any], str | None]) -> Callable[[Any], None]:
    def validate(value: Any) -> None:
        problem = check(value)
        if problem:
            raise ValidationError(problem[0].upper() + problem[1:] + ".", code="catalog_limit")

    return validate


class CatalogLimitsMixin:
    """Refuses, as a field error, a number or id that import and publishing would refuse.

    Django's float field already turns "nan" and "inf" into "Enter a number."; this adds
    the ranges (1e308 parses as a float but no weight can be that large) and the id rule.
    """

    fields: dict[str, forms.Field]

    def apply_limits(self) -> None:
        for name, check in FIELD_LIMITS.items():
            field = self.fields.get(name)
            if field is not None:
                field.validators.append(_limit_validator(check))


class FrameworkForm(CatalogLimitsMixin, forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_limits()


class CatalogPartForm(CatalogLimitsMixin, forms.ModelForm):
    """Choices restricted to one framework version, and uniqueness checked within it.

    `framework` is usually not a form field (read-only on change, implied by the parent in
    inlines), so Django skips the framework-scoped unique constraints; they are checked here
    so a duplicate id is a form error rather than a database error.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_limits()
        if "framework" in self.fields:
            # New parts only ever go into drafts.
            self.fields["framework"].queryset = Framework.objects.drafts()
        self.restrict_choices(self.instance.framework_id or self._chosen_framework_id())

    def _chosen_framework_id(self) -> int | None:
        if "framework" not in self.fields:
            return None
        if self.is_bound:
            return _as_int(self.data.get(self.add_prefix("framework")))
        initial = self.initial.get("framework")
        return _as_int(getattr(initial, "pk", initial))

    def restrict_choices(self, framework_id: int | None) -> None:
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if name == "framework" or queryset is None or not has_framework(queryset.model):
                continue
            if framework_id:
                field.queryset = queryset.filter(framework_id=framework_id)
            else:
                field.queryset = queryset.filter(framework__status=FrameworkStatus.DRAFT)

    def framework_id_for(self, cleaned: dict[str, Any]) -> int | None:
        chosen = cleaned.get("framework")
        return chosen.pk if isinstance(chosen, Framework) else self.instance.framework_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        framework_id = self.framework_id_for(cleaned)
        if framework_id is None:
            return cleaned
        self._check_same_framework(cleaned, framework_id)
        self._check_unique_in_framework(cleaned, framework_id)
        return cleaned

    def _check_same_framework(self, cleaned: dict[str, Any], framework_id: int) -> None:
        for name, value in cleaned.items():
            if name == "framework":
                continue
            values = value if isinstance(value, list | models.QuerySet) else [value]
            strangers = [
                item
                for item in values
                if isinstance(item, models.Model)
                and has_framework(type(item))
                and item.framework_id != framework_id
            ]
            if strangers:
                self.add_error(name, f"{strangers[0]} belongs to another framework version.")

    def _check_unique_in_framework(self, cleaned: dict[str, Any], framework_id: int) -> None:
        if isinstance(self.fields.get("framework"), forms.ModelChoiceField):
            return  # A chosen framework is a form field, so Django checks the constraints.
        model = self._meta.model
        for others in framework_scoped_unique_fields(model):
            if not all(name in cleaned for name in others):
                continue
            if self.instance.pk and not set(others) & set(self.changed_data):
                continue
            lookup = {name: cleaned[name] for name in others}
            if "" in lookup.values():
                continue  # an empty display code is "none yet", never a clash
            clash = model._default_manager.filter(framework_id=framework_id, **lookup)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    others[0],
                    f"Another {model._meta.verbose_name} in this framework version already "
                    f"has this {_labels(model, others)}.",
                )


class CatalogInlineFormSet(BaseInlineFormSet):
    """Gives new rows the parent's framework and catches duplicates among submitted rows."""

    def parent_framework_id(self) -> int | None:
        parent = self.instance
        return parent.pk if isinstance(parent, Framework) else parent.framework_id

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if form.instance.framework_id is None:
            form.instance.framework_id = self.parent_framework_id()
            if isinstance(form, CatalogPartForm):
                form.restrict_choices(form.instance.framework_id)

    def clean(self) -> None:
        super().clean()
        if self.fk.name == "framework":
            return  # Django's own formset check covers constraints on the inline key.
        for others in framework_scoped_unique_fields(self.model):
            seen: set[tuple[Any, ...]] = set()
            for form in self.forms:
                data = getattr(form, "cleaned_data", None)
                if not data or data.get("DELETE") or not all(name in data for name in others):
                    continue
                key = tuple(data[name] for name in others)
                if "" in key:
                    continue  # an empty display code is "none yet", never a clash
                if key in seen:
                    shown = ", ".join(map(str, key))
                    raise forms.ValidationError(
                        f"Two rows have the same {_labels(self.model, others)}: {shown}."
                    )
                seen.add(key)


@admin.action(permissions=["delete"], description="Delete selected %(verbose_name_plural)s")
def delete_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: models.QuerySet):
    """Django's bulk delete, refused up front when a locked version is among the selection."""
    lookup = "status" if queryset.model is Framework else "framework__status"
    if queryset.exclude(**{lookup: FrameworkStatus.DRAFT}).exists():
        modeladmin.message_user(
            request,
            "Nothing was deleted: the selection includes published or retired versions. "
            + LOCKED_BANNER,
            messages.ERROR,
        )
        return None
    return django_delete_selected(modeladmin, request, queryset)


class LockedAwareAdmin(admin.ModelAdmin):
    """Read-only pages and no delete for locked versions; banner and parent links."""

    actions = [delete_selected]

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and not is_locked(obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not is_locked(obj)

    def parent_links(self, obj: models.Model) -> list[tuple[str, str]]:
        """(label, url) pairs from the framework down to the direct parent of `obj`."""
        framework = framework_of(obj)
        if framework is None or isinstance(obj, Framework):
            return []
        return [(str(framework), reverse("admin:scorecard_framework_change", args=[framework.pk]))]

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: models.Model | None = None,
    ):
        framework = framework_of(obj)
        context.update(
            catalog_framework=framework,
            catalog_locked=is_locked(obj),
            catalog_banner=LOCKED_BANNER,
            catalog_parents=self.parent_links(obj) if obj is not None else [],
        )
        return super().render_change_form(request, context, add, change, form_url, obj)


class CatalogPartAdmin(LockedAwareAdmin):
    """Admin for a model inside a framework version."""

    form = CatalogPartForm
    list_per_page = 100

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # The changelist skips list_select_related once the queryset has any select_related,
        # so both are applied here.
        related = (
            self.list_select_related if isinstance(self.list_select_related, tuple | list) else ()
        )
        return super().get_queryset(request).select_related("framework", *related)

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        # A part never moves to another version; copies are made with "new draft".
        return (*readonly, "framework") if obj is not None else readonly

    def get_inlines(self, request: HttpRequest, obj: models.Model | None):
        # Rows below need their parent saved first; add it, then continue editing.
        return super().get_inlines(request, obj) if obj is not None else []


class CatalogInline(admin.TabularInline):
    """An inline whose rows belong to the parent's framework version."""

    form = CatalogPartForm
    formset = CatalogInlineFormSet
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None) -> bool:
        return super().has_add_permission(request, obj) and not is_locked(obj)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and not is_locked(obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not is_locked(obj)
