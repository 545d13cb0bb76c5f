"""Problems found in a catalog, and the error that carries all of them at once.

Authors fix a catalog in one pass only if they see every problem together, so checks
collect `Problem`s instead of stopping at the first one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalog: where it is (`domains[0].controls[2].weight`) and why."""

    path: str
    message: str
    # The file the path points into, when it is not the one the whole error is about
    # (a CoSAI Risk Map import reads several files).
    source: str = ""

    def __str__(self) -> str:
        return ": ".join(part for part in (self.source, self.path, self.message) if part)


class CatalogInvalid(ValidationError):
    """A catalog that cannot be imported or published, with every problem found."""

    def __init__(self, problems: Iterable[Problem], *, source: str = ""):
        self.problems: list[Problem] = list(problems)
        self.source = source
        super().__init__([str(problem) for problem in self.problems], code="catalog_invalid")

    def lines(self) -> list[str]:
        """Every problem as `SOURCE: path.inside: message`."""
        return [
            str(problem) if problem.source or not self.source else f"{self.source}: {problem}"
            for problem in self.problems
        ]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def render_path(parts: Sequence[str | int]) -> str:
    """`["domains", 2, "controls", 0]` -> `domains[2].controls[0]`."""
    rendered = ""
    for part in parts:
        if isinstance(part, int):
            rendered += f"[{part}]"
        else:
            rendered += f".{part}" if rendered else str(part)
    return rendered or "(root)"
