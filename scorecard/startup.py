"""Turn configuration errors into one line on stderr instead of a traceback."""

import sys
from collections.abc import Callable
from typing import TypeVar

from scorecard.env import ConfigError

T = TypeVar("T")


def run_or_exit(func: Callable[[], T]) -> T:
    try:
        return func()
    except ConfigError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        raise SystemExit(2) from None
