"""Forms for starting an assessment and describing its scope.

The framework versions offered are read by assessments/selectors/start.py and handed in.
"""

from __future__ import annotations

from django import forms

from assessments.models import AISystem, Assessment, AssessmentStatus
from scorecard.models import Framework, Persona, PersonaQuestion

YES_NO_CHOICES = (("yes", "Yes"), ("no", "No"))


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Framework) -> str:
        return f"{obj.name} {obj.version}"


class DescriptionForm(forms.ModelForm):
    """What the AI system is: shared by the start page and the scope page."""

    class Meta:
        model = Assessment
        fields = ["title", "purpose", "system_owner", "deployment_stage"]
        labels = {
            "title": "Assessment title",
            "purpose": "Purpose",
            "system_owner": "System owner",
            "deployment_stage": "Deployment stage",
        }
        help_texts = {
            "purpose": "What the system does and for whom.",
            "system_owner": "The person or team accountable for the system.",
        }
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class StartForm(DescriptionForm):
    """Pick a system of the inventory, or name a new one (it is then added to it)."""

    system = forms.ModelChoiceField(
        queryset=AISystem.objects.none(),
        label="AI system",
        required=False,
        empty_label="A new system, named below",
        help_text="A system of your organisation's inventory, or a new one.",
        error_messages={"invalid_choice": "Choose one of this organisation's AI systems."},
    )
    framework = FrameworkChoiceField(
        queryset=Framework.objects.none(),
        label="Framework version",
        empty_label=None,
        help_text="Only published versions can be assessed against.",
    )

    class Meta(DescriptionForm.Meta):
        fields = ["framework", *DescriptionForm.Meta.fields]
        labels = {**DescriptionForm.Meta.labels, "title": "Assessment title"}
        help_texts = {
            **DescriptionForm.Meta.help_texts,
            "title": "With a new system, its name. With a system picked above, the system's "
            "name when left empty.",
        }

    field_order = ["system", "title", "framework", "purpose", "system_owner", "deployment_stage"]

    def __init__(self, *args, frameworks, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks
        self.fields["system"].queryset = systems
        self.fields["title"].required = False

    def clean(self):
        data = super().clean()
        title = (data.get("title") or "").strip()
        system = data.get("system")
        if not title and system is not None:
            data["title"] = system.name
        elif not title and "system" not in self.errors:
            self.add_error("title", "Name the new AI system, or pick one of the inventory.")
        return data


class ScopingForm(forms.Form):
    """The persona identification questions and the personas finally chosen.

    The answers only propose personas; the team may tick others or untick proposed ones.
    Choosing no persona at all means every control applies.
    """

    def __init__(self, *args, personas: list[Persona], questions: list[PersonaQuestion], **kw):
        super().__init__(*args, **kw)
        self.persona_rows = personas
        self.question_rows = questions
        for question in questions:
            self.fields[self.question_field(question)] = forms.ChoiceField(
                label=question.text,
                choices=YES_NO_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
        self.fields["personas"] = forms.MultipleChoiceField(
            label="Personas in scope",
            choices=[(p.ref, p.name) for p in personas],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Controls for other personas are left out. With none ticked, every "
            "control applies.",
        )

    @staticmethod
    def question_field(question: PersonaQuestion) -> str:
        return f"pq{question.pk}"

    def question_fields(self):
        return [self[self.question_field(q)] for q in self.question_rows]

    def scoping(self) -> dict[str, list[bool | None]]:
        """The answers as stored on the assessment: persona ref -> answers in question order."""
        out: dict[str, list[bool | None]] = {p.ref: [] for p in self.persona_rows}
        by_pk = {p.pk: p.ref for p in self.persona_rows}
        for question in self.question_rows:
            raw = self.cleaned_data.get(self.question_field(question)) or ""
            out[by_pk[question.persona_id]].append({"yes": True, "no": False}.get(raw))
        return out

    @classmethod
    def initial_for(cls, assessment: Assessment, questions: list[PersonaQuestion]) -> dict:
        """Initial values from the stored scoping answers and personas."""
        initial: dict = {"personas": list(assessment.personas or [])}
        position: dict[int, int] = {}
        refs = {q.persona_id: q.persona.ref for q in questions}
        for question in questions:
            index = position.get(question.persona_id, 0)
            position[question.persona_id] = index + 1
            answers = (assessment.scoping or {}).get(refs[question.persona_id]) or []
            if index < len(answers) and answers[index] is not None:
                initial[cls.question_field(question)] = "yes" if answers[index] else "no"
        return initial


class StartFromForm(forms.Form):
    """A new assessment of the same AI system, starting from a previous one's answers."""

    title = forms.CharField(label="AI system name", max_length=200)
    framework = FrameworkChoiceField(
        queryset=Framework.objects.none(),
        label="Framework version",
        empty_label=None,
        help_text="Answers are matched to the chosen version by question id; an answer that "
        "no longer means the same there (another answer type, an option no longer offered, "
        "N/A no longer allowed) is left out.",
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks


class AssessmentFilterForm(forms.Form):
    """Filters of the assessment list (a GET form; every field optional)."""

    q = forms.CharField(label="Search by AI system", required=False, max_length=200)
    status = forms.ChoiceField(required=False, label="Status")
    framework = FrameworkChoiceField(
        queryset=Framework.objects.none(), required=False, label="Framework version"
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Any status"), *AssessmentStatus.choices]
        self.fields["framework"].queryset = frameworks
        self.fields["framework"].empty_label = "Any framework"
