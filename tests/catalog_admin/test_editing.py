"""Editing drafts: choices stay inside the version, and bad input is a form error."""

import pytest
from django.urls import reverse

from scorecard.models import Control, ControlPersona, Domain, Option, Persona
from tests.catalog_admin.conftest import build_catalog
from tests.catalog_admin.helpers import form_data, form_errors, inline_formset

pytestmark = pytest.mark.django_db


def _change(obj) -> str:
    return reverse(f"admin:scorecard_{obj._meta.model_name}_change", args=[obj.pk])


def _add_inline_row(data: dict, prefix: str, **fields) -> None:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)


def test_control_offers_only_personas_and_risks_of_its_own_version(editor_client, catalog):
    build_catalog(slug="other")
    response = editor_client.get(_change(catalog.controls[0]))
    form = response.context["adminform"].form
    assert set(form.fields["linked_personas"].queryset) == set(catalog.personas)
    assert set(form.fields["linked_risks"].queryset) == set(catalog.risks)
    assert set(form.fields["domain"].queryset) == set(catalog.domains)


def test_linking_a_persona_of_another_version_is_refused(editor_client, catalog):
    other = build_catalog(slug="other")
    control = catalog.controls[0]
    url = _change(control)
    data = form_data(editor_client.get(url))
    data["linked_personas"] = [str(other.personas[1].pk)]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "linked_personas" in response.context["adminform"].form.errors
    assert list(control.personas.all()) == [catalog.personas[0]]


def test_unlinking_and_linking_risks_keeps_the_framework_on_the_link_rows(editor_client, catalog):
    control = catalog.controls[0]
    url = _change(control)
    data = form_data(editor_client.get(url))
    data["linked_risks"] = [str(catalog.risks[1].pk)]
    data["linked_personas"] = []
    assert editor_client.post(url, data).status_code == 302
    assert list(control.risks.all()) == [catalog.risks[1]]
    assert not ControlPersona.objects.filter(control=control).exists()
    assert control.risks.through.objects.get(control=control).framework == catalog.framework


def test_an_id_used_by_another_control_of_the_version_is_a_form_error(editor_client, catalog):
    control = catalog.controls[0]
    url = _change(control)
    data = form_data(editor_client.get(url))
    data["ref"] = catalog.controls[1].ref
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "already has this id" in str(response.context["adminform"].form.errors["ref"])
    assert Control.objects.get(pk=control.pk).ref == control.ref


def test_the_same_id_in_another_version_is_fine(editor_client, catalog):
    other = build_catalog(slug="other")
    control = catalog.controls[0]
    url = _change(control)
    data = form_data(editor_client.get(url))
    data["ref"] = "fresh-id"
    assert other.controls[0].ref != "fresh-id"
    assert editor_client.post(url, data).status_code == 302
    assert Control.objects.get(pk=control.pk).ref == "fresh-id"


def test_controls_added_inline_belong_to_the_domains_version(editor_client, catalog):
    domain = catalog.domains[0]
    url = _change(domain)
    data = form_data(editor_client.get(url))
    _add_inline_row(data, "controls", ref="c-new", name="New control", weight="1", position="9")
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    added = Control.objects.get(ref="c-new")
    assert (added.framework, added.domain) == (catalog.framework, domain)


def test_two_new_inline_rows_with_one_id_save_nothing(editor_client, catalog):
    domain = catalog.domains[0]
    url = _change(domain)
    data = form_data(editor_client.get(url))
    for name in ("First", "Second"):
        _add_inline_row(data, "controls", ref="twin", name=name, weight="1", position="0")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "twin" in str(inline_formset(response, "controls").formset.non_form_errors())
    assert not Control.objects.filter(ref="twin").exists()


def test_inline_id_clashing_with_a_row_outside_the_inline_is_a_form_error(editor_client, catalog):
    # Sub-domains are not in the framework page's top-level domain inline, yet share ids.
    Domain.objects.create(
        framework=catalog.framework, parent=catalog.domains[0], ref="sub", name="Sub"
    )
    url = _change(catalog.framework)
    data = form_data(editor_client.get(url))
    prefix = inline_formset(editor_client.get(url), Domain).formset.prefix
    _add_inline_row(data, prefix, ref="sub", name="Clash", weight="1", position="5")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = inline_formset(response, Domain).formset.errors
    assert "already has this id" in str(errors)
    assert Domain.objects.filter(ref="sub").count() == 1


def test_adding_a_control_with_a_domain_of_another_version_is_refused(editor_client, catalog):
    other = build_catalog(slug="other")
    body = {
        "framework": catalog.framework.pk,
        "domain": other.domains[0].pk,
        "ref": "cross",
        "name": "Crossing versions",
        "weight": "1",
        "position": "0",
    }
    response = editor_client.post(reverse("admin:scorecard_control_add"), body)
    assert response.status_code == 200
    assert "domain" in response.context["adminform"].form.errors
    assert not Control.objects.filter(ref="cross").exists()


def test_add_page_preselects_the_version_and_its_domains(editor_client, catalog):
    build_catalog(slug="other")
    url = reverse("admin:scorecard_control_add") + f"?framework={catalog.framework.pk}"
    form = editor_client.get(url).context["adminform"].form
    assert set(form.fields["domain"].queryset) == set(catalog.domains)


def test_a_domain_cannot_be_moved_inside_its_own_sub_domain(editor_client, catalog):
    top = catalog.domains[0]
    child = Domain.objects.create(framework=catalog.framework, parent=top, ref="sub", name="Sub")
    url = _change(top)
    data = form_data(editor_client.get(url))
    data["parent"] = str(child.pk)
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "inside itself" in str(response.context["adminform"].form.errors["parent"])
    assert Domain.objects.get(pk=top.pk).parent is None


def test_blank_name_and_negative_weight_are_form_errors(editor_client, catalog):
    control = catalog.controls[0]
    url = _change(control)
    data = form_data(editor_client.get(url))
    data.update(name="", weight="-1")
    response = editor_client.post(url, data)
    errors = response.context["adminform"].form.errors
    assert {"name", "weight"} <= set(errors)
    assert Control.objects.get(pk=control.pk).name == control.name


def test_zero_weight_is_refused_in_the_admin(editor_client, catalog):
    control = catalog.controls[0]
    url = _change(control)
    data = form_data(editor_client.get(url))
    data["weight"] = "0"
    response = editor_client.post(url, data)
    errors = response.context["adminform"].form.errors
    assert "greater than 0" in str(errors["weight"])
    assert Control.objects.get(pk=control.pk).weight == control.weight


def test_options_are_edited_on_their_question(editor_client, catalog):
    question = next(q for q in catalog.questions if q.type == "choice")
    url = _change(question)
    data = form_data(editor_client.get(url))
    _add_inline_row(data, "options", label="Partly", value="0.5", position="2")
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    assert list(question.options.values_list("label", flat=True)) == ["No", "Yes", "Partly"]
    assert Option.objects.get(label="Partly", question=question).framework == catalog.framework


def test_persona_questions_are_edited_on_their_persona(editor_client, catalog):
    persona = catalog.personas[0]
    url = _change(persona)
    data = form_data(editor_client.get(url))
    _add_inline_row(data, "questions", text="Do you train models?", position="0")
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    assert Persona.objects.get(pk=persona.pk).questions.get().text == "Do you train models?"
