"""Helpers of the questionnaire tests: a catalog with every question type, and a tiny
browser that reads the questionnaire form back from the HTML, as a user's browser would."""

from __future__ import annotations

from html.parser import HTMLParser

from django.urls import reverse

from assessments.models import Answer, Assessment
from scorecard.models import (
    Control,
    ControlPersona,
    Domain,
    Framework,
    FrameworkStatus,
    Option,
    Persona,
    Question,
)
from tests.factories import make_framework

FORM_ID = "questionnaire-form"


class _FormReader(HTMLParser):
    """Collects what submitting #questionnaire-form would send (inputs tied by form=...)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("form") != FORM_ID or "disabled" in a:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.data[a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.data[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # Browsers drop one leading newline of a textarea's content.
            text = "".join(self._text)
            self.data[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None


def form_data(html: str | bytes) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    return reader.data


def page_url(assessment: Assessment, domain_ref: str = "D1") -> str:
    return reverse("questionnaire_page", args=[assessment.pk, domain_ref])


def load_form(client, assessment: Assessment, domain_ref: str = "D1") -> dict[str, str]:
    response = client.get(page_url(assessment, domain_ref))
    assert response.status_code == 200
    return form_data(response.content)


def question(framework: Framework, ref: str) -> Question:
    return Question.objects.get(framework=framework, ref=ref)


def name(q: Question, part: str) -> str:
    return f"q{q.pk}-{part}"


def option_key(q: Question, label: str) -> str:
    """The radio value of an option label (scale and choice submit pks, yes/no its label)."""
    if q.type == "yes_no":
        return label
    if q.type == "choice":
        return str(Option.objects.get(question=q, label=label).pk)
    from scorecard.models import ScaleOption

    return str(ScaleOption.objects.get(framework=q.framework, label=label).pk)


def answers_snapshot(assessment: Assessment) -> list[tuple]:
    """Everything stored about the answers, to prove a refused save changed nothing."""
    from assessments.models import AnswerChange, AuditEvent, Evidence

    rows = sorted(
        (a.question_id, tuple(sorted(a.as_record().items())), a.version, a.carried_over)
        for a in Answer.objects.filter(assessment=assessment)
    )
    return [
        rows,
        AnswerChange.objects.filter(assessment=assessment).count(),
        Evidence.objects.filter(assessment=assessment).count(),
        AuditEvent.objects.filter(action="answers.saved").count(),
    ]


def make_rich_framework(slug: str = "rich") -> Framework:
    """Two top-level domains; D1 has a sub-domain D1.1 and every question type, including
    number and text questions; option and scale descriptions; a persona-only control."""
    framework = make_framework(
        slug=slug, published=False, controls_per_domain=2, questions_per_control=3
    )
    d1 = Domain.objects.get(framework=framework, ref="D1")
    sub = Domain.objects.create(
        framework=framework,
        parent=d1,
        position=9,
        ref="D1.1",
        name="Sub-domain one",
        description="About the sub-domain.",
    )
    control = Control.objects.create(
        framework=framework,
        domain=sub,
        position=0,
        ref="D1.1-C1",
        name="Sub control",
        description="What the sub control asks for.",
    )
    Question.objects.bulk_create(
        [
            Question(
                framework=framework,
                control=control,
                position=0,
                ref="D1.1-C1.number",
                text="How many models run in production?",
                type="number",
            ),
            Question(
                framework=framework,
                control=control,
                position=1,
                ref="D1.1-C1.text",
                text="Describe the model inventory.",
                type="text",
                allow_na=True,
            ),
        ]
    )
    from scorecard.models import ScaleOption

    ScaleOption.objects.filter(framework=framework, label="Partial").update(
        description="Some teams do it, not all."
    )
    Option.objects.filter(framework=framework, label="Some").update(
        description="Covers part of the estate."
    )
    Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
    framework.refresh_from_db()
    return framework


def builder_only_controls(framework: Framework) -> list[str]:
    builder = Persona.objects.get(framework=framework, ref="personaBuilder")
    return sorted(
        ControlPersona.objects.filter(persona=builder).values_list("control__ref", flat=True)
    )
