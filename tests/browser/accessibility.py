"""axe-core (shipped inside axe-playwright-python) run on a live page."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


def blocking_violations(page, exclude: list[list[str]] | None = None) -> list[dict]:
    """Serious and critical WCAG 2.x A/AA violations; `exclude` lists CSS selectors (each a
    one-item list, as axe's context wants) of nodes left out; every caller says why."""
    options = {
        "resultTypes": ["violations"],
        "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
    }
    context = {"exclude": exclude} if exclude else None
    violations = _axe.run(page, context=context, options=options).response["violations"]
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']} @ {targets}")
    return "\n".join(lines)


def assert_accessible(page, exclude: list[list[str]] | None = None) -> None:
    violations = blocking_violations(page, exclude)
    assert not violations, f"axe found on {page.url}:\n{describe(violations)}"
