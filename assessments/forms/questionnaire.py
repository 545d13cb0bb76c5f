"""The questionnaire form: the values a page shows, and the validation of what it posts.

Which questions a page shows is read by assessments/selectors/questionnaire.py (the engine
decides what applies); the form receives those rows and never queries.

Every question's inputs are named `q<question pk>-<part>`. A scored question that allows N/A
offers it as one more radio of its answer group (`choice` = "na"), so a level and N/A can never
both be chosen on the page; the `na` checkbox (number and text questions, and older callers)
is still read, and a value together with N/A is refused rather than one of them dropped.

Next to its inputs the page carries the version of the answer it showed and a digest of the
answer as shown (`seen`), so a save can tell which answers the editor actually touched:
untouched ones are left out of the save and can never overwrite someone else's newer answer.
"""

from __future__ import annotations

import hashlib
import json
import re

from django import forms
from django.core.validators import URLValidator

from assessments.forms.fields import LimitedCharField, LimitedURLField
from assessments.limits import EVIDENCE_DESCRIPTION, EVIDENCE_URL
from assessments.models import Answer
from assessments.services.answers import (
    NUMBER_LIMIT,
    TEXT_LIMIT,
    AnswerInput,
    Choice,
    FrameworkOptions,
)
from scorecard.models import Question

FIELD_NAME = re.compile(r"^q(\d+)-([a-z]+)$")
# The value of the N/A radio in a scored question's answer group.
NA_CHOICE = "na"
PARTS = ("choice", "number", "text", "na", "justification", "comment", "version", "seen", "confirm")


def posted_question_pks(data) -> set[int]:
    """The question pks named by the posted field names."""
    return {int(m.group(1)) for m in map(FIELD_NAME.match, data) if m}


# --- values shown in the form ---------------------------------------------------------------


def field_name(question: Question, part: str) -> str:
    return f"q{question.pk}-{part}"


def answer_state(answer: Answer | None) -> dict:
    """What an editor can change of an answer (its value follows from the option)."""
    record = answer.as_record() if answer is not None else Answer.empty_record()
    record.pop("value")
    return record


def state_digest(state: dict) -> str:
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:32]


def _number_text(number: float | None) -> str:
    # Must read back as the same float, or an untouched answer would look edited.
    if number is None:
        return ""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def initial_values(
    questions: list[Question], answers: dict[int, Answer], options: FrameworkOptions
) -> dict[str, str]:
    """Form data that shows the stored answers, as a browser would post them back."""
    values: dict[str, str] = {}
    for question in questions:
        values.update(answer_values(question, answers.get(question.pk), options))
    return values


def answer_values(question: Question, answer: Answer | None, options: FrameworkOptions) -> dict:
    state = answer_state(answer)
    key = next((c.key for c in options.for_question(question) if c.label == state["option"]), "")
    if state["na"] and question.is_scored:
        key = NA_CHOICE
    values = {
        field_name(question, "choice"): key,
        field_name(question, "number"): _number_text(state["number"]),
        field_name(question, "text"): state["text"],
        field_name(question, "justification"): state["justification"],
        field_name(question, "comment"): state["comment"],
        field_name(question, "version"): str(answer.version if answer else 0),
        field_name(question, "seen"): state_digest(state),
    }
    if state["na"]:
        values[field_name(question, "na")] = "on"
    return values


# --- the form -------------------------------------------------------------------------------


