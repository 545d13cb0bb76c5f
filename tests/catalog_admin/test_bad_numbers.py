"""Numbers and ids typed into the admin that no page could score are field errors, not 500s."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scorecard.catalog import native, stored_document
from scorecard.models import Control, Domain, Framework, Option, Question, ScaleOption, Tier
from tests.catalog.helpers import catalog_row_counts
from tests.catalog_admin.helpers import form_data, inline_formset

pytestmark = pytest.mark.django_db

BAD_NUMBERS = ["nan", "inf", "-inf", "1e308", "-0"]
WEIGHT_TOO_BIG = "Must be greater than 0 and at most 1000000."


def _change(obj) -> str:
    return reverse(f"admin:scorecard_{obj._meta.model_name}_change", args=[obj.pk])


def _post(client, obj, edit):
    """POST the change page of `obj` as a browser would, after `edit` changed the data."""
    url = _change(obj)
    data = form_data(client.get(url))
    edit(data)
    response = client.post(url, data)
    assert response.status_code == 200, "a refused edit shows the form again"
    return response


def _field_errors(response, name) -> list[str]:
    return list(response.context["adminform"].form.errors.get(name, []))


def _inline_errors(response, model, index, name) -> list[str]:
    formset = inline_formset(response, model).formset
    return list(formset.forms[index].errors.get(name, []))


@pytest.mark.parametrize("typed", BAD_NUMBERS)
@pytest.mark.parametrize("model", [Domain, Control, Question])
def test_a_weight_no_score_can_use_is_a_field_error(editor_client, catalog, model, typed):
    obj = {Domain: catalog.domains, Control: catalog.controls, Question: catalog.questions}[model][
        0
    ]
    response = _post(editor_client, obj, lambda data: data.update(weight=typed))
    errors = _field_errors(response, "weight")
    assert errors, f"weight {typed} was accepted"
    if typed in ("nan", "inf", "-inf"):
        assert errors == ["Enter a number."]
    else:
        assert WEIGHT_TOO_BIG in errors
    assert model.objects.get(pk=obj.pk).weight == 1.0


@pytest.mark.parametrize(("typed", "stored"), [("1000000", 1e6), ("0.001", 0.001)])
def test_a_weight_inside_the_limits_is_saved(editor_client, catalog, typed, stored):
    question = catalog.questions[0]
    url = _change(question)
    data = form_data(editor_client.get(url))
    data["weight"] = typed
    assert editor_client.post(url, data).status_code == 302
    assert Question.objects.get(pk=question.pk).weight == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("nan", "Enter a number."),
        ("inf", "Enter a number."),
        ("1e308", "Must be between 0 and 1."),
        ("1.1", "Must be between 0 and 1."),
        ("-0.1", "Must be between 0 and 1."),
        ("-0", "Must not be negative zero (write 0)."),
    ],
)
def test_a_choice_option_value_outside_0_to_1_is_a_field_error(
    editor_client, catalog, typed, message
):
    question = next(q for q in catalog.questions if q.type == "choice")
    option = Option.objects.filter(question=question).order_by("position").first()
    prefix = inline_formset(editor_client.get(_change(question)), Option).formset.prefix

    response = _post(
        editor_client, question, lambda data: data.update({f"{prefix}-0-value": typed})
    )
    assert _inline_errors(response, Option, 0, "value") == [message]
    assert Option.objects.get(pk=option.pk).value == 0.0


@pytest.mark.parametrize("typed", ["nan", "inf", "1e308", "-0", "1.5"])
def test_a_scale_option_value_outside_0_to_1_is_a_field_error(editor_client, catalog, typed):
    framework = catalog.framework
    prefix = inline_formset(editor_client.get(_change(framework)), ScaleOption).formset.prefix
    before = list(ScaleOption.objects.filter(framework=framework).values_list("value", flat=True))

    response = _post(
        editor_client, framework, lambda data: data.update({f"{prefix}-1-value": typed})
    )
    assert _inline_errors(response, ScaleOption, 1, "value")
    after = list(ScaleOption.objects.filter(framework=framework).values_list("value", flat=True))
    assert after == before == [0.0, 0.5, 1.0]


@pytest.mark.parametrize("typed", ["nan", "inf", "1e308", "-0", "100.5", "-1"])
def test_a_tier_minimum_outside_0_to_100_is_a_field_error(editor_client, catalog, typed):
    framework = catalog.framework
    prefix = inline_formset(editor_client.get(_change(framework)), Tier).formset.prefix

    response = _post(
        editor_client, framework, lambda data: data.update({f"{prefix}-1-min_score": typed})
    )
    assert _inline_errors(response, Tier, 1, "min_score")
    assert sorted(Tier.objects.filter(framework=framework).values_list("min_score", flat=True)) == [
        0.0,
        60.0,
    ]


@pytest.mark.parametrize("typed", ["nan", "inf", "1e308", "-0", "101"])
def test_a_critical_threshold_outside_0_to_100_is_a_field_error(editor_client, catalog, typed):
    framework = catalog.framework
    response = _post(editor_client, framework, lambda data: data.update(critical_threshold=typed))
    assert _field_errors(response, "critical_threshold")
    assert Framework.objects.get(pk=framework.pk).critical_threshold == 50.0


ID_RULE = "May contain only ASCII letters, digits, dots, hyphens and underscores."


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("a/b", ID_RULE),
        ("a b", ID_RULE),
        ("é", ID_RULE),
        ("c1?", ID_RULE),
        ("", "This field is required."),
    ],
)
def test_an_id_outside_the_portable_characters_is_a_field_error(
    editor_client, catalog, typed, message
):
    question = catalog.questions[0]
    response = _post(editor_client, question, lambda data: data.update(ref=typed))
    assert _field_errors(response, "ref") == [message]
    assert Question.objects.get(pk=question.pk).ref == question.ref


def test_an_id_of_the_portable_characters_is_saved(editor_client, catalog):
    control = catalog.controls[0]
    url = _change(control)
    data = form_data(editor_client.get(url))
    data["ref"] = "a.b-c_1"
    assert editor_client.post(url, data).status_code == 302
    assert Control.objects.get(pk=control.pk).ref == "a.b-c_1"


def test_importing_a_file_with_bad_numbers_lists_them_all_and_writes_nothing(
    editor_client, published
):
    doc = stored_document.framework_to_document(published.framework)
    doc["framework"]["version"] = "9.9"
    doc["domains"][0]["weight"] = float("nan")
    doc["domains"][0]["controls"][0]["weight"] = float("inf")
    doc["domains"][1]["controls"][0]["questions"][0]["weight"] = 1e308
    doc["domains"][1]["controls"][0]["questions"][1]["id"] = "c1/q1"
    doc["scale"][0]["value"] = -0.1
    text = native.dump_yaml(doc)
    assert ".nan" in text and ".inf" in text, "the file carries YAML's own spellings"
    rows = catalog_row_counts()

    response = editor_client.post(
        reverse("admin:scorecard_framework_import"),
        {"file": SimpleUploadedFile("bad.yaml", text.encode()), "format": "", "version": ""},
    )
    assert response.status_code == 400
    assert sorted(str(problem) for problem in response.context["problems"]) == [
        "domains[0].controls[0].weight: must be a finite number, not inf",
        "domains[0].weight: must be a finite number, not nan",
        "domains[1].controls[0].questions[0].weight: must be greater than 0 and at most 1000000",
        "domains[1].controls[0].questions[1].id: "
        "may contain only ASCII letters, digits, dots, hyphens and underscores",
        "scale[0].value: must be between 0 and 1",
    ]
    assert "5 problems found; nothing was written" in response.content.decode()
    assert catalog_row_counts() == rows


def test_publishing_a_draft_given_a_bad_id_in_the_orm_is_refused_with_its_path(
    editor_client, catalog
):
    question = catalog.questions[0]
    Question.objects.filter(pk=question.pk).update(ref="c0/q0")
    response = editor_client.post(
        reverse("admin:scorecard_framework_publish", args=[catalog.framework.pk])
    )
    assert response.status_code == 400
    assert [str(problem) for problem in response.context["problems"]] == [
        "domains[0].controls[0].questions[0].id: "
        "may contain only ASCII letters, digits, dots, hyphens and underscores"
    ]
    framework = Framework.objects.get(pk=catalog.framework.pk)
    assert (framework.status, framework.published_at) == ("draft", None)
