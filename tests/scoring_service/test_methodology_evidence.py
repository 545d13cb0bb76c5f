"""The methodology page documents the autonomy evidence rule: it flags claims, and its
example table is the engine's own answer for a control with the rule L3+."""

import re

from django.template.loader import render_to_string
from django.urls import reverse

from assessments.methodology import methodology_context

# By hand: L3+ expects evidence at L3, L4 and L5 only.
EXPECTED = {"L0": "no", "L1": "no", "L2": "no", "L3": "yes", "L4": "yes", "L5": "yes"}


def cells(html):
    return dict(re.findall(r'data-example="evidence-(L\d)">([^<]*)<', html))


def test_the_page_states_the_rule_and_that_it_changes_no_score(client):
    html = client.get(reverse("methodology")).content.decode()
    assert '<h3 class="h5 mt-3" id="m-evidence">Evidence that rises with autonomy</h3>' in html
    assert "It does not change any score" in html
    assert "With the level not stated, nothing is expected." in html
    assert "a control with the rule L3+, at each autonomy level" in html
    assert cells(html) == EXPECTED


def test_the_pdf_appendix_partial_shows_the_same_example():
    html = render_to_string("assessments/_methodology_body.html", methodology_context())
    assert cells(html) == EXPECTED