class QuestionnaireForm(forms.Form):
    """Validates one page of answers; `answer_inputs()` gives what the service should save."""

    def __init__(
        self,
        *,
        framework_id: int,
        questions: list[Question],
        options: FrameworkOptions,
        data,
        posted_frameworks: dict[int, int] | None = None,
    ):
        """`posted_frameworks`: question pk -> framework pk of the posted questions that are
        not on this page (see selectors.questionnaire.question_frameworks)."""
        super().__init__(data=data)
        self.framework_id = framework_id
        self.posted_frameworks = posted_frameworks or {}
        self.page_questions = {question.pk: question for question in questions}
        self.options = options
        for question in questions:
            self._add_fields(question)

    def _add_fields(self, question: Question) -> None:
        def add(part: str, form_field: forms.Field) -> None:
            self.fields[field_name(question, part)] = form_field

        add("choice", forms.CharField(required=False, max_length=40))
        add(
            "number",
            forms.FloatField(required=False, min_value=-NUMBER_LIMIT, max_value=NUMBER_LIMIT),
        )
        add("text", LimitedCharField(required=False, limit=TEXT_LIMIT, what="The answer"))
        add("na", forms.BooleanField(required=False))
        add(
            "justification",
            LimitedCharField(required=False, limit=TEXT_LIMIT, what="The justification"),
        )
        add("comment", LimitedCharField(required=False, limit=TEXT_LIMIT, what="The comment"))
        add("version", forms.IntegerField(required=False, min_value=0))
        add("seen", forms.CharField(required=False, max_length=64))
        add("confirm", forms.BooleanField(required=False))

    def clean(self):
        cleaned = super().clean()
        self._refuse_foreign_questions()
        for question in self.page_questions.values():
            self._check_question(question, cleaned)
        return cleaned

    def _refuse_foreign_questions(self) -> None:
        foreign = posted_question_pks(self.data) - set(self.page_questions)
        for pk in sorted(foreign):
            if self.posted_frameworks.get(pk) == self.framework_id:
                self.add_error(None, f"Question {pk} is not on this page; nothing was saved.")
            else:
                self.add_error(
                    None,
                    f"Question {pk} is not part of this assessment's framework; nothing was saved.",
                )

    def _check_question(self, question: Question, cleaned: dict) -> None:
        name = field_name(question, "choice")
        key = cleaned.get(name) or ""
        na_radio = question.is_scored and key == NA_CHOICE
        offered = self.options.for_question(question)
        if na_radio:
            if not question.allow_na:
                self.add_error(name, "N/A is not allowed for this question.")
                return
        elif key and question.is_scored and not any(c.key == key for c in offered):
            owner = self.options.owner.get(int(key)) if key.isdigit() else None
            if owner is not None and question.type == "choice":
                message = "That option belongs to another question; choose one listed here."
            else:
                message = "Choose one of the options listed for this question."
            self.add_error(name, message)
        na_box = cleaned.get(field_name(question, "na"))
        if na_box and not question.allow_na:
            self.add_error(field_name(question, "na"), "N/A is not allowed for this question.")
            return
        if na_box and not na_radio:
            self._refuse_value_with_na(question, cleaned)
        if (na_box or na_radio) and not cleaned.get(field_name(question, "justification")):
            self.add_error(
                field_name(question, "justification"),
                "Explain why this question does not apply (required with N/A).",
            )

    def _refuse_value_with_na(self, question: Question, cleaned: dict) -> None:
        """N/A ticked while the question also has a value: refused, neither is dropped."""
        if question.is_scored and cleaned.get(field_name(question, "choice")):
            self.add_error(
                field_name(question, "choice"),
                "Choose a level or N/A, not both: nothing was saved.",
            )
        elif question.type == "number" and cleaned.get(field_name(question, "number")) is not None:
            self.add_error(
                field_name(question, "number"),
                "Enter a number or tick N/A, not both: clear the number to answer N/A.",
            )
        elif question.type == "text" and (cleaned.get(field_name(question, "text")) or "").strip():
            self.add_error(
                field_name(question, "text"),
                "Write an answer or tick N/A, not both: clear the answer to answer N/A.",
            )

    def submitted_state(self, question: Question) -> dict:
        data = self.cleaned_data
        na = bool(data.get(field_name(question, "na"))) or (
            question.is_scored and data.get(field_name(question, "choice")) == NA_CHOICE
        )
        state = answer_state(None)
        state.update(
            na=na,
            justification=data.get(field_name(question, "justification")) or "",
            comment=data.get(field_name(question, "comment")) or "",
        )
        if na:
            return state  # with a value as well, the form was refused (_refuse_value_with_na)
        if question.is_scored:
            key = data.get(field_name(question, "choice")) or ""
            state["option"] = next(
                (c.label for c in self.options.for_question(question) if c.key == key), ""
            )
        elif question.type == "number":
            state["number"] = data.get(field_name(question, "number"))
        elif question.type == "text":
            state["text"] = data.get(field_name(question, "text")) or ""
        return state

    def answer_inputs(self) -> list[AnswerInput]:
        """Inputs for the answers the editor changed (or confirmed), not the untouched ones."""
        inputs = []
        present = posted_question_pks(self.data)
        for question in self.page_questions.values():
            if question.pk not in present:
                continue  # not part of what was posted at all
            state = self.submitted_state(question)
            seen = self.cleaned_data.get(field_name(question, "seen"))
            confirmed = self.cleaned_data.get(field_name(question, "confirm"))
            if seen == state_digest(state) and not confirmed:
                continue
            version = self.cleaned_data.get(field_name(question, "version"))
            inputs.append(
                AnswerInput(
                    question=question,
                    option_label=state["option"],
                    number=state["number"],
                    text=state["text"],
                    na=state["na"],
                    justification=state["justification"],
                    comment=state["comment"],
                    version=version if version is not None else 0,
                )
            )
        return inputs

    def errors_for(self, question: Question) -> dict[str, list[str]]:
        out = {}
        for part in PARTS:
            messages = self.errors.get(field_name(question, part)) if self.is_bound else None
            if messages:
                out[part] = list(messages)
        return out


# --- evidence forms -------------------------------------------------------------------------


def _description() -> LimitedCharField:
    return LimitedCharField(
        label="Description", required=False, limit=EVIDENCE_DESCRIPTION, what="The description"
    )


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label="File", allow_empty_file=False)
    description = _description()


class EvidenceLinkForm(forms.Form):
    url = LimitedURLField(
        label="Link",
        limit=EVIDENCE_URL,
        what="The link",
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="An http or https address, e.g. of a document in your wiki.",
    )
    description = _description()


__all__ = [
    "NA_CHOICE",
    "Choice",
    "EvidenceFileForm",
    "EvidenceLinkForm",
    "QuestionnaireForm",
    "answer_state",
    "initial_values",
    "posted_question_pks",
    "state_digest",
]
