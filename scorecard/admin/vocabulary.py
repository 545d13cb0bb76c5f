"""Admin for a version's vocabulary (components, lifecycle stages, actor access, impact
types) and its mapping schemes. Read-only for published versions, like every catalog part."""

from __future__ import annotations

from django.contrib import admin

from scorecard.admin.base import CatalogPartAdmin
from scorecard.models import MappingScheme, Term


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
