"""The Catalog editors group: staff in it maintain control catalogs in the admin."""

from __future__ import annotations

CATALOG_EDITORS = "Catalog editors"
ACTIONS = ("add", "change", "delete", "view")


def ensure_catalog_editors(**kwargs) -> None:
    """Give the group every permission on the catalog's models.

    Runs after every migrate (and after test database flushes), so a catalog model
    added later is covered without a migration of its own.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    model_names = [
        model._meta.model_name for model in apps.get_app_config("scorecard").get_models()
    ]
    codenames = [f"{action}_{name}" for name in model_names for action in ACTIONS]
    group, _ = Group.objects.get_or_create(name=CATALOG_EDITORS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="scorecard", codename__in=codenames)
    )
