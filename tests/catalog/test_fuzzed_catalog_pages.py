"""Generated catalogs: a refused one writes nothing, an accepted one serves every page.

Each example is a native catalog document, valid or with out-of-limit values mixed in
(NaN and infinite weights, 1e308, option values outside [0, 1], ids with a slash or a
space ...). A catalog with any of those must be refused at import, naming the path,
without writing a row. Any other must import, publish and then answer every page of an
assessment on it (detail, scoping, questionnaire, history, scorecard, every "why" link,
compare, the exports, review, My work, the catalog preview) without a server error.
"""

from __future__ import annotations

import html
import itertools
import math
import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessments.services.answers import AnswerInput, save_answers
from scorecard import services
from scorecard.catalog import files, native
from scorecard.catalog.document import iter_domains
from scorecard.catalog.problems import CatalogInvalid
from scorecard.models import Question
from tests.catalog.helpers import catalog_row_counts
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)
ID_CHARS = "ABCXYZabcxyz0189._-"
# Valid weights, the bounds included: the smallest positive float and exactly 1e6.
good_weights = st.one_of(
    st.sampled_from([1, 2, 0.5, 1e6, 5e-324]),
    st.floats(min_value=1e-6, max_value=1e6),
)
good_values = st.one_of(st.sampled_from([0, 1, 0.5]), st.floats(min_value=0, max_value=1))
# Out-of-limit values of each kind, and the message a refusal of each starts with.
BAD = {
    "weight": [math.nan, math.inf, -math.inf, 1e308, 0, -1, 1e6 + 1, -0.0],
    "value": [math.nan, math.inf, -0.1, 1.1, 1e308],
    "score": [math.nan, math.inf, -1, 100.5, 1e308],
    "id": ["a/b", "a b", "é", "", "x\ty"],
}
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda text: text.strip() == text and text)


def ident(prefix: str):
    return st.text(alphabet=ID_CHARS, max_size=4).map(lambda tail: f"{prefix}{tail}")


@st.composite
def questions(draw, control_id: str, count: int) -> list[dict]:
    kinds = draw(
        st.lists(
            st.sampled_from(["scale", "choice", "yes_no", "text", "number"]),
            min_size=count,
            max_size=count,
        )
    )
    if not {"scale", "choice", "yes_no"} & set(kinds):
        kinds[0] = "scale"  # a control needs one scored question to publish
    made = []
    for index, kind in enumerate(kinds):
        question = {
            "id": f"{control_id}.q{index}",
            "text": draw(names),
            "type": kind,
            "allow_na": draw(st.booleans()),
        }
        if draw(st.booleans()):
            question["weight"] = draw(good_weights)
        if kind == "choice":
            values = draw(st.lists(good_values, min_size=2, max_size=3))
            question["options"] = [
                {"label": f"Option {n}", "value": value} for n, value in enumerate(values)
            ]
        made.append(question)
    return made


@st.composite
def controls(draw, domain_id: str, personas: list[str], risks: list[str]) -> list[dict]:
    made = []
    for index in range(draw(st.integers(1, 2))):
        control_id = draw(ident(f"{domain_id}-C{index}"))
        control = {
            "id": control_id,
            "name": draw(names),
            "critical": draw(st.booleans()),
            "personas": draw(st.lists(st.sampled_from(personas), unique=True, max_size=2))
            if personas
            else [],
            "risks": draw(st.lists(st.sampled_from(risks), unique=True, max_size=2))
            if risks
            else [],
            "mappings": {"nist-ai-rmf": [f"GOVERN-{index}.1"]} if draw(st.booleans()) else {},
            "questions": draw(questions(control_id, draw(st.integers(1, 2)))),
        }
        if draw(st.booleans()):
            control["weight"] = draw(good_weights)
        made.append(control)
    return made


@st.composite
def domains(draw, prefix: str, personas, risks, depth: int) -> list[dict]:
    made = []
    for index in range(draw(st.integers(1, 2 if depth == 0 else 1))):
        domain_id = draw(ident(f"{prefix}D{index}"))
        children = (
            draw(domains(f"{domain_id}.", personas, risks, depth + 1))
            if (depth == 0 and draw(st.booleans()))
            else []
        )
        domain = {
            "id": domain_id,
            "name": draw(names),
            "domains": children,
            "controls": draw(controls(domain_id, personas, risks)),
        }
        if draw(st.booleans()):
            domain["weight"] = draw(good_weights)
        made.append(domain)
    return made


