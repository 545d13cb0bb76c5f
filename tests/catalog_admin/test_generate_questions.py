"""An ATLAS upload through the admin, then "Generate questions", editing and publishing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scorecard.catalog import defaults
from scorecard.catalog.files import import_path
from scorecard.models import Framework, FrameworkStatus, Question
from tests.catalog.helpers import DATA
from tests.catalog_admin.helpers import form_data, form_errors

pytestmark = pytest.mark.django_db
MINI = DATA / "atlas-mini.yaml"  # 4 controls without questions


def _url(framework: Framework, name: str = "generate_questions") -> str:
    return reverse(f"admin:scorecard_framework_{name}", args=[framework.pk])


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def draft():
    return import_path(MINI, fmt="atlas")


def test_the_import_page_offers_atlas_and_says_what_is_missing(editor_client):
    url = reverse("admin:scorecard_framework_import")
    assert '<option value="atlas">MITRE ATLAS (ATLAS.yaml)</option>' in (
        editor_client.get(url).content.decode()
    )
    upload = SimpleUploadedFile("ATLAS.yaml", MINI.read_bytes())
    response = editor_client.post(
        url, {"file": upload, "format": "atlas", "version": ""}, follow=True
    )
    framework = Framework.objects.get(slug="mitre-atlas", version="9.1.0")
    assert framework.status == FrameworkStatus.DRAFT
    assert _messages(response) == [
        "Imported MITRE ATLAS 9.1.0.",
        "4 control(s) have no scored question yet: write them, or use Generate questions, "
        "before publishing.",
    ]
    assert _url(framework) in response.content.decode()  # the button on the draft


def test_the_page_shows_the_count_and_the_default_texts(editor_client, draft):
    response = editor_client.get(_url(draft))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>4 controls</strong>" in page
    form = response.context["form"]
    assert (form["text"].value(), form["help"].value()) == (
        defaults.QUESTION_TEXT,
        defaults.QUESTION_HELP,
    )
    assert 'value="Generate 4 questions"' in page


def test_generating_then_editing_a_question_then_publishing(editor_client, draft):
    response = editor_client.post(
        _url(draft), {"text": "Is {name} in place?", "help": "About {id}.", "evidence": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(draft, "change")
    assert Question.objects.filter(framework=draft).count() == 4
    # An ordinary draft question: its admin page edits it.
    question = Question.objects.get(ref="AML.M0003.q1")
    assert (question.text, question.help) == ("Is Filter Mail in place?", "About AML.M0003.")
    page = reverse("admin:scorecard_question_change", args=[question.pk])
    data = form_data(editor_client.get(page))
    data["text"] = "Are bad attachments stopped before anyone opens them?"
    saved = editor_client.post(page, data)
    assert saved.status_code == 302, form_errors(saved)
    question.refresh_from_db()
    assert question.text == "Are bad attachments stopped before anyone opens them?"
    # Nothing left to generate; publishing works as for any draft.
    again = editor_client.get(_url(draft)).content.decode()
    assert "there is nothing to generate" in again and "Generate 0" not in again
    editor_client.post(_url(draft, "publish"))
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.PUBLISHED


def test_an_unknown_placeholder_is_a_form_error_and_nothing_is_written(editor_client, draft):
    response = editor_client.post(_url(draft), {"text": "Is {title} done?", "help": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "text": ["unknown placeholder {title}: use {name} or {id}"]
    }
    assert Question.objects.count() == 0


def test_overlong_filled_in_evidence_is_a_form_error(editor_client, draft):
    response = editor_client.post(
        _url(draft), {"text": "Q?", "help": "", "evidence": "{name}" * 40}
    )
    assert response.status_code == 400
    assert "once filled in" in response.context["form"].errors["evidence"][0]
    assert Question.objects.count() == 0


def test_published_versions_refuse_the_page(editor_client, published):
    url = _url(published.framework)
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"text": "Q?", "help": ""}).status_code == 403
    assert (
        "generate-questions"
        not in editor_client.get(_url(published.framework, "change")).content.decode()
    )


def test_only_catalog_editors_may_generate(client, staff_client, draft):
    url = _url(draft)
    for method in (staff_client.get, staff_client.post):
        assert method(url).status_code == 403
    response = client.post(url, {"text": "Q?", "help": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert Question.objects.count() == 0
