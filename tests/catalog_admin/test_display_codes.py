"""The admin shows and edits display codes, refuses bad or duplicate ones, and publishing
fills the codes an editor left empty."""

import pytest
from django.urls import reverse

from scorecard.models import Control, Domain, Question
from scorecard.services import publish_framework
from tests.catalog_admin.helpers import form_data, inline_formset

pytestmark = pytest.mark.django_db


def _change(obj) -> str:
    return reverse(f"admin:scorecard_{obj._meta.model_name}_change", args=[obj.pk])


def _edit(client, obj, **changes):
    url = _change(obj)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_a_code_typed_on_the_control_page_is_saved_and_listed(editor_client, catalog):
    control = catalog.controls[0]
    assert _edit(editor_client, control, code="GOV-7").status_code == 302
    assert Control.objects.get(pk=control.pk).code == "GOV-7"
    listing = editor_client.get(reverse("admin:scorecard_control_changelist") + "?q=GOV-7")
    page = listing.content.decode()
    assert "GOV-7" in page and control.ref in page
    assert list(listing.context["cl"].result_list) == [Control.objects.get(pk=control.pk)]


def test_a_malformed_code_is_a_field_error_and_nothing_changes(editor_client, catalog):
    question = catalog.questions[0]
    response = _edit(editor_client, question, code="Q 1")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"] == [
        "A code must start with an ASCII letter or digit and contain only letters, digits, "
        "dots, hyphens, underscores and brackets."
    ]
    assert Question.objects.get(pk=question.pk).code == ""


def test_a_code_another_domain_uses_is_refused_and_nothing_changes(editor_client, catalog):
    first, second = catalog.domains[:2]
    Domain.objects.filter(pk=first.pk).update(code="DAT")
    response = _edit(editor_client, second, code="DAT")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"] == [
        "Another domain in this framework version already has this code."
    ]
    assert Domain.objects.get(pk=second.pk).code == ""


def test_two_inline_rows_with_one_code_are_refused(editor_client, catalog):
    domain = catalog.domains[0]
    url = _change(domain)
    prefix = inline_formset(editor_client.get(url), Control).formset.prefix
    data = form_data(editor_client.get(url))
    data.update({f"{prefix}-0-code": "SAME", f"{prefix}-1-code": "SAME"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    formset = inline_formset(response, Control).formset
    assert formset.non_form_errors() == ["Two rows have the same code: SAME."]
    assert not Control.objects.filter(code="SAME").exists()


def test_publishing_fills_the_codes_an_editor_left_empty(catalog):
    Control.objects.filter(pk=catalog.controls[2].pk).update(code="KEEP-1")
    publish_framework(framework=catalog.framework)
    framework = catalog.framework
    assert dict(Domain.objects.filter(framework=framework).values_list("ref", "code")) == {
        "d0": "DOM",
        "d1": "DO2",
    }
    # c0 and c2 are in d0, c1 and c3 in d1; c2 keeps the code it was given.
    assert dict(Control.objects.filter(framework=framework).values_list("ref", "code")) == {
        "c0": "DOM-1",
        "c1": "DO2-1",
        "c2": "KEEP-1",
        "c3": "DO2-2",
    }
    codes = dict(Question.objects.filter(framework=framework).values_list("ref", "code"))
    assert (codes["c0.q0"], codes["c0.q1"], codes["c2.q1"]) == ("DOM-1.1", "DOM-1.2", "KEEP-1.2")