@st.composite
def valid_documents(draw) -> dict:
    personas = [f"P{n}" for n in range(draw(st.integers(0, 2)))]
    risks = [f"R{n}" for n in range(draw(st.integers(0, 2)))]
    cuts = sorted(draw(st.sets(st.floats(min_value=0.5, max_value=100), max_size=3)))
    tiers = [{"name": f"Tier {n}", "min_score": s} for n, s in enumerate([0, *cuts])]
    doc = {
        "format": "scorecard-catalog/1",
        "framework": {"slug": f"fuzz-{next(_serial)}", "name": draw(names), "version": "1"},
        "scale": [
            {"label": f"Level {n}", "value": value}
            for n, value in enumerate(draw(st.lists(good_values, min_size=2, max_size=4)))
        ],
        "tiers": tiers,
        "critical_threshold": draw(st.floats(min_value=0, max_value=100)),
        "personas": [
            {"id": ref, "name": f"Persona {ref}", "questions": ["Is it you?"]} for ref in personas
        ],
        "risks": [{"id": ref, "name": f"Risk {ref}"} for ref in risks],
        "domains": draw(domains("", personas, risks, 0)),
    }
    if draw(st.booleans()):
        doc["gate_tier"] = tiers[0]["name"]
    return doc


def _slots(doc: dict) -> dict[str, list[tuple[str, dict, str]]]:
    """Where a bad value can go: (rendered path, the mapping, its key), by kind."""
    slots: dict[str, list] = {kind: [] for kind in BAD}
    for n, option in enumerate(doc["scale"]):
        slots["value"].append((f"scale[{n}].value", option, "value"))
    for n, tier in enumerate(doc["tiers"]):
        slots["score"].append((f"tiers[{n}].min_score", tier, "min_score"))
    slots["score"].append(("critical_threshold", doc, "critical_threshold"))
    for path, domain in iter_domains(doc):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)[1:]
        slots["weight"].append((f"{where}.weight", domain, "weight"))
        slots["id"].append((f"{where}.id", domain, "id"))
        for c, control in enumerate(domain["controls"]):
            at = f"{where}.controls[{c}]"
            slots["weight"].append((f"{at}.weight", control, "weight"))
            slots["id"].append((f"{at}.id", control, "id"))
            for q, question in enumerate(control["questions"]):
                slots["weight"].append((f"{at}.questions[{q}].weight", question, "weight"))
                slots["id"].append((f"{at}.questions[{q}].id", question, "id"))
                for o, option in enumerate(question.get("options", ())):
                    slots["value"].append(
                        (f"{at}.questions[{q}].options[{o}].value", option, "value")
                    )
    return slots


@st.composite
def documents(draw) -> tuple[dict, list[str]]:
    """A valid document, or one with 1-2 out-of-limit values and the paths they are at."""
    doc = draw(valid_documents())
    # One in three is broken, so most examples go on to open the pages.
    if draw(st.integers(0, 2)) != 0:
        return doc, []
    slots = _slots(doc)
    broken = []
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(sorted(BAD)))
        path, node, key = draw(st.sampled_from(slots[kind]))
        node[key] = draw(st.sampled_from(BAD[kind]))
        broken.append(path)
    return doc, broken


def _answer_some(assessment, user, draw_labels) -> None:
    inputs = []
    for question in Question.objects.filter(framework=assessment.framework).order_by("pk"):
        pick = draw_labels(question)
        if pick is not None:
            inputs.append(pick)
    save_answers(assessment=assessment, user=user, submitted=inputs)


def _pages(assessment, other, doc) -> list[str]:
    """Every page of the assessment an owner can open, the exports excluded."""
    aid = {"assessment_id": assessment.pk}
    pages = [
        reverse("assessment_detail", kwargs=aid),
        reverse("assessment_scoping", kwargs=aid),
        reverse("scorecard", kwargs=aid),
        reverse("assessment_compare", kwargs={**aid, "other_id": other.pk}),
        reverse("assessment_review", kwargs=aid),
        reverse("my_work"),
    ]
    pages += [
        reverse("questionnaire_page", kwargs={**aid, "domain_ref": domain["id"]})
        for domain in doc["domains"]
    ]
    for _, domain in iter_domains(doc):
        for control in domain["controls"]:
            pages += [
                reverse("answer_history", kwargs={**aid, "question_ref": question["id"]})
                for question in control["questions"]
            ]
    return pages


