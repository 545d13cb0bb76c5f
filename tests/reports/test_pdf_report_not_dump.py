"""The PDF reads as a report: in-scope questions only, each review thread once, and the
cover and summary page say who signed off, when, and under which score fingerprint."""

from datetime import UTC, datetime

import pytest

from assessments.models import Assessment, ReviewComment, ScoreSnapshot, SignOff
from assessments.scoring import latest_snapshot
from scorecard.models import Question
from tests.reports.test_pdf import render, text_of

pytestmark = pytest.mark.django_db

LONG_COMMENT = (
    "The access review covers the production cluster only; the staging cluster and the "
    "notebooks used by the data science team were not reviewed this quarter and should be "
    "added before the next release."
)


def flat(text: str) -> str:
    return " ".join(text.split())


def no_space(text: str) -> str:
    return "".join(text.split())


def summary_page(reader) -> str:
    """The text of the executive summary's first page."""
    pages = [flat(page.extract_text()) for page in reader.pages]
    return next(p for p in pages if "The overall readiness score is" in p)


@pytest.fixture
def scoped(scored):
    """Scored for the application-user persona only: the builder-only controls (the second
    control of domains 1 and 3, the first and third of domain 2) are out of scope."""
    Assessment.objects.filter(pk=scored.pk).update(personas=["personaUser"])
    scored.refresh_from_db()
    return scored


def test_out_of_scope_questions_are_left_out_and_their_controls_summarised(scoped):
    reader, _ = render(scoped)
    text = flat(text_of(reader))
    for absent in (
        "Question 1 about Control D1-2?",
        "Question 3 about Control D1-2?",
        "Question 2 about Control D2-1?",
        "Question 1 about Control D2-3?",
        "Question 3 about Control D3-2?",
    ):
        assert absent not in text, absent
    assert "Question 1 about Control D1-1?" in text
    assert "Question 3 about Control D2-2?" in text
    assert "Controls out of scope" in text
    reason = "out: persona Model builder not selected"
    for line in (
        f"DM1-2 Control D1-2: {reason}",
        f"DM2-1 Control D2-1: {reason}",
        f"DM2-3 Control D2-3: {reason}",
        f"DM3-2 Control D3-2: {reason}",
    ):
        assert line in text, line
    assert text.count(reason) == 4


def test_a_whole_catalog_assessment_has_no_out_of_scope_summary(scored):
    reader, _ = render(scored)
    text = flat(text_of(reader))
    assert "Controls out of scope" not in text
    assert "Question 1 about Control D1-2?" in text


def test_a_long_review_comment_is_printed_once_and_appendix_a_points_to_it(scored, auditor):
    question = Question.objects.get(framework=scored.framework, ref="D2-C2.q1")
    ReviewComment.objects.create(
        assessment=scored, question=question, author=auditor, body=LONG_COMMENT
    )
    reader, _ = render(scored)
    text = flat(text_of(reader))
    assert text.count(LONG_COMMENT) == 1
    # Appendix C holds the thread, under the question's code; Appendix A points there.
    reviews = text[text.index("Appendix C: Review comments", text.index("Appendix B: Evidence")) :]
    assert f"on DM2-2.1 · open {LONG_COMMENT}" in reviews
    assert "Review discussion: 1 thread in Appendix C, under DM2-2.1." in text
    assert text.count("Which teams does this cover?") == 1
    assert text.count("All of them.") == 1


@pytest.fixture
def signed(finalised, auditor):
    auditor.full_name = "Ada Auditor"
    auditor.save()
    SignOff.objects.create(
        assessment=finalised,
        snapshot=latest_snapshot(finalised),
        user=auditor,
        statement="Checked every answer against the evidence.",
        created_at=datetime(2026, 3, 14, 9, 30, tzinfo=UTC),
    )
    return finalised


def test_cover_and_summary_show_status_signer_date_and_one_fingerprint(signed):
    fingerprint = latest_snapshot(signed).result_hash
    reader, _ = render(signed)
    cover = flat(reader.pages[0].extract_text())
    assert "Status Finalised" in cover
    assert "Sign-off Signed off by Ada Auditor (auditor@audit.example) on 14 March 2026" in cover
    # The fingerprint may wrap anywhere (it is one long word), so whitespace is dropped.
    assert f"Scorefingerprint:{fingerprint}" in no_space(cover)
    # The short form once printed in the "Scores" row is gone: one fingerprint display.
    assert fingerprint[:16] + "…" not in no_space(cover)
    assert "fingerprint below" in cover
    summary = summary_page(reader)
    assert "Status: Finalised" in summary
    assert "Sign-off: Signed off by Ada Auditor (auditor@audit.example) on 14 March 2026" in (
        summary
    )
    assert f"Scorefingerprint:{fingerprint}" in no_space(summary)


def test_a_finalised_assessment_without_sign_off_says_so(finalised):
    reader, _ = render(finalised)
    cover = flat(reader.pages[0].extract_text())
    assert "Sign-off Not signed off: finalised, no auditor has signed off these scores yet" in (
        cover
    )


def test_a_draft_says_not_signed_off_and_has_no_fingerprint(scored):
    reader, _ = render(scored)
    cover = flat(reader.pages[0].extract_text())
    assert "Status Draft" in cover
    assert "Not signed off: the assessment is not finalised" in cover
    assert "Score fingerprint" not in cover
    summary = summary_page(reader)
    assert "Sign-off: Not signed off" in summary
    assert "Score fingerprint: none, a draft's scores are not stored" in summary


def test_a_sign_off_of_an_older_snapshot_is_not_shown_as_current(signed):
    """A sign-off belongs to the snapshot it saw; a newer snapshot starts unsigned."""
    old = latest_snapshot(signed)
    ScoreSnapshot.objects.create(
        assessment=signed,
        methodology_version=old.methodology_version,
        catalog_hash=old.catalog_hash,
        result_hash="e" * 64,
        result=old.result,
    )
    reader, _ = render(signed)
    cover = flat(reader.pages[0].extract_text())
    assert "Not signed off: finalised" in cover
    assert "Ada Auditor" not in cover
    assert "Scorefingerprint:" + "e" * 64 in no_space(cover)
    # The older sign-off is still on record in Appendix D.
    assert "Checked every answer against the evidence." in flat(text_of(reader))
