"""Moving an assessment between installations as a `scorecard-assessment/1` JSON document.

Answers travel by question ref and option *label*, never by database id or stored value, so a
document can be read by a person, diffed, and imported into another installation that loaded
the same framework version. The import checks the whole document before writing anything and
reports every problem at once, each naming the answer it is about.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from assessments import audit
from assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    DeploymentStage,
    Organisation,
)
from assessments.scoring import current_result
from assessments.services.carry import QuestionShape, question_shapes, start_history
from assessments.services.systems import system_named
from scorecard import scoring
from scorecard.loader import load_catalog_and_codes
from scorecard.models import (
    Framework,
    FrameworkStatus,
    Persona,
    QuestionType,
)

FORMAT = "scorecard-assessment/1"
TOP_LEVEL = {
    "format", "framework", "title", "purpose", "system_owner", "deployment_stage",
    "personas", "scoping", "status", "answers", "scores", "methodology_version",
}  # fmt: skip
# `code` is the question's display code, written for readers; an import goes by `question`.
ANSWER_FIELDS = {
    "question", "code", "option", "na", "number", "text", "justification", "comment",
}  # fmt: skip
TEXT_LIMITS = {"title": 200, "system_owner": 200, "purpose": None}


class DocumentError(ValueError):
    """The document cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


# --- export ---------------------------------------------------------------------------------


def export_assessment_document(assessment: Assessment) -> dict[str, Any]:
    framework = assessment.framework
    rows = Answer.objects.filter(assessment=assessment).values(
        "question__ref", "question__type", *Answer.CONTENT_FIELDS
    )
    catalog, codes = load_catalog_and_codes(framework)
    order = _question_order(catalog)
    answers = []
    for row in sorted(
        rows, key=lambda r: (order.get(r["question__ref"], len(order)), r["question__ref"])
    ):
        entry = _export_answer(row, codes.question(row["question__ref"]))
        if set(entry) - {"question", "code"}:
            answers.append(entry)
    result = current_result(assessment)
    return {
        "format": FORMAT,
        "framework": {"slug": framework.slug, "version": framework.version},
        "title": assessment.title,
        "purpose": assessment.purpose,
        "system_owner": assessment.system_owner,
        "deployment_stage": assessment.deployment_stage,
        "personas": list(assessment.personas or []),
        "scoping": assessment.scoping or {},
        "status": assessment.status,
        "answers": answers,
        "methodology_version": result.methodology_version,
        "scores": result.to_json_scores(),
    }


def _export_answer(row: dict[str, Any], code: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"question": row["question__ref"]}
    if code:
        entry["code"] = code
    qtype = row["question__type"]
    if row["na"]:
        entry["na"] = True
    elif qtype in scoring.SCORED_TYPES and row["option_label"]:
        entry["option"] = row["option_label"]
    elif qtype == QuestionType.NUMBER and row["number"] is not None:
        entry["number"] = row["number"]
    elif qtype == QuestionType.TEXT and row["text"]:
        entry["text"] = row["text"]
    for field in ("justification", "comment"):
        if row[field]:
            entry[field] = row[field]
    return entry


def _question_order(catalog) -> dict[str, int]:
    return {place.question.id: i for i, place in enumerate(scoring.walk(catalog))}


# --- import ---------------------------------------------------------------------------------


def parse_document(text: str | bytes) -> dict[str, Any]:
    """JSON text to a document, or DocumentError saying where the JSON is broken."""
    try:
        document = json.loads(text)
    except UnicodeDecodeError as exc:
        raise DocumentError([f"the file is not UTF-8 text ({exc.reason})"]) from None
    except json.JSONDecodeError as exc:
        raise DocumentError(
            [f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]
        ) from None
    if not isinstance(document, dict):
        raise DocumentError(["the document must be a JSON object"])
    return document


@transaction.atomic
def import_assessment_document(
    *, document: Mapping[str, Any], organisation: Organisation, user=None
) -> Assessment:
    """Create a draft assessment in `organisation` from a `scorecard-assessment/1` document.

    Status and scores in the document are ignored: the import is always a draft, scored live.
    Raises DocumentError (and writes nothing) when anything in the document is wrong.
    """
    framework = _check_header(document)
    checker = _AnswerChecker(framework)
    errors: list[str] = []
    fields = _check_fields(document, framework, errors)
    answers = checker.check(document.get("answers", []), errors)
    if errors:
        raise DocumentError(errors)

    system = system_named(organisation=organisation, name=fields.get("title", ""), user=user)
    assessment = Assessment.objects.create(
        organisation=organisation,
        framework=framework,
        system=system,
        status=AssessmentStatus.DRAFT,
        created_by=user,
        **fields,
    )
    rows = Answer.objects.bulk_create(
        Answer(assessment=assessment, updated_by=user, **answer) for answer in answers
    )
    start_history(assessment=assessment, answers=rows, user=user)
    audit.record(
        "assessment.imported",
        actor=user,
        organisation=organisation,
        target=assessment,
        summary=f"Imported {assessment} from a {FORMAT} document",
        data={
            "framework": {"slug": framework.slug, "version": framework.version},
            "answers": len(rows),
        },
    )
    return assessment


