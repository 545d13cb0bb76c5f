"""One scored question per control that has none, written from an editable template.

Catalogs imported from sources that ask no questions (MITRE ATLAS, a CoSAI Risk Map control
the bundled scorecard does not know) arrive as drafts whose controls cannot be scored, and
publishing refuses them. A template fills the gap: its text, help and evidence may name the
control as `{name}` and `{id}`, and each generated question is an ordinary draft question,
edited, reworded or deleted in the admin like any other. Controls that already have a scored
question are left alone, so generating again only fills controls still lacking one.
"""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from scorecard.catalog import limits
from scorecard.catalog.document import SCORED_TYPES
from scorecard.models import Control, Framework, FrameworkLocked, FrameworkStatus, Question

PLACEHOLDERS = ("name", "id")
EVIDENCE_MAX = Question._meta.get_field("evidence").max_length


def template_problems(template: str) -> list[str]:
    """What is wrong with a template: unknown placeholders, stray braces, NUL characters."""
    if "\x00" in template:
        return ["must not contain a NUL character"]
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return ["has an unmatched brace; write a literal { or } as {{ or }}"]
    problems = []
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in PLACEHOLDERS:
            problems.append(f"unknown placeholder {{{field}}}: use {{name}} or {{id}}")
        elif spec or conversion:
            problems.append(f"the placeholder {{{field}}} takes no format or conversion")
    return list(dict.fromkeys(problems))


def render(template: str, control: Control) -> str:
    """The template for one control; `template` has passed `template_problems`."""
    return template.format_map({"name": control.name, "id": control.ref})


def controls_without_scored_question(framework: Framework) -> models.QuerySet[Control]:
    return (
        Control.objects.filter(framework=framework)
        .exclude(questions__type__in=SCORED_TYPES)
        .order_by("domain__position", "domain_id", "position", "pk")
    )


def generate_questions(*, framework: Framework, text: str, help: str, evidence: str = "") -> int:
    """Give every control of the draft `framework` that has no scored question one `scale`
    question from the template, and return how many were made.

    Raises ValidationError keyed by `text`, `help` or `evidence` for a bad template, and
    FrameworkLocked for a published or retired version; nothing is written then.
    """
    templates = {"text": text, "help": help, "evidence": evidence}
    problems = {field: template_problems(value) for field, value in templates.items()}
    if not text.strip():
        problems["text"].append("enter the question text")
    if any(problems.values()):
        raise ValidationError({field: found for field, found in problems.items() if found})
    with transaction.atomic():
        # Under a row lock, so the version cannot be published while questions are added.
        current = Framework.objects.select_for_update().get(pk=framework.pk)
        if current.status != FrameworkStatus.DRAFT:
            raise FrameworkLocked(str(current))
        rows = _questions(current, templates)
        Question.objects.bulk_create(rows)
    return len(rows)


def _questions(framework: Framework, templates: dict[str, str]) -> list[Question]:
    controls = list(controls_without_scored_question(framework))
    taken = set(Question.objects.filter(framework=framework).values_list("ref", flat=True))
    last = dict(
        Question.objects.filter(control__in=controls)
        .values("control")
        .annotate(last=models.Max("position"))
        .values_list("control", "last")
    )
    rows, too_long = [], []
    for control in controls:
        filled: dict[str, Any] = {key: render(value, control) for key, value in templates.items()}
        if len(filled["evidence"]) > EVIDENCE_MAX:
            too_long.append(control.ref)
        rows.append(
            Question(
                framework=framework,
                control=control,
                position=last[control.pk] + 1 if control.pk in last else 0,
                ref=_free_ref(control.ref, taken),
                type="scale",
                weight=1.0,
                allow_na=False,
                **filled,
            )
        )
    if too_long:
        message = (
            f"is longer than {EVIDENCE_MAX} characters once filled in for "
            f"{len(too_long)} control(s), e.g. {too_long[0]}"
        )
        raise ValidationError({"evidence": [message]})
    return rows


def _free_ref(control_ref: str, taken: set[str]) -> str:
    """`<control id>.q1`, or the next number free in the version (question ids are unique)."""
    number = 1
    while True:
        suffix = f".q{number}"
        ref = control_ref[: limits.ID_MAX_LENGTH - len(suffix)] + suffix
        if ref not in taken:
            taken.add(ref)
            return ref
        number += 1
