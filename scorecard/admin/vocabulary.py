"""Admin for a version's vocabulary (components, lifecycle stages, actor access, impact
types), its mapping schemes and the controls its source withdrew. Read-only for published
versions, like every catalog part."""

from __future__ import annotations

from django.contrib import admin

from scorecard.admin.base import CatalogPartAdmin
from scorecard.models import MappingScheme, Term, WithdrawnControl


@admin.register(Term)
class TermAdmin(CatalogPartAdmin):
    list_display = ("ref", "name", "kind", "parent", "group", "framework", "position")
    list_filter = ("framework", "kind", "framework__status")
    list_select_related = ("framework", "parent")
    search_fields = ("ref", "name", "description")
    fields = ("framework", "kind", "position", "ref", "name", "description", "parent", "group")


@admin.register(MappingScheme)
class MappingSchemeAdmin(CatalogPartAdmin):
    list_display = ("ref", "name", "version", "framework", "position")
    list_filter = ("framework", "framework__status")
    list_select_related = ("framework",)
    search_fields = ("ref", "name", "full_name")
    fields = (
        "framework",
        "position",
        "ref",
        "name",
        "full_name",
        "description",
        "version",
        "version_id",
        "supersedes",
        "prior_versions",
        "base_uri",
        "document_uri",
        "technique_uri_pattern",
        "last_updated",
        "applies_to",
        "titles",
    )


@admin.register(WithdrawnControl)
class WithdrawnControlAdmin(CatalogPartAdmin):
    """What a source withdrew, shown so its ids still lead somewhere; never edited here,
    since the source decides what is withdrawn and the export writes it back as it came."""

    list_display = ("ref", "label", "name", "successor_list", "domain", "framework")
    list_filter = ("framework", "framework__status")
    list_select_related = ("framework", "domain")
    search_fields = ("ref", "name")
    fields = ("framework", "domain", "ref", "name", "enhances", "successors")
    readonly_fields = fields

    @admin.display(description="successors")
    def successor_list(self, obj: WithdrawnControl) -> str:
        return ", ".join(obj.successors) or "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
