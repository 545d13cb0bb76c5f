"""The objects every page of tests/browser/test_every_page.py is filled with.

The access matrix's world (tests/access/world.py: acme with every role, a draft assessment
with an answer, evidence, a review comment and a finished PDF; an invitation; globex) plus
what a page needs to show its full self: an assessment in review with a thread, a
finalised one with its snapshot, a draft catalog version beside the published one, and a
superuser for the admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator

from assessments.models import Answer, Assessment, User
from assessments.services import workflow
from scorecard.models import Framework, Option, Question, ScaleOption
from tests.access.walker import Entry
from tests.access.world import World, build_world
from tests.browser.site_map import Visit
from tests.factories import make_assessment, make_framework, make_user


@dataclass
class Site:
    world: World
    assessments: dict[str, Assessment]
    frameworks: dict[str, Framework]
    users: dict[str, User]


def _answer_everything(assessment: Assessment, user: User) -> None:
    framework = assessment.framework
    scale = list(ScaleOption.objects.filter(framework=framework).order_by("position"))
    rows = []
    for n, question in enumerate(Question.objects.filter(framework=framework).order_by("pk")):
        row = Answer(assessment=assessment, question=question, updated_by=user)
        if question.type == "choice":
            option = Option.objects.filter(question=question).order_by("position").last()
            row.option_label, row.value = option.label, option.value
        elif question.type == "yes_no":
            row.option_label, row.value = ("Yes", 1.0) if n % 2 else ("No", 0.0)
        else:
            picked = scale[n % len(scale)]
            row.option_label, row.value = picked.label, picked.value
        rows.append(row)
    Answer.objects.bulk_create(rows)


def build_site() -> Site:
    world = build_world()
    users = dict(world.users)
    owner, assessor, auditor = users["owner"], users["assessor"], users["auditor"]
    framework = world.framework

    in_review = make_assessment(
        world.organisation, framework, title="Acme claims triage", created_by=assessor
    )
    _answer_everything(in_review, assessor)
    workflow.submit(assessment=in_review, user=assessor)
    question = Question.objects.filter(framework=framework).order_by("pk").first()
    comment = workflow.add_comment(
        assessment=in_review, question=question, user=auditor, body="Which tool is this?"
    )
    workflow.reply(comment=comment, user=assessor, body="The gateway's own redaction.")

    finalised = make_assessment(
        world.organisation, framework, title="Acme support chatbot", created_by=assessor
    )
    _answer_everything(finalised, assessor)
    workflow.submit(assessment=finalised, user=assessor)
    workflow.finalise(assessment=finalised, user=owner)

    draft_version = make_framework(version="2.0", published=False, withdrawn=True)
    users["admin"] = make_user("root@scorecard.example", is_staff=True, is_superuser=True)
    return Site(
        world=world,
        assessments={
            "draft": world.assessment,
            "submitted": Assessment.objects.get(pk=in_review.pk),
            "finalised": Assessment.objects.get(pk=finalised.pk),
        },
        frameworks={"published": framework, "draft": draft_version},
        users=users,
    )


def _admin_object_id(site: Site, model, visit: Visit) -> str:
    """An object of `model` to open: catalog rows of the visit's version, the owner's user."""
    if model is Framework:
        return str(site.frameworks[visit.target].pk)
    if model is User:
        return str(site.users["owner"].pk)
    rows = model._default_manager.order_by("pk")
    if any(f.name == "framework" for f in model._meta.fields):
        rows = rows.filter(framework=site.frameworks[visit.target])
    first = rows.first()
    assert first is not None, f"the site has no {model._meta.label} to open"
    return str(first.pk)


def path_for(site: Site, entry: Entry, visit: Visit) -> str:
    """The concrete path of `entry` for this visit."""
    values = site.world.kwargs()
    if visit.target in site.assessments:
        values["assessment_id"] = site.assessments[visit.target].pk
    if entry.admin_model is not None:
        # Model pages, the framework's own pages and the user's password page.
        values["object_id"] = values["id"] = _admin_object_id(site, entry.admin_model, visit)
    values.update(dict(visit.kwargs))
    if entry.name == "password_reset_confirm" and values["token"] == "valid":
        values["token"] = default_token_generator.make_token(site.users["viewer"])
    return entry.path(values)
