"""Markdown turned into catalog prose (scorecard.catalog.markdown_prose), case by case."""

import pytest

from scorecard.catalog.markdown_prose import markdown_to_prose
from scorecard.catalog.prose import render_html


@pytest.mark.parametrize(
    ("markdown", "prose"),
    [
        ("# Title\nText\non two lines.", "**Title**\n\nText on two lines."),
        ("##\u00a0Links", "**Links**"),
        ("### **Bold** heading ###", "**Bold heading**"),
        ("---\n***\n___", ""),
        ("* a\n+ b\n- c", "- a\n- b\n- c"),
        ("* a\n\n* b", "- a\n- b"),
        ("* a\n    * b\n\t* c", "- a\n- \N{EN DASH} b\n- \N{EN DASH} c"),
        ("* a\nlazy line\n\n  indented after a blank", "- a lazy line indented after a blank"),
        ("* a\n\nA paragraph.", "- a\n\nA paragraph."),
        ("Intro:\n* a", "Intro:\n\n- a"),
        ("1. one\n2) two", "- 1. one\n- 2. two"),
        ("| a | b |\n|:---|---:|\n| 1 | |", "- a; b\n- 1"),
        ("> quoted\n> text", "quoted text"),
        ("[text](https://x.example/a)", "text (https://x.example/a)"),
        ("[https://x.example](https://x.example)", "https://x.example"),
        ("[bad](javascript:alert(1))", "bad)"),
        ('[t](https://x.example "a title")', "t (https://x.example)"),
        ("![a chart](https://x.example/c.png) shown", "a chart shown"),
        ("see <https://x.example/>", "see https://x.example/"),
        ("run `rm -rf` now", "run rm -rf now"),
        ("```\ncode  line\nsecond\n```\nafter", "code line\n\nsecond\n\nafter"),
        ("a\r\nb\rc", "a b c"),
        ("", ""),
    ],
)
def test_markdown_becomes_prose(markdown, prose):
    assert markdown_to_prose(markdown) == prose


def test_a_caller_decides_what_a_link_becomes():
    cited = markdown_to_prose(
        "[a](https://x.example) and [b](https://y.example)", link=lambda t, u: f"<{t}>"
    )
    assert cited == "<a> and <b>"


def test_html_stays_text_and_the_renderer_escapes_it():
    prose = markdown_to_prose('<img src=x onerror="alert(1)">\n\n* <b>item</b>')
    assert prose == '<img src=x onerror="alert(1)">\n\n- <b>item</b>'
    html = render_html(prose)
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_a_long_hostile_line_is_converted_in_linear_time():
    # Unclosed brackets, backticks and emphasis at scale: bounded patterns keep this quick.
    text = "[" * 20000 + "`" * 20000 + "](" * 20000
    assert len(markdown_to_prose(text)) == len(text)
