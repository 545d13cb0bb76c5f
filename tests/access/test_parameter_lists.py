"""The URL parameter values the access matrix requests are the ones the code offers.

The matrix lists export formats, "why" kinds and domains by hand (tests/access/expect_*.py);
if the code gains or loses one, these tests fail until the list is brought up to date.
"""

from assessments.reports import explain, exports
from scorecard import scoring
from tests.access.expect_reports import EXPLAIN_REFS, EXPORT_FORMATS


def test_the_matrix_requests_every_export_format_with_its_content_type():
    assert exports.FORMATS == EXPORT_FORMATS


def test_the_matrix_requests_every_kind_of_why_page_the_engine_explains():
    assert tuple(EXPLAIN_REFS) == (
        "overall",
        "contributions",
        "domain",
        "control",
        "risk",
        "completeness",
        "risks",
        "gaps",
        "tier",
        "path",
        "crosswalk",
    )
    assert tuple(scoring.EXPLAIN_KINDS) == tuple(EXPLAIN_REFS)
    assert tuple(explain.KINDS) == tuple(EXPLAIN_REFS)
