"""Export and import of assessments as `scorecard-assessment/1` JSON documents."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Answer, AnswerChange, Assessment, AuditEvent
from assessments.scoring import current_result, take_snapshot
from assessments.services.transfer import (
    DocumentError,
    export_assessment_document,
    import_assessment_document,
)
from scorecard.models import Control, Framework, FrameworkStatus, Question
from tests.factories import make_framework
from tests.scoring_service.conftest import answer_all, finalise

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(db):
    """The shared test catalog plus a number and a text question, published."""
    framework = make_framework(published=False, questions_per_control=3)
    control = Control.objects.get(framework=framework, ref="D1-C1")
    Question.objects.bulk_create(
        [
            Question(framework=framework, control=control, ref="D1-C1.n", position=8,
                     text="How many models?", type="number"),
            Question(framework=framework, control=control, ref="D1-C1.t", position=9,
                     text="Anything else?", type="text"),
        ]
    )  # fmt: skip
    Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
    framework.refresh_from_db()
    return framework


@pytest.fixture
def answered(assessment):
    assessment.purpose = "Drafts replies to customer e-mails."
    assessment.system_owner = "Support team"
    assessment.deployment_stage = "pilot"
    assessment.personas = ["personaUser"]
    assessment.save()
    answer_all(assessment, na={"D1-C2.q2"}, skip={"D2-C2.q1"})
    Answer.objects.filter(assessment=assessment, question__ref="D2-C1.q3").update(
        comment="Checked with the platform team."
    )
    return assessment


def _counts():
    return (
        Assessment.objects.count(),
        Answer.objects.count(),
        AnswerChange.objects.count(),
        AuditEvent.objects.count(),
    )


def _write(tmp_path, document, name="doc.json"):
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document)
    path.write_text(text, encoding="utf-8")
    return path


def test_export_document_has_the_published_shape(answered):
    document = export_assessment_document(answered)

    assert document["format"] == "scorecard-assessment/1"
    assert document["framework"] == {"slug": "test-fw", "version": "1.0"}
    assert document["title"] == answered.title
    assert document["purpose"] == "Drafts replies to customer e-mails."
    assert document["system_owner"] == "Support team"
    assert document["deployment_stage"] == "pilot"
    assert document["personas"] == ["personaUser"]
    assert document["status"] == "draft"
    by_ref = {a["question"]: a for a in document["answers"]}
    # Each answer carries its question's display code (from the factory) for readers.
    assert by_ref["D1-C1.q1"] == {
        "question": "D1-C1.q1",
        "code": "DM1-1.1",
        "option": "Not started",
    }
    assert by_ref["D1-C2.q2"] == {
        "question": "D1-C2.q2", "code": "DM1-2.2", "na": True,
        "justification": "Out of scope for this system.",
    }  # fmt: skip
    stored = {a.question.ref: a for a in Answer.objects.filter(assessment=answered)}
    assert by_ref["D1-C1.n"] == {"question": "D1-C1.n", "number": stored["D1-C1.n"].number}
    assert by_ref["D1-C1.t"] == {"question": "D1-C1.t", "text": stored["D1-C1.t"].text}
    assert "code" not in by_ref["D1-C1.n"]  # a question stored without a code gets none
    assert by_ref["D2-C1.q3"]["comment"] == "Checked with the platform team."
    assert "D2-C2.q1" not in by_ref
    # Answers follow the questionnaire order: domain, control, question position.
    refs = [a["question"] for a in document["answers"]]
    assert refs[:5] == ["D1-C1.q1", "D1-C1.q2", "D1-C1.q3", "D1-C1.n", "D1-C1.t"]
    scores = document["scores"]
    assert scores == current_result(answered).to_json_scores()
    assert set(scores) >= {"overall", "tier", "gated", "gated_by", "completeness", "domains",
                           "controls", "risks", "gaps"}  # fmt: skip
    json.dumps(document, allow_nan=False)


def test_export_of_a_finalised_assessment_reports_its_snapshot(answered):
    snapshot = take_snapshot(assessment=answered)
    finalised = finalise(answered)

    document = export_assessment_document(finalised)

    assert document["status"] == "finalised"
    assert document["scores"]["overall"] == round(snapshot.result["overall"], 2)


def test_export_command_writes_json_to_a_file_and_to_stdout(answered, tmp_path):
    target = tmp_path / "out.json"
    call_command("export_assessment", str(answered.pk), "--format", "json", "-o", str(target),
                 stderr=io.StringIO())  # fmt: skip
    stdout = io.StringIO()
    call_command("export_assessment", str(answered.pk), stdout=stdout)

    expected = export_assessment_document(answered)
    assert json.loads(target.read_text(encoding="utf-8")) == expected
    assert json.loads(stdout.getvalue()) == expected


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_export_command_rejects_an_unknown_assessment(bad_id):
    with pytest.raises(CommandError, match="assessment"):
        call_command("export_assessment", bad_id, stdout=io.StringIO())


def test_round_trip_into_another_organisation_keeps_answers_and_scores(
    answered, other_organisation, tmp_path
):
    exported = export_assessment_document(answered)
    path = _write(tmp_path, exported)
    stdout = io.StringIO()

    call_command("import_assessment", str(path), "--organisation", "globex", stdout=stdout)

    new_id = stdout.getvalue().strip().splitlines()[-1]
    imported = Assessment.objects.get(pk=new_id)
    assert imported.organisation == other_organisation
    assert imported.status == "draft"
    assert imported.pk != answered.pk
    again = export_assessment_document(imported)
    assert again["answers"] == exported["answers"]
    assert again["scores"] == exported["scores"]
    for field in ("framework", "title", "purpose", "system_owner", "deployment_stage",
                  "personas", "scoping"):  # fmt: skip
        assert again[field] == exported[field]
    # The imported values open the answer history, and the import is in the audit log.
    assert AnswerChange.objects.filter(assessment=imported).count() == len(exported["answers"])
    event = AuditEvent.objects.get(action="assessment.imported")
    assert event.organisation == other_organisation
    assert event.target_id == str(imported.pk)


def test_round_trip_of_a_finalised_assessment_scores_the_same(answered, other_organisation, owner):
    take_snapshot(assessment=answered)
    exported = export_assessment_document(finalise(answered))

    imported = import_assessment_document(
        document=exported, organisation=other_organisation, user=owner
    )

    assert imported.created_by == owner
    assert export_assessment_document(imported)["scores"] == exported["scores"]


def _option_problem(document):
    index = next(i for i, a in enumerate(document["answers"]) if i >= 3 and "option" in a)
    document["answers"][index]["option"] = "Maybe"
    ref = document["answers"][index]["question"]
    return f'answers[{index}] (question "{ref}"): option "Maybe" is not an option of this question'


def _na_problem(document):
    document["answers"][0] = {"question": "D1-C1.q1", "na": True, "justification": "n/a"}
    return 'answers[0] (question "D1-C1.q1"): N/A is not allowed for this question'


def _unknown_question(document):
    document["answers"][1]["question"] = "NOPE-9.9"
    return 'answers[1] (question "NOPE-9.9"): no such question in Test framework test-fw 1.0'


def _duplicate(document):
    document["answers"].append(dict(document["answers"][0]))
    last = len(document["answers"]) - 1
    return f'answers[{last}] (question "D1-C1.q1"): answered twice (first in answers[0])'


def _wrong_kind(document):
    document["answers"][0] = {"question": "D1-C1.q1", "text": "pretty good"}
    return 'answers[0] (question "D1-C1.q1"): a scale question takes "option", not "text"'


def _missing_version(document):
    document["framework"]["version"] = "9.9"
    return 'framework: "test-fw" version "9.9" does not exist here'


def _wrong_format(document):
    document["format"] = "scorecard-assessment/2"
    return 'format: expected "scorecard-assessment/1", got "scorecard-assessment/2"'


def _unknown_persona(document):
    document["personas"] = ["personaUser", "personaAlien"]
    return 'personas[1]: "personaAlien" is not a persona of Test framework test-fw 1.0'


def _empty_title(document):
    document["title"] = "   "
    return "title: must not be empty"


def _bad_number(document):
    index = next(i for i, a in enumerate(document["answers"]) if a["question"] == "D1-C1.n")
    document["answers"][index]["number"] = "twelve"
    return f'answers[{index}] (question "D1-C1.n"): number "twelve" is not a number'


@pytest.mark.parametrize(
    "spoil",
    [_option_problem, _na_problem, _unknown_question, _duplicate, _wrong_kind, _missing_version,
     _wrong_format, _unknown_persona, _empty_title, _bad_number],
)  # fmt: skip
def test_import_rejects_a_bad_document_and_writes_nothing(
    answered, other_organisation, tmp_path, spoil
):
    document = copy.deepcopy(export_assessment_document(answered))
    expected = spoil(document)
    path = _write(tmp_path, document)
    before = _counts()

    with pytest.raises(CommandError) as caught:
        call_command("import_assessment", str(path), "--organisation", "globex",
                     stdout=io.StringIO())  # fmt: skip

    assert expected in str(caught.value)
    assert "nothing imported" in str(caught.value)
    assert _counts() == before


def test_import_reports_every_problem_at_once(answered, other_organisation):
    document = copy.deepcopy(export_assessment_document(answered))
    first = _option_problem(document)
    second = _unknown_question(document)
    before = _counts()

    with pytest.raises(DocumentError) as caught:
        import_assessment_document(document=document, organisation=other_organisation)

    assert caught.value.errors == [second, first]
    assert _counts() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "scorecard-assessment/1", "answers": [', "not valid JSON"),
        ("[1, 2, 3]", "the document must be a JSON object"),
        ("", "not valid JSON"),
    ],
)
def test_import_rejects_malformed_json(other_organisation, tmp_path, text, message):
    path = _write(tmp_path, text)
    before = _counts()

    with pytest.raises(CommandError, match=message):
        call_command("import_assessment", str(path), "--organisation", "globex",
                     stdout=io.StringIO())  # fmt: skip
    assert _counts() == before


def test_import_rejects_an_unknown_organisation(answered, tmp_path):
    path = _write(tmp_path, export_assessment_document(answered))
    before = _counts()

    with pytest.raises(CommandError, match='no organisation with slug "nobody"'):
        call_command("import_assessment", str(path), "--organisation", "nobody",
                     stdout=io.StringIO())  # fmt: skip
    assert _counts() == before


def test_import_rejects_a_draft_framework(answered, other_organisation):
    draft = make_framework(slug="draft-only", published=False)
    document = copy.deepcopy(export_assessment_document(answered))
    document["framework"] = {"slug": draft.slug, "version": draft.version}
    document["answers"] = []

    with pytest.raises(DocumentError, match="is a draft"):
        import_assessment_document(document=document, organisation=other_organisation)
    assert not Assessment.objects.filter(organisation=other_organisation).exists()
