"""The catalog admin and formats import each other in one direction only, with no hidden loop."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("scorecard/admin", "scorecard/catalog")


def _modules() -> dict[str, Path]:
    """Every module of the packages by dotted name, packages under their own name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).glob("*.py")):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()
MODULE_NAMES = set(MODULES)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, whether the import sits below the top level) for each import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            # `from package import module` imports the module, not the package's __init__.
            submodules = [f"{node.module}.{alias.name}" for alias in node.names]
            names = [name for name in submodules if name in MODULE_NAMES] or [node.module]
            found += [(name, id(node) not in top) for name in names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, id(node) not in top) for alias in node.names]
    return found


def _graph() -> dict[str, set[str]]:
    return {
        name: {imported for imported, _ in _imports(path) if imported in MODULES} - {name}
        for name, path in MODULES.items()
    }


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_module_imports_the_project_at_its_top_level_only(name):
    hidden = [
        imported
        for imported, nested in _imports(MODULES[name])
        if nested and imported.startswith("scorecard")
    ]
    assert hidden == [], f"{name} imports {hidden} inside a function or a condition"


def test_there_is_no_import_cycle_between_these_modules():
    graph = _graph()
    assert graph["scorecard.admin.framework"] >= {"scorecard.admin.framework_views"}
    state: dict[str, str] = {}
    cycles = []

    def visit(name, trail):
        state[name] = "open"
        for child in sorted(graph[name]):
            if state.get(child) == "open":
                cycles.append([*trail, name, child])
            elif child not in state:
                visit(child, [*trail, name])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert cycles == []
