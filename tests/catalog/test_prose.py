"""Catalog prose (the Risk Map's small markup) rendered as HTML: the subset becomes markup,
everything else is escaped, and links come only from https or http references."""

import re

import pytest
from django.template import Context, Template

from scorecard.catalog.prose import plain_text, render_html

REFS = [
    {"id": "paper", "title": "A paper", "url": "https://example.org/p?a=1&b=2"},
    {"id": "evil", "title": "Click", "url": "javascript:alert(1)"},
    {"id": "data", "title": "Data", "url": "data:text/html,<script>alert(1)</script>"},
    {"id": "quoted", "title": "Q", "url": 'https://example.org/"onmouseover="x'},
]


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("One.\n\nTwo.", "<p>One.</p><p>Two.</p>"),
        ("A line\nwrapped.", "<p>A line wrapped.</p>"),
        ("- a\n- b", "<ul><li>a</li><li>b</li></ul>"),
        ("Intro:\n- a\n- b\nAfter.", "<p>Intro:</p><ul><li>a</li><li>b</li></ul><p>After.</p>"),
        (
            "**bold** and *it* and _it_",
            "<p><strong>bold</strong> and <em>it</em> and <em>it</em></p>",
        ),
        ("**bold _both_**", "<p><strong>bold <em>both</em></strong></p>"),
        ("snake_case_name and 2*3*4", "<p>snake_case_name and 2*3*4</p>"),
        ("&amp; &mdash; &#8212; &#x2014;", "<p>&amp; — — —</p>"),
        ("&lt;b&gt;", "<p>&lt;b&gt;</p>"),
        ("&bogus; stays", "<p>&amp;bogus; stays</p>"),
        ("See {{riskOther}}.", "<p>See riskOther.</p>"),
        (
            "Shown ({{ref:paper}}).",
            '<p>Shown (<a href="https://example.org/p?a=1&amp;b=2" '
            'rel="noopener noreferrer external">A paper</a>).</p>',
        ),
        ("Unknown {{ref:nothing}}.", "<p>Unknown [nothing].</p>"),
        ("", ""),
    ],
)
def test_the_subset_becomes_html(text, html):
    assert render_html(text, REFS) == html


def test_entity_references_to_catalog_entries_take_the_names_given():
    assert render_html("See {{riskOther}}.", names={"riskOther": "Other <risk>"}) == (
        "<p>See Other &lt;risk&gt;.</p>"
    )


@pytest.mark.parametrize(
    ("hostile", "html"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        (
            '<a href="javascript:alert(1)">x</a>',
            "<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;</p>",
        ),
        ('<img src=x onerror="alert(1)">', "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>"),
        ("**<b onclick=x>**", "<p><strong>&lt;b onclick=x&gt;</strong></p>"),
        ("&lt;script&gt;", "<p>&lt;script&gt;</p>"),
        ("&#60;script&#62;", "<p>&lt;script&gt;</p>"),
        ("{{ref:evil}}", "<p>Click</p>"),
        ("{{ref:data}}", "<p>Data</p>"),
        ("{{ref:quoted}}", "<p>Q</p>"),
        ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ],
)
def test_hostile_input_is_shown_as_text_and_never_linked(hostile, html):
    rendered = render_html(hostile, REFS)
    assert rendered == html
    # Whatever came in, only the subset's own tags come out, and no link at all here.
    assert set(re.findall(r"</?([a-z]+)", rendered)) <= {"p", "strong", "em"}


def test_no_link_has_an_unsafe_address_whatever_the_references_hold():
    rendered = render_html(" ".join(f"{{{{ref:{r['id']}}}}}" for r in REFS), REFS)
    assert rendered.count("<a ") == 1 and 'href="https://example.org/p?a=1&amp;b=2"' in rendered


def test_deep_or_unclosed_emphasis_stays_fast_and_escaped():
    text = "**a " * 5000 + "<x>"
    rendered = render_html(text)
    assert rendered.endswith("&lt;x&gt;</p>") and "<x>" not in rendered


def test_non_text_renders_as_nothing():
    assert render_html(None) == "" and render_html(["**x**"]) == ""


def test_plain_text_drops_markup_and_citations():
    assert plain_text("**Bold** and _it_ ({{ref:paper}}) see {{riskA}} &amp; more") == (
        "Bold and it () see riskA & more"
    )
    assert plain_text("{{riskA}}", names={"riskA": "Risk A"}) == "Risk A"


def test_the_template_filter_renders_and_marks_the_result_safe():
    template = Template("{% load catalog_prose %}{{ text|catalog_prose:refs }}")
    html = template.render(Context({"text": "**B** <i> {{ref:paper}}", "refs": REFS}))
    assert html == (
        '<p><strong>B</strong> &lt;i&gt; <a href="https://example.org/p?a=1&amp;b=2" '
        'rel="noopener noreferrer external">A paper</a></p>'
    )
