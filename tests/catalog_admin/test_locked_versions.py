"""Published and retired versions are read-only in the admin, and the database agrees."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from scorecard.models import Control, Domain, Framework, FrameworkLocked, FrameworkStatus, Question
from tests.catalog_admin.conftest import build_catalog
from tests.catalog_admin.helpers import form_data

pytestmark = pytest.mark.django_db


def _change(obj) -> str:
    return reverse(f"admin:scorecard_{obj._meta.model_name}_change", args=[obj.pk])


def _delete(obj) -> str:
    return reverse(f"admin:scorecard_{obj._meta.model_name}_delete", args=[obj.pk])


def test_published_framework_page_is_read_only_with_a_banner(editor_client, published):
    response = editor_client.get(_change(published.framework))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Published versions are read-only; create a new draft" in page
    assert reverse("admin:scorecard_framework_new_draft", args=[published.framework.pk]) in page
    assert 'name="_save"' not in page
    context = response.context
    assert not context["has_change_permission"] and not context["has_delete_permission"]
    for inline in context["inline_admin_formsets"]:
        assert not inline.has_add_permission
        assert not inline.has_change_permission
        assert not inline.has_delete_permission


@pytest.mark.parametrize("kind", ["framework", "domain", "control", "question"])
def test_posting_the_change_form_of_a_locked_part_is_refused(editor_client, kind):
    catalog = build_catalog(status=FrameworkStatus.PUBLISHED)
    draft_twin = build_catalog(slug="twin")  # same shape, editable: source of a valid body
    target = {
        "framework": (catalog.framework, draft_twin.framework),
        "domain": (catalog.domains[0], draft_twin.domains[0]),
        "control": (catalog.controls[0], draft_twin.controls[0]),
        "question": (catalog.questions[0], draft_twin.questions[0]),
    }[kind]
    locked, twin = target
    data = form_data(editor_client.get(_change(twin)))
    data["name"] = data["text"] = "Changed behind the banner"
    before = type(locked).objects.filter(pk=locked.pk).values().get()

    response = editor_client.post(_change(locked), data)

    assert response.status_code == 403
    assert type(locked).objects.filter(pk=locked.pk).values().get() == before


@pytest.mark.parametrize("kind", ["framework", "domain", "control", "question"])
def test_deleting_a_locked_part_is_refused(editor_client, kind):
    catalog = build_catalog(status=FrameworkStatus.RETIRED)
    obj = {
        "framework": catalog.framework,
        "domain": catalog.domains[0],
        "control": catalog.controls[0],
        "question": catalog.questions[0],
    }[kind]
    assert editor_client.get(_delete(obj)).status_code == 403
    assert editor_client.post(_delete(obj), {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert Question.objects.filter(framework=catalog.framework).count() == len(catalog.questions)


def test_bulk_delete_with_a_locked_version_in_the_selection_deletes_nothing(
    editor_client, published, catalog
):
    url = reverse("admin:scorecard_control_changelist")
    selection = [published.controls[0].pk, catalog.controls[0].pk]
    body = {"action": "delete_selected", "_selected_action": selection, "post": "yes"}
    response = editor_client.post(url, body, follow=True)
    assert "Nothing was deleted" in response.content.decode()
    assert Control.objects.filter(pk__in=selection).count() == 2


def test_bulk_delete_of_draft_parts_still_works(editor_client, catalog):
    url = reverse("admin:scorecard_question_changelist")
    selection = [q.pk for q in catalog.questions[:2]]
    body = {"action": "delete_selected", "_selected_action": selection, "post": "yes"}
    editor_client.post(url, body)
    assert not Question.objects.filter(pk__in=selection).exists()


def test_the_model_guard_refuses_even_when_the_admin_check_is_bypassed(
    editor_client, published, monkeypatch
):
    # The admin's read-only display is a convenience; this is the protection underneath.
    control_admin = site._registry[Control]
    monkeypatch.setattr(type(control_admin), "has_change_permission", lambda *a, **k: True)
    locked = published.controls[0]
    data = form_data(editor_client.get(_change(locked)))
    data["name"] = "Changed behind the banner"
    with pytest.raises(FrameworkLocked):
        editor_client.post(_change(locked), data)
    assert Control.objects.get(pk=locked.pk).name == locked.name


def test_status_cannot_be_set_through_the_change_form(editor_client, catalog):
    url = _change(catalog.framework)
    data = form_data(editor_client.get(url))
    data["status"] = FrameworkStatus.PUBLISHED
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert Framework.objects.get(pk=catalog.framework.pk).status == FrameworkStatus.DRAFT


def test_locked_versions_are_not_offered_when_adding_a_part(editor_client, published, catalog):
    response = editor_client.get(reverse("admin:scorecard_domain_add"))
    choices = response.context["adminform"].form.fields["framework"].queryset
    assert list(choices) == [catalog.framework]
    body = {"framework": published.framework.pk, "ref": "new", "name": "New", "weight": "1"}
    body["position"] = "0"
    response = editor_client.post(reverse("admin:scorecard_domain_add"), body)
    assert response.status_code == 200
    assert "framework" in response.context["adminform"].form.errors
    assert not Domain.objects.filter(ref="new").exists()


@pytest.mark.parametrize("kind", ["domain", "control", "question", "persona"])
def test_parts_of_a_locked_version_show_the_banner_and_no_save(editor_client, published, kind):
    obj = {
        "domain": published.domains[0],
        "control": published.controls[0],
        "question": published.questions[0],
        "persona": published.personas[0],
    }[kind]
    page = editor_client.get(_change(obj)).content.decode()
    assert "Published versions are read-only; create a new draft" in page
    assert 'name="_save"' not in page
    assert _change(published.framework) in page  # the way back up to the version


def test_a_locked_control_lists_its_personas_and_risks(editor_client, published):
    page = editor_client.get(_change(published.controls[0])).content.decode()
    assert "Persona 0" in page and "Risk 0" in page


def test_a_draft_can_be_deleted_with_its_whole_tree(editor_client, catalog):
    framework = catalog.framework
    assert editor_client.post(_delete(framework), {"post": "yes"}).status_code == 302
    assert not Framework.objects.filter(pk=framework.pk).exists()
    assert not Control.objects.filter(framework_id=framework.pk).exists()
