"""The numbers and ids a catalog may hold, in one place for imports, publishing and the admin.

Every page of an assessment divides by sums of weights, formats scores and puts ids in
URLs, so a value outside these limits breaks pages long after it was stored, when nobody
can change a published version any more. The limits are checked where a value comes in
(an import, an admin form) and again when a draft is published. The database constraints
on the catalog tables use the same bounds: weights in (0, 1e6], option values in [0, 1].

Each check returns a message, or None when the value is fine, so callers can collect all
problems of a catalog before reporting them.
"""

from __future__ import annotations

import math
import re
from typing import Any

WEIGHT_MAX = 1e6
OPTION_VALUE_MIN, OPTION_VALUE_MAX = 0.0, 1.0
SCORE_MIN, SCORE_MAX = 0.0, 100.0
ID_MAX_LENGTH = 120
# Ids end up in URLs (a question's history page) and in file names: a slash or a space
# there would make the page unreachable, so only this portable set is accepted.
ID_PATTERN = r"^[A-Za-z0-9._-]+$"
ID_RULE = "may contain only ASCII letters, digits, dots, hyphens and underscores"
_ID = re.compile(ID_PATTERN)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer too large for a float
        return math.inf if value > 0 else -math.inf


def _shown(value: Any) -> str:
    shown = repr(value) if isinstance(value, float | str) else str(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _plain(bound: float) -> str:
    # 1000000 rather than Python's 1e+06, since catalog authors read these messages.
    return f"{bound:f}".rstrip("0").rstrip(".")


def _range_problem(value: Any, low: float, high: float, *, low_open: bool = False) -> str | None:
    number = _number(value)
    if number is None:
        return f"expected a number, got {_shown(value)}"
    if not math.isfinite(number):
        return f"must be a finite number, not {_shown(value)}"
    if low_open:
        if not low < number <= high:
            return f"must be greater than {_plain(low)} and at most {_plain(high)}"
        return None
    if not low <= number <= high:
        return f"must be between {_plain(low)} and {_plain(high)}"
    if number == 0 and math.copysign(1.0, number) < 0:
        # -0 equals 0 but prints as "-0" in scores and exports; asking for 0 costs nothing.
        return "must not be negative zero (write 0)"
    return None


def weight_problem(value: Any) -> str | None:
    """A weight is a finite number in (0, 1e6]."""
    return _range_problem(value, 0.0, WEIGHT_MAX, low_open=True)


def option_value_problem(value: Any) -> str | None:
    """An answer option's value (scale or choice) is a finite number in [0, 1]."""
    return _range_problem(value, OPTION_VALUE_MIN, OPTION_VALUE_MAX)


def score_problem(value: Any) -> str | None:
    """A tier's minimum score or the critical threshold is a finite number in [0, 100]."""
    return _range_problem(value, SCORE_MIN, SCORE_MAX)


def id_problem(value: Any) -> str | None:
    """Ids of domains, controls, questions, personas and risks, and references to them."""
    if not isinstance(value, str):
        return f"expected an id, got {_shown(value)}"
    if not value:
        return "must not be empty"
    if len(value) > ID_MAX_LENGTH:
        return f"is longer than {ID_MAX_LENGTH} characters"
    if not _ID.fullmatch(value):
        return ID_RULE
    return None


# Display codes (`DAT-3.1`) head every question and control on the pages people read, so they
# stay short; unlike ids they never reach a URL, and brackets are allowed for labels such as
# OSCAL's `AC-2(1)`.
CODE_MAX_LENGTH = 24
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._()-]*$"
CODE_RULE = (
    "must start with an ASCII letter or digit and contain only letters, digits, "
    "dots, hyphens, underscores and brackets"
)
_CODE = re.compile(CODE_PATTERN)


def code_problem(value: Any) -> str | None:
    """Display codes of domains, controls and questions."""
    if not isinstance(value, str):
        return f"expected a code, got {_shown(value)}"
    if not value:
        return "must not be empty"
    if len(value) > CODE_MAX_LENGTH:
        return f"is longer than {CODE_MAX_LENGTH} characters"
    if not _CODE.fullmatch(value):
        return CODE_RULE
    return None