WHY_LINK = re.compile(r'href="(/assessments/[^"/]+/scorecard/why/[^"]+)"')


def _open_why_links(client, assessment) -> set[str]:
    """Follow every "why" link from the scorecard, and from each page it leads to."""
    start = [
        reverse("scorecard", kwargs={"assessment_id": assessment.pk}),
        reverse(
            "score_explain",
            kwargs={"assessment_id": assessment.pk, "kind": "overall", "ref": "overall"},
        ),
    ]
    seen: set[str] = set()
    queue = list(start)
    while queue:
        url = queue.pop()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        seen.add(url)
        for link in WHY_LINK.findall(response.content.decode()):
            if link not in seen and link not in queue:
                queue.append(html.unescape(link))
    return {url.split("/why/")[1].split("/")[0] for url in seen if "/why/" in url}


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(example=documents(), data=st.data())
def test_a_generated_catalog_is_refused_whole_or_serves_every_page(
    example, data, organisation, owner, catalog_admin
):
    doc, broken = example
    text = native.dump_yaml(doc).encode()
    before = catalog_row_counts()
    try:
        framework = files.import_bytes(text, filename="fuzz.yaml")
    except CatalogInvalid as invalid:
        assert broken, f"a valid catalog was refused: {invalid}"
        assert catalog_row_counts() == before, "a refused import wrote rows"
        listed = {problem.path for problem in invalid.problems}
        # A bad id breaks references to it too, so the listed paths may be more.
        assert listed & set(broken), (broken, invalid.lines())
        event("refused at import")
        return
    assert not broken, f"imported a catalog with bad values at {broken}"
    event("imported, published and every page opened")
    framework = services.publish_framework(framework=framework)

    assessment = make_assessment(organisation, framework, created_by=owner)
    assessment.personas = data.draw(
        st.lists(st.sampled_from([p["id"] for p in doc["personas"]]), unique=True)
        if doc["personas"]
        else st.just([])
    )
    assessment.save()
    other = make_assessment(organisation, framework, created_by=owner)
    _answer_some(assessment, owner, lambda question: _answer(data, question, doc))

    client = Client()
    client.force_login(owner)
    for url in _pages(assessment, other, doc):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    kinds = _open_why_links(client, assessment)
    # Control links depend on which controls apply to the chosen personas, the roadmap's
    # and the path's on there being gaps, the crosswalk's on mappings; the others are on
    # every scorecard.
    expected = {"overall", "contributions", "domain", "completeness", "tier", "risks"}
    expected |= {"risk"} if doc["risks"] else set()
    assert expected <= kinds <= {*expected, "control", "gaps", "path", "crosswalk"}, kinds
    for fmt in ("csv", "summary-csv", "xlsx", "json"):
        url = reverse("assessment_export", kwargs={"assessment_id": assessment.pk, "fmt": fmt})
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        assert response.status_code == 200, (url, response.status_code)

    admin = Client()
    admin.force_login(catalog_admin)
    for domain in doc["domains"]:
        url = reverse("catalog_preview", kwargs={"framework_id": framework.pk})
        response = admin.get(url, {"domain": domain["id"]})
        assert response.status_code == 200, (url, domain["id"], response.status_code)


def _answer(data, question: Question, doc: dict) -> AnswerInput | None:
    """An answer a team might give, or None to leave the question open."""
    choice = data.draw(st.sampled_from(["skip", "answer", "na"]), label=question.ref)
    if choice == "skip":
        return None
    if choice == "na" and question.allow_na:
        return AnswerInput(question=question, na=True, justification="Not used here.")
    if question.type == "number":
        return AnswerInput(question=question, number=data.draw(st.floats(-1e6, 1e6)))
    if question.type == "text":
        return AnswerInput(question=question, text="Written by the team.")
    labels = {
        "yes_no": ["Yes", "No"],
        "scale": [option["label"] for option in doc["scale"]],
        "choice": [f"Option {n}" for n in range(len(question.options.all()))],
    }[question.type]
    return AnswerInput(question=question, option_label=data.draw(st.sampled_from(labels)))
