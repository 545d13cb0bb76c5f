"""Create the "Catalog editors" group: staff in it may maintain control catalogs in the admin.

seed_demo puts the demo catalog admin into this group, so its name is part of the contract.
"""

from django.apps import apps as global_apps
from django.db import migrations

CATALOG_EDITORS = "Catalog editors"
ACTIONS = ("add", "change", "delete", "view")


def create_catalog_editors(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after *all* migrations ran (post_migrate), so on a
    # fresh database they do not exist yet at this point; create them now.
    create_permissions(
        global_apps.get_app_config("scorecard"),
        verbosity=0,
        apps=apps,
        using=schema_editor.connection.alias,
    )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    group, _ = Group.objects.using(db).get_or_create(name=CATALOG_EDITORS)
    model_names = [
        model._meta.model_name for model in apps.get_app_config("scorecard").get_models()
    ]
    codenames = [f"{action}_{name}" for name in model_names for action in ACTIONS]
    permissions = Permission.objects.using(db).filter(
        content_type__app_label="scorecard", codename__in=codenames
    )
    group.permissions.add(*permissions)


def remove_catalog_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=CATALOG_EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scorecard", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_catalog_editors, remove_catalog_editors)]
