"""The catalog admin shows the Risk Map fields: the vocabulary and mapping schemes get pages
of their own, and controls, risks and personas show their new fields (read-only once
published, editable in a draft and held to the same shapes as an import)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scorecard.catalog.native import read_data_file
from scorecard.catalog.store import save_document
from scorecard.models import Control, FrameworkStatus, MappingScheme, Persona, Risk, Term
from tests.catalog.helpers import DATA
from tests.catalog_admin.helpers import form_data, form_errors

pytestmark = pytest.mark.django_db

FIELDS = DATA / "riskmap-fields.yaml"


def _save(status=FrameworkStatus.DRAFT, version="1"):
    doc = read_data_file(FIELDS)
    doc["framework"]["version"] = version
    return save_document(doc, status=status)


def _change(model, obj):
    return reverse(f"admin:scorecard_{model._meta.model_name}_change", args=[obj.pk])


def test_a_published_control_shows_its_terms_and_evidence_rule_read_only(editor_client):
    framework = _save(FrameworkStatus.PUBLISHED)
    control = Control.objects.get(framework=framework, ref="cListed")
    html = editor_client.get(_change(Control, control)).content.decode()
    assert "Risk Map terms and autonomy" in html
    assert "compA" in html and "compB" in html and "robot" in html
    assert "L3+ (Acts within limits)" in html
    assert 'name="components"' not in html  # no input: the version is read-only


def test_a_draft_control_takes_term_lists_and_refuses_other_shapes(editor_client):
    framework = _save()
    control = Control.objects.get(framework=framework, ref="cSilent")
    url = _change(Control, control)
    data = form_data(editor_client.get(url))
    data.update(components=json.dumps(["compA"]), actor_access='"all"', evidence_autonomy="2")
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    control.refresh_from_db()
    assert (control.components, control.actor_access, control.evidence_autonomy) == (
        ["compA"],
        "all",
        2,
    )
    data.update(components=json.dumps({"not": "a list"}), lifecycle_stages='"some"')
    response = editor_client.post(url, data)
    errors = response.context["adminform"].form.errors
    assert errors["components"] == ['Expected a list of ids, "all" or "none".']
    assert errors["lifecycle_stages"] == ['Expected a list of ids, "all" or "none".']


def test_risk_and_persona_pages_show_texts_references_and_responsibilities(editor_client):
    framework = _save(FrameworkStatus.PUBLISHED)
    risk = Risk.objects.get(framework=framework, ref="rCited")
    html = editor_client.get(_change(Risk, risk)).content.decode()
    for label in ("Long description", "Examples", "References", "Mappings", "Lifecycle stages"):
        assert label in html
    assert "https://example.org/paper" in html and "First paragraph with **bold**" in html
    persona = Persona.objects.get(framework=framework, ref="pBuilder")
    html = editor_client.get(_change(Persona, persona)).content.decode()
    assert "Responsibilities" in html and "Document it" in html and "Producer@2022" in html


def test_terms_and_mapping_schemes_have_their_own_pages(editor_client):
    framework = _save(FrameworkStatus.PUBLISHED)
    listing = reverse("admin:scorecard_term_changelist")
    html = editor_client.get(f"{listing}?framework__id__exact={framework.pk}").content.decode()
    assert "compLoose" in html and "catSubSub" in html and "outsider" in html
    term = Term.objects.get(framework=framework, ref="compA")
    html = editor_client.get(_change(Term, term)).content.decode()
    assert "Sub sub (catSubSub)" in html and "The **first** part." in html
    scheme = MappingScheme.objects.get(framework=framework, ref="atlas")
    html = editor_client.get(_change(MappingScheme, scheme)).content.decode()
    assert "https://example.org/atlas/{id}" in html and "atlas@1.5" in html


def test_a_draft_term_can_only_sit_in_a_component_category_of_its_own_version(editor_client):
    first, second = _save(), _save(version="2")
    term = Term.objects.get(framework=first, ref="compB")
    form = editor_client.get(_change(Term, term)).context["adminform"].form
    parents = form.fields["parent"].queryset
    assert set(parents.values_list("framework_id", "kind")) == {(first.pk, "component_category")}
    assert parents.count() == 3
    assert Term.objects.filter(framework=second).exists()


def test_the_term_list_costs_the_same_queries_for_a_small_and_a_large_vocabulary(editor_client):
    counts = []
    for size, version in ((5, "s"), (120, "l")):
        doc = read_data_file(FIELDS)
        doc["framework"]["version"] = version
        doc["vocabulary"]["lifecycle_stages"] = [
            {"id": f"stage{n}", "name": f"Stage {n}"} for n in range(size)
        ]
        doc["risks"][0]["lifecycle_stages"] = []
        doc["domains"][0]["controls"][0]["lifecycle_stages"] = []
        framework = save_document(doc)
        url = f"{reverse('admin:scorecard_term_changelist')}?framework__id__exact={framework.pk}"
        editor_client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("model", "ref", "field", "value", "error"),
    [
        (
            Risk,
            "rCited",
            "references",
            [{"id": "x"}],
            "Expected references with a type, id, title and an https:// url each.",
        ),
        (
            Risk,
            "rCited",
            "references",
            [{"type": "paper", "id": "x", "title": "X", "url": "javascript:alert(1)"}],
            "Expected references with a type, id, title and an https:// url each.",
        ),
        (
            Risk,
            "rCited",
            "mappings",
            {"atlas": "AML.T0001"},
            "Expected lists of references keyed by mapping scheme.",
        ),
        (Persona, "pBuilder", "responsibilities", ["ok", 3], "Expected a list of texts."),
    ],
)
def test_draft_json_fields_refuse_shapes_an_import_would_refuse(
    editor_client, model, ref, field, value, error
):
    obj = model.objects.get(framework=_save(), ref=ref)
    url = _change(model, obj)
    data = form_data(editor_client.get(url))
    data[field] = json.dumps(value)
    response = editor_client.post(url, data)
    assert response.context["adminform"].form.errors[field] == [error]
    obj.refresh_from_db()
    assert getattr(obj, field) != value