def _check_header(document: Any) -> Framework:
    if not isinstance(document, Mapping):
        raise DocumentError(["the document must be a JSON object"])
    errors = []
    if document.get("format") != FORMAT:
        errors.append(f'format: expected "{FORMAT}", got {_show(document.get("format"))}')
    unknown = sorted(set(document) - TOP_LEVEL)
    if unknown:
        errors.append(f"unknown field(s): {', '.join(unknown)}")
    spec = document.get("framework")
    if not (
        isinstance(spec, Mapping)
        and isinstance(spec.get("slug"), str)
        and isinstance(spec.get("version"), str)
    ):
        errors.append('framework: must be an object with "slug" and "version" strings')
        raise DocumentError(errors)
    framework = Framework.objects.filter(slug=spec["slug"], version=spec["version"]).first()
    if framework is None:
        errors.append(
            f'framework: "{spec["slug"]}" version "{spec["version"]}" does not exist here'
        )
    elif framework.status == FrameworkStatus.DRAFT:
        errors.append(
            f'framework: "{spec["slug"]}" version "{spec["version"]}" is a draft; '
            "assessments can only use published versions"
        )
    if errors:
        raise DocumentError(errors)
    return framework


def _check_fields(document: Mapping[str, Any], framework: Framework, errors: list[str]) -> dict:
    fields: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        value = document.get(name, "")
        if not isinstance(value, str):
            errors.append(f"{name}: must be a string, got {_show(value)}")
        elif limit is not None and len(value) > limit:
            errors.append(f"{name}: longer than {limit} characters")
        else:
            fields[name] = value.strip() if name == "title" else value
    if "title" in fields and not fields["title"]:
        errors.append("title: must not be empty")
    stage = document.get("deployment_stage", DeploymentStage.DEVELOPMENT)
    if stage not in DeploymentStage.values:
        errors.append(
            f"deployment_stage: {_show(stage)} is not one of {', '.join(DeploymentStage.values)}"
        )
    fields["deployment_stage"] = stage
    personas = document.get("personas", [])
    known = set(Persona.objects.filter(framework=framework).values_list("ref", flat=True))
    if not isinstance(personas, list):
        errors.append("personas: must be a list of persona ids")
    else:
        for i, ref in enumerate(personas):
            if ref not in known:
                errors.append(f"personas[{i}]: {_show(ref)} is not a persona of {framework}")
        fields["personas"] = list(dict.fromkeys(p for p in personas if isinstance(p, str)))
    scoping = document.get("scoping", {})
    if not isinstance(scoping, dict):
        errors.append("scoping: must be an object")
    fields["scoping"] = scoping
    return fields


class _AnswerChecker:
    """Checks answers against one framework version; three queries whatever the size."""

    def __init__(self, framework: Framework):
        self.framework = framework
        self.questions = question_shapes(framework)

    def check(self, items: Any, errors: list[str]) -> list[dict[str, Any]]:
        if not isinstance(items, list):
            errors.append("answers: must be a list")
            return []
        seen: dict[str, int] = {}
        out = []
        for i, item in enumerate(items):
            where = f"answers[{i}]"
            if isinstance(item, Mapping) and isinstance(item.get("question"), str):
                where += f' (question "{item["question"]}")'
            problems: list[str] = []
            answer = self._check_one(item, problems, seen, i)
            errors.extend(f"{where}: {problem}" for problem in problems)
            if answer is not None and not problems:
                out.append(answer)
        return out

    def _check_one(
        self, item: Any, problems: list[str], seen: dict[str, int], index: int
    ) -> dict[str, Any] | None:
        question = self._question(item, problems, seen, index)
        if question is None:
            return None
        answer: dict[str, Any] = {"question_id": question.pk}
        for field in ("justification", "comment"):
            value = item.get(field, "")
            if not isinstance(value, str):
                problems.append(f"{field} must be a string")
            answer[field] = value if isinstance(value, str) else ""
        given = [key for key in ("option", "number", "text") if key in item]
        na = item.get("na", False)
        if not isinstance(na, bool):
            problems.append('"na" must be true or false')
        elif na:
            if not question.allow_na:
                problems.append("N/A is not allowed for this question")
            if given:
                problems.append(f'is N/A but also gives "{given[0]}"')
            answer["na"] = True
            return answer
        if len(given) > 1:
            problems.append(f"gives more than one answer ({', '.join(given)})")
            return answer
        expected = "option" if question.type in scoring.SCORED_TYPES else question.type
        if given and given[0] != expected:
            problems.append(f'a {question.type} question takes "{expected}", not "{given[0]}"')
            return answer
        if given:
            answer.update(_value(given[0], item[given[0]], question, problems))
        return answer

    def _question(
        self, item: Any, problems: list[str], seen: dict[str, int], index: int
    ) -> QuestionShape | None:
        """The question an item answers, or None (with the problem) when it names none."""
        if not isinstance(item, Mapping):
            problems.append("must be an object")
            return None
        unknown = sorted(set(item) - ANSWER_FIELDS)
        if unknown:
            problems.append(f"unknown field(s): {', '.join(unknown)}")
        ref = item.get("question")
        if not isinstance(ref, str):
            problems.append('"question" must be a question id')
            return None
        question = self.questions.get(ref)
        if question is None:
            problems.append(f"no such question in {self.framework}")
            return None
        if ref in seen:
            problems.append(f"answered twice (first in answers[{seen[ref]}])")
            return None
        seen[ref] = index
        return question


def _value(key: str, given: Any, question: QuestionShape, problems: list[str]) -> dict:
    """The answer fields of an option, number or text as the document gives it."""
    if key == "option":
        if not isinstance(given, str) or given not in question.options:
            problems.append(f"option {_show(given)} is not an option of this question")
            return {}
        return {"option_label": given, "value": question.options[given]}
    if key == "number":
        if isinstance(given, bool) or not isinstance(given, int | float):
            problems.append(f"number {_show(given)} is not a number")
            return {}
        if not math.isfinite(given):
            problems.append("number must be finite")
            return {}
        return {"number": float(given)}
    if not isinstance(given, str):
        problems.append("text must be a string")
        return {}
    return {"text": given}


def _show(value: Any) -> str:
    """A value as the document spells it, so the message matches what the user sees."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."
