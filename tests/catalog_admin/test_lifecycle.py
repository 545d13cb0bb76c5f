"""New draft, publish, retire, export and compare from the framework admin."""

import pytest
from django.urls import reverse

from scorecard.catalog import native, stored_document
from scorecard.catalog.document import normalise_document
from scorecard.models import Control, Domain, Framework, FrameworkStatus, Question
from tests.catalog_admin.conftest import build_catalog

pytestmark = pytest.mark.django_db


def _url(name: str, framework: Framework, *args) -> str:
    return reverse(f"admin:scorecard_framework_{name}", args=[framework.pk, *args])


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_new_draft_asks_for_a_version_and_copies_the_tree(editor_client, published):
    url = _url("new_draft", published.framework)
    assert 'name="version"' in editor_client.get(url).content.decode()
    response = editor_client.post(url, {"version": "2.0"})
    draft = Framework.objects.get(slug=published.framework.slug, version="2.0")
    assert response.status_code == 302
    assert response["Location"] == _url("change", draft)
    assert (draft.status, draft.derived_from) == (FrameworkStatus.DRAFT, published.framework)
    assert Control.objects.filter(framework=draft).count() == len(published.controls)


@pytest.mark.parametrize(
    ("version", "error"),
    [("1.0", "already has a version 1.0"), ("   ", "required"), ("x" * 41, "at most 40")],
)
def test_new_draft_shows_why_a_version_is_refused(editor_client, published, version, error):
    response = editor_client.post(_url("new_draft", published.framework), {"version": version})
    assert response.status_code == 400
    assert error in str(response.context["form"].errors["version"])
    assert Framework.objects.count() == 1


def test_publish_lists_every_problem_and_keeps_the_draft(editor_client, catalog):
    # Two controls without scored questions and one empty domain: three problems at once.
    Question.objects.filter(control__in=catalog.controls[:2]).delete()
    Domain.objects.create(framework=catalog.framework, ref="empty", name="Empty")
    response = editor_client.post(_url("publish", catalog.framework))
    assert response.status_code == 400
    problems = [str(problem) for problem in response.context["problems"]]
    assert len(problems) == 3
    page = response.content.decode()
    assert "3 problems found" in page
    assert "domains[0].controls[0].questions" in page
    assert "domains[2]" in page
    assert Framework.objects.get(pk=catalog.framework.pk).status == FrameworkStatus.DRAFT


def test_publish_asks_first_then_publishes_a_valid_draft(editor_client, catalog):
    url = _url("publish", catalog.framework)
    assert editor_client.get(url).status_code == 200
    assert Framework.objects.get(pk=catalog.framework.pk).status == FrameworkStatus.DRAFT
    response = editor_client.post(url, follow=True)
    assert any("is published" in message for message in _messages(response))
    framework = Framework.objects.get(pk=catalog.framework.pk)
    assert framework.status == FrameworkStatus.PUBLISHED and framework.published_at


def test_publishing_a_published_version_is_refused(editor_client, published):
    assert editor_client.post(_url("publish", published.framework)).status_code == 403


def test_publish_action_reports_problems_per_framework(editor_client, catalog):
    Question.objects.filter(control=catalog.controls[0]).delete()
    ok = build_catalog(slug="fine")
    body = {
        "action": "publish_selected",
        "_selected_action": [catalog.framework.pk, ok.framework.pk],
    }
    response = editor_client.post(
        reverse("admin:scorecard_framework_changelist"), body, follow=True
    )
    messages = _messages(response)
    assert any("was not published: 1 problem" in message for message in messages)
    assert any("needs at least one scored question" in message for message in messages)
    statuses = dict(Framework.objects.values_list("slug", "status"))
    assert statuses == {catalog.framework.slug: "draft", "fine": "published"}


def test_retire_moves_a_published_version_on(editor_client, published):
    url = _url("retire", published.framework)
    assert editor_client.get(url).status_code == 200
    editor_client.post(url)
    assert Framework.objects.get(pk=published.framework.pk).status == FrameworkStatus.RETIRED


def test_retiring_a_draft_is_refused_with_a_message(editor_client, catalog):
    response = editor_client.post(_url("retire", catalog.framework), follow=True)
    assert any("Only a published version" in message for message in _messages(response))
    assert Framework.objects.get(pk=catalog.framework.pk).status == FrameworkStatus.DRAFT


def test_yaml_export_downloads_the_native_document(editor_client, published):
    framework = published.framework
    response = editor_client.get(_url("export", framework, "yaml"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="locked-catalog-1.0.yaml"'
    parsed = native.parse_data(response.content, source="download", suffix=".yaml")
    # These rows were stored without display codes: the export writes the generated ones.
    assert parsed == normalise_document(stored_document.framework_to_document(framework))
    assert [d["code"] for d in parsed["domains"]] == ["DOM", "DO2"]


def test_unknown_export_format_is_not_found(editor_client, catalog):
    assert editor_client.get(_url("export", catalog.framework, "docx")).status_code == 404


def test_compare_shows_what_changed_between_versions(editor_client, published):
    editor_client.post(_url("new_draft", published.framework), {"version": "2.0"})
    draft = Framework.objects.get(version="2.0")
    Control.objects.filter(framework=draft, ref="c0").update(name="Renamed")
    Question.objects.filter(framework=draft, ref="c1.q1").delete()
    domain = Domain.objects.get(framework=draft, ref="d0")
    Control.objects.create(framework=draft, domain=domain, ref="c-new", name="Brand new")

    # From the newer version's page too, the diff reads from the older to the newer.
    response = editor_client.get(_url("compare", draft), {"other": published.framework.pk})
    diff = response.context["diff"]
    assert (diff.old_label, diff.new_label) == ("Demo catalog 1.0", "Demo catalog 2.0")
    controls = diff.section("control")
    assert [item.ref for item in controls.added] == ["c-new"]
    assert [(c.field, c.old, c.new) for c in controls.changed[0].changes] == [
        ("name", "Control 0", "Renamed")
    ]
    assert [item.ref for item in diff.section("question").removed] == ["c1.q1"]
    page = response.content.decode()
    assert "Control 0 → Renamed" in page
    assert "1 added, 0 removed, 1 changed" in page


def test_compare_offers_only_other_versions_of_the_same_catalog(editor_client, published):
    build_catalog(slug="unrelated")
    response = editor_client.get(_url("compare", published.framework))
    assert response.context["diff"] is None
    assert "no other version" in response.content.decode()
    stranger = Framework.objects.get(slug="unrelated")
    response = editor_client.get(_url("compare", published.framework), {"other": stranger.pk})
    assert response.context["diff"] is None
    assert response.context["form"].errors


def test_change_page_links_to_the_respondent_preview(editor_client, catalog):
    page = editor_client.get(_url("change", catalog.framework)).content.decode()
    preview = reverse("catalog_preview", args=[catalog.framework.pk])
    assert f'<a href="{preview}">Preview as respondent</a>' in page
    for label in ("Publish", "New draft from this version", "Compare with", "Export YAML"):
        assert label in page
