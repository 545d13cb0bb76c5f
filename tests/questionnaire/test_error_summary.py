"""Errors a person can act on: a refused save shows "There is a problem" at the top, listing
each question with an error as a link to its field, the error beside the field (tied to it by
aria-describedby), and every other answer typed on the page still filled in."""

from __future__ import annotations

import re

import pytest

from tests.questionnaire.helpers import (
    answers_snapshot,
    form_data,
    load_form,
    name,
    option_key,
    page_url,
    question,
)

pytestmark = pytest.mark.django_db


def summary_of(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_refused_save_lists_each_question_with_a_link_to_its_field(editor, rich):
    framework = rich.framework
    choice, text = question(framework, "D1-C1.q2"), question(framework, "D1.1-C1.text")
    kept = question(framework, "D1-C2.q1")
    data = load_form(editor, rich)
    data[name(kept, "choice")] = option_key(kept, "Optimised")
    data[name(kept, "comment")] = "Typed before the error."
    data[name(choice, "choice")] = "na"  # N/A without its justification
    data[name(text, "text")] = "Inventory."
    data[name(text, "na")] = "on"
    data[name(text, "justification")] = "None."
    before = answers_snapshot(rich)
    response = editor.post(page_url(rich), data)
    assert response.status_code == 200
    assert answers_snapshot(rich) == before
    html = response.content.decode()
    summary = summary_of(html)
    assert 'role="alert" id="error-summary" tabindex="-1"' in summary
    assert 'aria-labelledby="error-summary-title"' in summary
    assert '<h2 class="h5" id="error-summary-title">There is a problem</h2>' in summary
    links = re.findall(r'<a href="#([^"]+)" data-error-target="\1">(.*?)</a>', summary, re.S)
    assert [target for target, _ in links] == [f"q{choice.pk}-justification", f"q{text.pk}-text"]
    first = re.sub(r"<[^>]+>", "", links[0][1])
    assert first == (
        "DM1-1.2 (D1-C1.q2) Question 2 about Control D1-1? — "
        "Explain why this question does not apply (required with N/A)."
    )
    assert "Please correct the marked answers" not in html
    # Beside the field, tied to it.
    assert re.search(
        rf'id="q{choice.pk}-justification" [^>]*aria-describedby="q{choice.pk}-justification-error',
        html,
    )
    # The page's other answers are kept in the form, unsaved.
    again = form_data(html)
    assert again[name(kept, "choice")] == option_key(kept, "Optimised")
    assert again[name(kept, "comment")] == "Typed before the error."


def test_a_radio_group_error_links_to_its_first_option(editor, rich):
    q = question(rich.framework, "D1-C1.q1")
    data = load_form(editor, rich)
    data[name(q, "choice")] = "999999"
    html = editor.post(page_url(rich), data).content.decode()
    assert f'<a href="#q{q.pk}-choice-0" data-error-target="q{q.pk}-choice-0">' in summary_of(html)
    radio = re.search(rf'<input [^>]*id="q{q.pk}-choice-0"[^>]*>', html).group(0)
    assert f'aria-describedby="q{q.pk}-choice-error' in radio


def test_a_clean_page_has_no_error_summary(editor, rich):
    assert 'id="error-summary"' not in editor.get(page_url(rich)).content.decode()
