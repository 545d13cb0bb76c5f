"""Every number on the scorecard page links to its derivation, and each derivation can be
recomputed by hand from what its page prints, to the precision the scorecard shows.

The test reads only page text. On the scorecard it finds every number of the main content
and requires it to be the text of a link to a "why" page. It follows every such link, reads
the figure the link points to (its printed arithmetic, its rounding rule and its result),
evaluates the arithmetic itself with exact fractions, rounds it as the page says, and
compares with the number shown on the scorecard.

What counts as a number: a run of digits, with an optional decimal part ("58.33", "25",
"1.5"), in the text of the page's <article> after these are left out, because they are not
figures of this assessment:

- navigation (<nav>: breadcrumb, table of contents);
- the page header (organisation, framework name and version, revision, dates, methodology
  version) and the PDF panel (#report: render times, file sizes, dates);
- other assessments offered for comparison (.compare-choices) and the line naming the one
  compared with (.compare-with: its title, revision and date);
- charts (<svg>) and everything only screen readers get (.visually-hidden: chart data tables,
  table captions, the link descriptions), which repeat figures that are linked where they
  are seen; the fallback text of <progress> (not displayed; the same completeness);
- display codes and ids (.catalog-code, .catalog-ref, .ref: "DM1-1", "D1-C1", "risk1",
  "GOVERN-1.1") and the names of domains, controls, risks, tiers, the organisation, the
  assessments and the framework (read from the database and removed from the text);
- the step numbers of the path to the next tier (.step-rank), which are positions in a list;
- the catalog's guidance for each gap (.roadmap-guidance), prose by the catalog's authors;
- the bare integer 100, the top of the 0-100 scale in prose ("/ 100", "at 100"); a figure
  of the assessment is never printed that way (scores have two decimals).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.urls import reverse

from assessments.models import Answer
from assessments.scoring import current_result
from scorecard.models import Control, ControlPersona, Domain, Question, Risk, Tier
from tests.factories import make_assessment
from tests.figure_arithmetic import matches, places, shown_value
from tests.reports.conftest import answer_everything, finalise, make_report_framework

pytestmark = pytest.mark.django_db

EXCLUDED = (
    "self::nav",
    "self::header[contains(@class, 'scorecard-header')]",
    "self::section[@id='report']",
    "self::*[contains(concat(' ', @class, ' '), ' compare-choices ')]",
    "self::p[contains(@class, 'compare-with')]",
    "self::*[local-name()='svg']",
    "self::progress",
    "self::*[contains(concat(' ', @class, ' '), ' visually-hidden ')]",
    "self::*[contains(concat(' ', @class, ' '), ' catalog-code ')]",
    "self::*[contains(concat(' ', @class, ' '), ' catalog-ref ')]",
    "self::*[contains(concat(' ', @class, ' '), ' ref ')]",
    "self::*[contains(concat(' ', @class, ' '), ' step-rank ')]",
    "self::*[contains(concat(' ', @class, ' '), ' roadmap-guidance ')]",
)
NUMBER = re.compile(r"\d+(?:\.\d+)?")
SHOWN = re.compile(r"[+±−-]?\d+(?:\.\d+)?")
SCALE_TOP = "100"


# --- a rich assessment ------------------------------------------------------------------------


def _shape(framework) -> None:
    """Weights that do not divide evenly, and D3 nested under D2, before publishing."""
    domains = {d.ref: d for d in Domain.objects.filter(framework=framework)}
    Domain.objects.filter(pk=domains["D1"].pk).update(weight=2)
    Domain.objects.filter(pk=domains["D3"].pk).update(parent=domains["D2"], weight=3)
    Domain.objects.filter(pk=domains["D4"].pk).update(weight=1.5)
    for i, control in enumerate(Control.objects.filter(framework=framework).order_by("pk")):
        Control.objects.filter(pk=control.pk).update(weight=(1, 1.5, 2.5, 0.5)[i % 4])
    Question.objects.filter(framework=framework, ref__endswith=".q3").update(weight=2)
    # D4-C1 (critical, builder-only like every odd control) applies to everyone.
    ControlPersona.objects.filter(framework=framework, control__ref="D4-C1").delete()


@pytest.fixture
def rich(organisation, owner):
    """Four domains (one nested), shared risks, NIST and ATLAS mappings, uneven weights, the
    persona "user" (so the builder-only controls are out of scope), N/A and unanswered
    questions, three critical controls below 50 that cap the tier, and an earlier, finalised
    revision to compare with."""
    framework = make_report_framework(
        slug="rich-fw", domains=4, controls_per_domain=3, risks=4, before_publish=_shape
    )
    before = make_assessment(
        organisation, framework, title="Claims triage", personas=["personaUser"]
    )
    answer_everything(before, seed=3)
    finalise(before, owner)
    after = make_assessment(
        organisation,
        framework,
        title="Claims triage",
        revision=2,
        previous=before,
        personas=["personaUser"],
    )
    answer_everything(after, seed=11)
    answers = Answer.objects.filter(assessment=after)
    # Mostly in place, so the overall score clears Defined, but three critical controls are
    # below 50 (D1-C1 at 0, D3-C1 at 12.5, D4-C1 at 25): the gate caps the tier at Developing.
    answers.filter(na=False).exclude(question__type__in=("text", "number")).update(value=1.0)
    answers.filter(question__ref__startswith="D1-C1.").update(na=False, value=0.0)
    answers.filter(question__ref__in=("D3-C1.q1", "D3-C1.q3")).update(na=False, value=0.0)
    answers.filter(question__ref__startswith="D4-C1.").update(na=False, value=0.25)
    # In scope for "user": D1-C1, D1-C3, D2-C2, D3-C1, D3-C3, D4-C1, D4-C2.
    answers.filter(question__ref="D1-C3.q1").update(value=0.25)
    answers.filter(question__ref="D3-C1.q2").update(na=False, value=0.5)
    answers.filter(question__ref="D4-C2.q1").update(value=0.75)
    answers.filter(question__ref="D3-C3.q1").update(value=0.5)
    answers.filter(question__ref="D2-C2.q2").update(na=True, value=None, option_label="")
    answers.filter(question__ref="D3-C3.q3").delete()  # unanswered: counts as 0
    return after


# --- reading pages --------------------------------------------------------------------------


def _excluded(el) -> bool:
    return isinstance(el.tag, str) and any(el.xpath(test) for test in EXCLUDED)


def _why_link(el) -> lxml.html.HtmlElement | None:
    for node in [el, *el.iterancestors()]:
        if node.tag == "a" and "/why/" in node.get("href", ""):
            return node
    return None


def _link_text(a) -> str:
    """The visible text of a link: without its screen-reader description."""
    parts = [a.text or ""]
    for child in a:
        if "visually-hidden" not in (child.get("class") or ""):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _texts(el):
    """(text, element it belongs to) for every text node outside the excluded parts."""
    if _excluded(el):
        return
    if el.text:
        yield el.text, el
    for child in el:
        if isinstance(child.tag, str):
            yield from _texts(child)
        if child.tail:
            yield child.tail, el


def _names(assessment) -> list[str]:
    fw = assessment.framework
    names = [
        *Domain.objects.filter(framework=fw).values_list("name", flat=True),
        *Control.objects.filter(framework=fw).values_list("name", flat=True),
        *Risk.objects.filter(framework=fw).values_list("name", flat=True),
        *Tier.objects.filter(framework=fw).values_list("name", flat=True),
        assessment.organisation.name,
        assessment.title,
        fw.name,
        fw.version,
    ]
    return sorted({n for n in names if n}, key=len, reverse=True)


def unlinked_numbers(article, names: list[str]) -> list[str]:
    missing = []
    for text, owner in _texts(article):
        for name in names:
            text = text.replace(name, " ")
        for number in NUMBER.findall(text):
            if _why_link(owner) is None and number != SCALE_TOP:
                missing.append(f"{number!r} in {' '.join(text.split())!r}")
    return missing


def _fetch(client, cache: dict, path: str):
    if path not in cache:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        cache[path] = lxml.html.fromstring(response.content.decode())
    return cache[path]


def _figure(page, fragment: str):
    if fragment:
        found = page.xpath(f"//section[@id='{fragment}']")
        assert found, f"no figure #{fragment}"
        assert "derivation" in found[0].get("class", "")
        return found[0]
    return page.xpath("//section[contains(@class, 'derivation')]")[0]


def _only(figure, xpath: str) -> str:
    found = figure.xpath(xpath)
    return " ".join(found[0].text_content().split()) if found else ""


# --- the tests ----------------------------------------------------------------------------------


def _scorecard(client, owner, assessment):
    client.force_login(owner)
    url = reverse("scorecard", kwargs={"assessment_id": assessment.pk})
    html = client.get(url).content.decode()
    return lxml.html.fromstring(html).xpath("//article[contains(@class, 'scorecard')]")[0]


def test_the_rich_assessment_has_every_kind_of_figure(rich):
    result = current_result(rich)
    assert result.gated and result.gated_by == ("D1-C1", "D3-C1", "D4-C1")
    assert any(d.parent for d in result.domains.values())
    assert len(result.gaps) > 3 and result.risks and result.crosswalk
    assert any(t.reason == "N/A" for c in result.controls.values() for t in c.explanation)
    assert any(t.reason.startswith("unanswered") for c in result.controls.values()
               for t in c.explanation)  # fmt: skip
    assert Control.objects.filter(framework=rich.framework).count() > len(result.controls)


def test_every_number_on_the_scorecard_is_a_link_to_its_derivation(client, owner, rich):
    article = _scorecard(client, owner, rich)
    assert unlinked_numbers(article, _names(rich)) == []
    # Numbers were found at all: the check is not vacuous.
    links = [a for a in article.iter("a") if "/why/" in a.get("href", "")]
    assert sum(1 for a in links if SHOWN.fullmatch(_link_text(a))) > 100


def test_every_derivation_recomputes_the_number_it_explains(client, owner, rich):
    article = _scorecard(client, owner, rich)
    cache: dict = {}
    checked: set[tuple[str, str]] = set()
    for a in article.iter("a"):
        href = a.get("href", "")
        if "/why/" not in href:
            continue
        text = _link_text(a)
        url = urlsplit(href)
        figure = _figure(_fetch(client, cache, url.path), url.fragment)
        shown = _only(figure, ".//strong[contains(@class, 'figure-value')]")
        if text == "N/A":
            assert shown == "N/A", href
            continue
        if not SHOWN.fullmatch(text):
            continue  # a name or a sentence linking to its page
        arithmetic = _only(figure, ".//span[contains(concat(' ', @class, ' '), ' arithmetic ')]")
        rounding = _only(figure, ".//p[contains(@class, 'rounding')]")
        assert arithmetic, f"{href}: no arithmetic for {text}"
        assert matches(arithmetic, rounding, shown), (href, arithmetic, rounding, shown)
        assert shown_value(text) == shown_value(shown), (href, text, shown)
        assert places(text) == places(shown), (href, text, shown)
        checked.add((_kind(url.path), _figure_family(url.fragment)))
    # Every family of figure the page shows was followed and recomputed at least once.
    assert checked == FAMILIES


def _kind(path: str) -> str:
    return path.split("/why/")[1].split("/")[0] if "/scorecard/why/" in path else "delta"


def _figure_family(fragment: str) -> str:
    """ "fig-after-3" -> "after", "fig-ref.nist-ai-rmf.GOVERN-1_2e_1" -> "ref", "" -> ""."""
    return re.sub(r"^fig-|\..*$|-\d+$", "", fragment)


# (kind of "why" page, figure) for every number the rich scorecard shows; "" is the page's
# first figure (a link without a fragment).
FAMILIES = {
    ("overall", ""),
    ("domain", ""),
    ("domain", "weight"),
    ("domain", "share"),
    ("domain", "in_scope"),
    ("control", ""),
    ("control", "answered"),
    ("control", "questions"),
    ("control", "share"),
    ("control", "points"),
    ("control", "after"),
    ("risk", ""),
    ("risk", "exposure"),
    ("risks", "exposed"),
    ("risks", "total"),
    ("risks", "threshold"),
    ("completeness", "completeness"),
    ("completeness", "answered"),
    ("completeness", "questions"),
    ("gaps", "count"),
    ("tier", "min"),
    ("tier", "threshold"),
    ("path", "steps"),
    ("path", "gate_steps"),
    ("path", "after"),
    ("crosswalk", "ref"),
    ("crosswalk", "group"),
    ("delta", "overall"),
    ("delta", "domain"),
}


# --- query budgets of the new "why" pages -------------------------------------------------------

# The session, the user, the assessment and the membership, the answers; a control adds its
# questions' wording and answers. The catalog is cached once published.
WHOLE_KINDS = ("completeness", "risks", "gaps", "tier", "path", "crosswalk")
WHY_QUERIES = {"domain": 9, "control": 11, **{kind: 9 for kind in WHOLE_KINDS}}


@pytest.mark.parametrize("size", [(2, 2), (5, 6)])
@pytest.mark.parametrize(
    ("kind", "ref"),
    [("domain", "D1"), ("control", "D1-C1")] + [(k, "overall") for k in WHOLE_KINDS],  # fmt: skip
)
def test_why_pages_read_the_same_number_of_rows_whatever_the_size(
    client, owner, organisation, django_assert_num_queries, size, kind, ref
):
    framework = make_report_framework(
        slug=f"why{size[0]}", domains=size[0], controls_per_domain=size[1], risks=4
    )
    assessment = make_assessment(organisation, framework, title="Sized")
    answer_everything(assessment)
    client.force_login(owner)
    url = reverse(
        "score_explain", kwargs={"assessment_id": assessment.pk, "kind": kind, "ref": ref}
    )
    client.get(url)  # warm the published catalog's cache
    with django_assert_num_queries(WHY_QUERIES[kind]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [(2, 2), (5, 6)])
def test_the_comparison_why_page_reads_the_same_number_of_rows_whatever_the_size(
    client, owner, organisation, django_assert_num_queries, size
):
    framework = make_report_framework(
        slug=f"cmp{size[0]}", domains=size[0], controls_per_domain=size[1], risks=4
    )
    before = make_assessment(organisation, framework, title="Sized")
    answer_everything(before, seed=1)
    after = make_assessment(organisation, framework, title="Sized", previous=before, revision=2)
    answer_everything(after, seed=2)
    client.force_login(owner)
    url = reverse("compare_explain", kwargs={"assessment_id": after.pk, "other_id": before.pk})
    client.get(url)
    # Both assessments with their access checks and answers, and the session saved.
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_comparison_why_page_of_another_organisation_is_404(
    client, owner, rich, other_organisation
):
    theirs = make_assessment(other_organisation, rich.framework, title="Theirs")
    client.force_login(owner)
    for mine, other in ((rich, theirs), (theirs, rich)):
        url = reverse("compare_explain", kwargs={"assessment_id": mine.pk, "other_id": other.pk})
        assert client.get(url).status_code == 404
