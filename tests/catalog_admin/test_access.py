"""Who may open the catalog admin: catalog editors, not every staff user."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from assessments.models import User
from scorecard.models import CatalogImport, CatalogImportStatus, Control
from tests.catalog_admin.helpers import form_data, form_errors

pytestmark = pytest.mark.django_db


def _catalog_pages(catalog) -> list[str]:
    framework = catalog.framework
    # A finished background import of this catalog, for its progress page.
    done = CatalogImport.objects.create(
        file_name="catalog.yaml", status=CatalogImportStatus.DONE, framework=framework
    )
    return [
        reverse("admin:scorecard_framework_changelist"),
        reverse("admin:scorecard_framework_change", args=[framework.pk]),
        reverse("admin:scorecard_domain_change", args=[catalog.domains[0].pk]),
        reverse("admin:scorecard_control_changelist"),
        reverse("admin:scorecard_control_change", args=[catalog.controls[0].pk]),
        reverse("admin:scorecard_question_change", args=[catalog.questions[0].pk]),
        reverse("admin:scorecard_framework_import"),
        reverse("admin:scorecard_framework_import_status", args=[done.pk]),
        reverse("admin:scorecard_framework_new_draft", args=[framework.pk]),
        reverse("admin:scorecard_framework_publish", args=[framework.pk]),
        reverse("admin:scorecard_framework_compare", args=[framework.pk]),
        reverse("admin:scorecard_framework_generate_questions", args=[framework.pk]),
        reverse("admin:scorecard_framework_export", args=[framework.pk, "yaml"]),
    ]


def test_migration_gives_catalog_editors_every_scorecard_permission():
    group = Group.objects.get(name="Catalog editors")
    expected = Permission.objects.filter(content_type__app_label="scorecard")
    assert expected.count() == 4 * len(list(apps.get_app_config("scorecard").get_models()))
    assert set(group.permissions.all()) == set(expected)


def test_staff_without_the_group_is_refused_every_catalog_page(staff_client, catalog):
    for url in _catalog_pages(catalog):
        assert staff_client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_the_admin_login(client, catalog):
    for url in _catalog_pages(catalog):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_catalog_editor_opens_every_catalog_page(editor_client, catalog):
    for url in _catalog_pages(catalog):
        assert editor_client.get(url).status_code == 200, url


def test_catalog_editor_edits_a_draft_control(editor_client, catalog):
    control = catalog.controls[0]
    url = reverse("admin:scorecard_control_change", args=[control.pk])
    form = editor_client.get(url).context["adminform"].form
    data = form_data(editor_client.get(url))
    data.update(name="Renamed control", linked_personas=[p.pk for p in catalog.personas])
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    control.refresh_from_db()
    assert control.name == "Renamed control"
    assert set(control.personas.all()) == set(catalog.personas)
    assert form.fields["linked_personas"].queryset.count() == len(catalog.personas)


def test_staff_without_the_group_cannot_post_changes(staff_client, catalog):
    control = catalog.controls[0]
    url = reverse("admin:scorecard_control_change", args=[control.pk])
    response = staff_client.post(url, {"name": "Hijacked"})
    assert response.status_code == 403
    assert Control.objects.get(pk=control.pk).name == control.name


def test_demo_catalog_admin_from_seed_demo_can_use_the_catalog_admin(client, catalog):
    call_command("seed_demo")
    admin = User.objects.get(email="admin@demo.example")
    client.force_login(admin)
    assert client.get(reverse("admin:scorecard_framework_changelist")).status_code == 200
    url = reverse("admin:scorecard_framework_change", args=[catalog.framework.pk])
    assert 'name="_save"' in client.get(url).content.decode()
