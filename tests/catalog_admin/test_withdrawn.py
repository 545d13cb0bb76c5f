"""Catalog editors see the controls a source withdrew, with their successors, and cannot
add or change one (the source decides, and the export writes them back as they came)."""

import json

import pytest
from django.urls import reverse

from scorecard.catalog.files import import_bytes
from scorecard.models import WithdrawnControl

CATALOG = {
    "catalog": {
        "uuid": "0b7c3c55-8a3e-4f0e-9d0c-5d3f1e1b2a97",
        "metadata": {"title": "Withdrawn list", "version": "1", "oscal-version": "1.1.2"},
        "groups": [
            {
                "id": "g",
                "title": "G",
                "controls": [
                    {"id": "g-1", "title": "Live one"},
                    {
                        "id": "g-2",
                        "title": "Folded into the first",
                        "props": [{"name": "label", "value": "G-2"}],
                        "links": [{"href": "#g-1", "rel": "incorporated-into"}],
                    },
                ],
            }
        ],
    }
}


@pytest.fixture
def withdrawn(db):
    import_bytes(json.dumps(CATALOG).encode(), filename="w.json")
    return WithdrawnControl.objects.get()


def test_an_editor_sees_withdrawn_controls_with_label_and_successors(editor_client, withdrawn):
    page = editor_client.get(reverse("admin:scorecard_withdrawncontrol_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Folded into the first" in text and ">G-2<" in text and ">g-1<" in text


def test_nobody_adds_or_changes_a_withdrawn_control(editor_client, withdrawn):
    add = editor_client.get(reverse("admin:scorecard_withdrawncontrol_add"))
    assert add.status_code == 403
    url = reverse("admin:scorecard_withdrawncontrol_change", args=[withdrawn.pk])
    response = editor_client.post(url, {"name": "Renamed"})
    assert response.status_code == 403
    withdrawn.refresh_from_db()
    assert withdrawn.name == "Folded into the first"


def test_staff_who_are_not_catalog_editors_are_refused(staff_client, withdrawn):
    page = staff_client.get(reverse("admin:scorecard_withdrawncontrol_changelist"))
    assert page.status_code == 403
