"""Forms of the catalog admin's own pages (new draft, import, compare, generate questions)
and the control form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from scorecard.admin.base import CatalogPartForm
from scorecard.admin.widgets import CheckboxGroup
from scorecard.catalog import defaults
from scorecard.catalog.native import read_bounded
from scorecard.catalog.question_template import EVIDENCE_MAX, template_problems
from scorecard.models import Control, Domain, Framework, Persona, Risk


class NewDraftForm(forms.Form):
    version = forms.CharField(
        max_length=Framework._meta.get_field("version").max_length,
        help_text="The version string of the new draft, e.g. 1.1. It must not exist yet.",
    )

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework

    def clean_version(self) -> str:
        version = self.cleaned_data["version"].strip()
        if not version:
            raise forms.ValidationError("Enter a version.")
        if Framework.objects.filter(slug=self.framework.slug, version=version).exists():
            raise forms.ValidationError(
                f"{self.framework.slug} already has a version {version}; choose another."
            )
        return version


IMPORT_FORMATS = (
    ("", "Detect from the content"),
    ("native", "Scorecard catalog (YAML or JSON)"),
    ("oscal", "OSCAL catalog (JSON or YAML)"),
    ("atlas", "MITRE ATLAS (ATLAS.yaml)"),
)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="A catalog file; it becomes a new draft version.")
    format = forms.ChoiceField(choices=IMPORT_FORMATS, required=False)
    version = forms.CharField(
        max_length=Framework._meta.get_field("version").max_length,
        required=False,
        help_text="Import under this version instead of the one in the file, "
        "e.g. when that version exists already.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CATALOG_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; catalogs may be at most {limit:,} bytes "
                "(CATALOG_MAX_BYTES)."
            )
        return upload

    def read_upload(self) -> bytes:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        # One byte past the limit so the reader's own size check still sees an oversize file.
        return read_bounded(upload, settings.CATALOG_MAX_BYTES, upload.size)


PLACEHOLDER_HELP = "{name} and {id} stand for each control's name and id."


class GenerateQuestionsForm(forms.Form):
    """The template of the questions generated for controls without a scored question."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        initial=defaults.QUESTION_TEXT,
        help_text=f"The question asked for each control. {PLACEHOLDER_HELP}",
    )
    help = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        initial=defaults.QUESTION_HELP,
        help_text=f"Shown under the question. {PLACEHOLDER_HELP}",
    )
    evidence = forms.CharField(
        required=False,
        max_length=EVIDENCE_MAX,
        label="Evidence expected",
        help_text=f"Optional. {PLACEHOLDER_HELP}",
    )

    def _template(self, name: str) -> str:
        value = self.cleaned_data[name]
        problems = template_problems(value)
        if problems:
            raise forms.ValidationError(problems)
        return value

    def clean_text(self) -> str:
        return self._template("text")

    def clean_help(self) -> str:
        return self._template("help")

    def clean_evidence(self) -> str:
        return self._template("evidence")


class CompareForm(forms.Form):
    other = forms.ModelChoiceField(
        queryset=Framework.objects.none(),
        label="Compare with",
        empty_label=None,
    )

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Framework.objects.filter(slug=framework.slug).exclude(
            pk=framework.pk
        )


class DomainForm(CatalogPartForm):
    class Meta:
        model = Domain
        fields = "__all__"

    def restrict_choices(self, framework_id: int | None) -> None:
        super().restrict_choices(framework_id)
        parent = self.fields.get("parent")
        if parent is not None and self.instance.pk:
            parent.queryset = parent.queryset.exclude(pk=self.instance.pk)

    def clean_parent(self) -> Domain | None:
        parent = self.cleaned_data.get("parent")
        # Walk up from the chosen parent: meeting this domain again would make a loop.
        seen: set[int] = set()
        node = parent
        while node is not None and node.pk not in seen:
            if self.instance.pk and node.pk == self.instance.pk:
                raise forms.ValidationError("A domain cannot sit inside itself or its sub-domains.")
            seen.add(node.pk)
            node = node.parent
        return parent


class ControlForm(CatalogPartForm):
    """Personas and risks go through models that carry the framework, so they are saved here.

    Both are checkbox lists (one version's personas and risks, a few dozen at most) rather
    than Django's two-box picker: see scorecard/admin/widgets.py.
    """

    linked_personas = forms.ModelMultipleChoiceField(
        queryset=Persona.objects.all(),
        required=False,
        label="Personas",
        widget=CheckboxGroup(group_label="Personas"),
    )
    linked_risks = forms.ModelMultipleChoiceField(
        queryset=Risk.objects.all(),
        required=False,
        label="Risks",
        widget=CheckboxGroup(group_label="Risks"),
    )

    class Meta:
        model = Control
        exclude = ("personas", "risks")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault(
                "linked_personas", list(self.instance.personas.values_list("pk", flat=True))
            )
            self.initial.setdefault(
                "linked_risks", list(self.instance.risks.values_list("pk", flat=True))
            )

    def save_links(self) -> None:
        control = self.instance
        through = {"framework_id": control.framework_id}
        control.personas.set(self.cleaned_data["linked_personas"], through_defaults=through)
        control.risks.set(self.cleaned_data["linked_risks"], through_defaults=through)
