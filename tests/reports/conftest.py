"""Assessments with every question answered, for the scorecard, PDF and export tests."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from assessments.models import (
    Answer,
    AssessmentStatus,
    Evidence,
    EvidenceKind,
    ReviewComment,
)
from scorecard.models import (
    Control,
    ControlMapping,
    ControlRisk,
    Framework,
    FrameworkStatus,
    Option,
    Question,
    Risk,
    ScaleOption,
)
from tests.factories import make_assessment, make_framework

NIST = ("GOVERN-1.1@1.0", "MAP-2.3@1.0", "MEASURE-2.7@1.0", "MANAGE-4.1@1.0", "GOVERN-6.2@1.0")
LONG_QUESTION = (
    "How consistently are models and datasets checked, signed and recorded before they are "
    "used, and who reviews the results?"
)
LONG_GUIDANCE = (
    "List the systems in scope and name an owner for each. Write down the minimum practice "
    "expected, check a sample of recent releases against it, and fix the gaps you find "
    "before the next release. Review the results every quarter and record what changed."
)
ATLAS = ("AML.M0007@5.0.1", "AML.M0013@5.0.1", "AML.M0024@5.0.1")


def make_report_framework(
    *,
    slug="report-fw",
    domains=3,
    controls_per_domain=3,
    questions_per_control=3,
    risks=None,
    long_texts=False,
    before_publish=None,
) -> Framework:
    """make_framework plus crosswalk mappings (NIST AI RMF, MITRE ATLAS), then published.

    With `risks`, the controls share that many risks (two each), as real catalogs do,
    instead of one risk per control; `long_texts` gives questions and guidance the length
    of the bundled catalog's, for benchmarks; `before_publish(framework)` may change the
    draft (weights, nesting) before it is published and locked."""
    framework = make_framework(
        slug=slug,
        domains=domains,
        controls_per_domain=controls_per_domain,
        questions_per_control=questions_per_control,
        published=False,
    )
    controls = list(Control.objects.filter(framework=framework).order_by("pk"))
    if risks is not None:
        kept = list(Risk.objects.filter(framework=framework).order_by("position")[:risks])
        ControlRisk.objects.filter(framework=framework).delete()
        Risk.objects.filter(framework=framework).exclude(pk__in=[r.pk for r in kept]).delete()
        ControlRisk.objects.bulk_create(
            ControlRisk(framework=framework, control=c, risk=kept[(i + k) % len(kept)])
            for i, c in enumerate(controls)
            for k in range(2 if len(kept) > 1 else 1)
        )
    ControlMapping.objects.bulk_create(
        [
            ControlMapping(
                framework=framework, control=c, scheme="nist-ai-rmf", reference=NIST[i % 5]
            )
            for i, c in enumerate(controls)
        ]
        + [
            ControlMapping(
                framework=framework, control=c, scheme="mitre-atlas", reference=ATLAS[i % 3]
            )
            for i, c in enumerate(controls)
            if i % 2 == 0
        ]
    )
    if long_texts:
        Question.objects.filter(framework=framework).update(text=LONG_QUESTION)
        Control.objects.filter(framework=framework).update(guidance=LONG_GUIDANCE)
    if before_publish is not None:
        before_publish(framework)
    Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
    framework.refresh_from_db()
    return framework


def answer_everything(assessment, *, seed: int = 7, user=None, notes: bool = True) -> None:
    """One answer per question (some N/A with a justification), comments on most."""
    rnd = random.Random(seed)
    framework = assessment.framework
    scale = list(ScaleOption.objects.filter(framework=framework).values_list("label", "value"))
    options: dict[int, list] = {}
    for qid, label, value in Option.objects.filter(framework=framework).values_list(
        "question_id", "label", "value"
    ):
        options.setdefault(qid, []).append((label, value))
    rows = []
    for q in Question.objects.filter(framework=framework).order_by("position", "pk"):
        if q.allow_na and rnd.random() < 0.15:
            rows.append(
                Answer(
                    assessment=assessment,
                    question=q,
                    na=True,
                    justification=f"Not relevant to this system ({q.ref}).",
                    updated_by=user,
                )
            )
            continue
        if q.type in ("text", "number"):
            rows.append(
                Answer(
                    assessment=assessment,
                    question=q,
                    text="Recorded in the system register." if q.type == "text" else "",
                    number=float(rnd.randint(1, 40)) if q.type == "number" else None,
                    updated_by=user,
                )
            )
            continue
        choices = {
            "scale": scale,
            "choice": options.get(q.pk, []),
            "yes_no": [("Yes", 1.0), ("No", 0.0)],
        }
        label, value = rnd.choice(choices[q.type])
        rows.append(
            Answer(
                assessment=assessment,
                question=q,
                option_label=label,
                value=value,
                comment=f"Checked with the platform team; see the runbook for {q.ref}."
                if notes and rnd.random() < 0.8
                else "",
                updated_by=user,
            )
        )
    Answer.objects.bulk_create(rows)


def finalise(assessment, user=None):
    from assessments.scoring import take_snapshot

    assessment.status = AssessmentStatus.FINALISED
    assessment.finalised_at = timezone.now()
    assessment.finalised_by = user
    assessment.save()
    take_snapshot(assessment=assessment)
    return assessment


@pytest.fixture
def report_framework(db):
    return make_report_framework()


@pytest.fixture
def scored(organisation, report_framework, owner, auditor):
    """A draft with every question answered, one evidence file, a link and a review thread."""
    return make_scored(organisation, report_framework, owner, auditor)


def make_scored(organisation, report_framework, owner, auditor):
    """The `scored` draft, for fixtures of a wider scope than a test."""
    assessment = make_assessment(
        organisation, report_framework, title="Fraud detection model", created_by=owner
    )
    answer_everything(assessment, user=owner)
    # At least one justified N/A, whatever the random answers were.
    Answer.objects.filter(assessment=assessment, question__allow_na=True).filter(
        question__ref="D1-C1.q2"
    ).update(na=True, value=None, option_label="", justification="Not relevant to this system.")
    question = Question.objects.filter(framework=report_framework).order_by("pk").first()
    Evidence.objects.create(
        assessment=assessment,
        question=question,
        kind=EvidenceKind.FILE,
        filename="access-policy.pdf",
        content_type="application/pdf",
        size=48213,
        sha256="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        uploaded_by=owner,
    )
    Evidence.objects.create(
        assessment=assessment,
        question=question,
        kind=EvidenceKind.LINK,
        url="https://wiki.example.org/runbook",
        description="Runbook",
        uploaded_by=owner,
    )
    thread = ReviewComment.objects.create(
        assessment=assessment,
        question=question,
        author=auditor,
        body="Which teams does this cover?",
    )
    ReviewComment.objects.create(
        assessment=assessment, question=question, parent=thread, author=owner, body="All of them."
    )
    return assessment


@pytest.fixture
def finalised(scored, owner):
    return finalise(scored, owner)


@pytest.fixture
def logged_in(live_server, page, owner):
    """The browser page, logged in as the owner through the login form."""
    import re

    from playwright.sync_api import expect

    from tests.factories import PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(owner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    return page
