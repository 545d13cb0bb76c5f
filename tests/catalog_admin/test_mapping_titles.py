"""Reference titles in the catalog admin: a control's mappings show the title their scheme
gives (a pinned reference finds the title of its unpinned form), and a draft scheme's titles
are held to the shape an import accepts."""

import json

import pytest
from django.urls import reverse

from scorecard.catalog.native import read_data_file
from scorecard.catalog.store import save_document
from scorecard.models import Control, FrameworkStatus, MappingScheme
from tests.catalog.helpers import DATA
from tests.catalog_admin.helpers import form_data

pytestmark = pytest.mark.django_db


def _save(status):
    doc = read_data_file(DATA / "riskmap-fields.yaml")
    doc["mapping_schemes"][0]["titles"] = {"AML.M0001": "Mitigation <one>"}
    return save_document(doc, status=status)


def _change(obj):
    return reverse(f"admin:scorecard_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("status", [FrameworkStatus.DRAFT, FrameworkStatus.PUBLISHED])
def test_a_controls_mapping_shows_its_title_escaped(editor_client, status):
    control = Control.objects.get(framework=_save(status), ref="cListed")
    html = editor_client.get(_change(control)).content.decode()
    assert "AML.M0001@2.0" in html
    assert "Mitigation &lt;one&gt;" in html and "Mitigation <one>" not in html


def test_a_draft_schemes_titles_refuse_another_shape(editor_client):
    scheme = MappingScheme.objects.get(framework=_save(FrameworkStatus.DRAFT), ref="atlas")
    url = _change(scheme)
    data = form_data(editor_client.get(url))
    assert json.loads(data["titles"]) == {"AML.M0001": "Mitigation <one>"}
    data["titles"] = json.dumps({"AML.M0001": ["not", "a", "title"]})
    response = editor_client.post(url, data)
    assert response.context["adminform"].form.errors["titles"] == [
        "Expected a title for each reference, keyed by the reference."
    ]
    data["titles"] = json.dumps({"AML.M0002": "Mitigation two"})
    assert editor_client.post(url, data).status_code == 302
    scheme.refresh_from_db()
    assert scheme.titles == {"AML.M0002": "Mitigation two"}
