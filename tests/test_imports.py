"""The import rules of docs/architecture.md, read from the source (every import, those inside
functions included): layers only look down, and no two areas lean on each other."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "coordination"

# Modules the command line and the services are, that must never load a page's code.
NO_VIEWS_BELOW = [
    "coordination.models",
    "coordination.access",
    "coordination.grants",
    "coordination.audit",
    "coordination.cli",
    "coordination.demo",
    "coordination.retention",
    "coordination.reminders",
    "coordination.notify",
    "coordination.mail",
    "coordination.people.changes",
    "coordination.auth.accounts",
    "coordination.auth.passwords",
]


def module_name(path):
    """coordination/people/record.py → coordination.people.record (packages without __init__)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name):
    """Tell whether a dotted name is a module or package of coordination."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imported_modules(path):
    """The coordination modules a file imports, anywhere in it."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            names = {f"{base}.{alias.name}" for alias in node.names}
            found.update({name for name in names if is_module(name)} or {base})
    return {module for module in found if module.startswith("coordination") and is_module(module)}


SOURCES = {module_name(path): path for path in PACKAGE.rglob("*.py")}
GRAPH = {module: imported_modules(path) for module, path in SOURCES.items()}


def declares_routes(path):
    """Tell whether a module marks a function with `@route(...)`: it is a view module."""
    return any(
        isinstance(decorator, ast.Call) and getattr(decorator.func, "id", None) == "route"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef)
        for decorator in node.decorator_list
    )


VIEWS = {module for module, path in SOURCES.items() if declares_routes(path)}


def area(module):
    """The area a module belongs to: its folder under coordination/, or itself at the top."""
    return module.split(".")[1] if module.count(".") else module


def reachable(start):
    """Every module start imports, directly or through others."""
    seen, todo = set(), [start]
    while todo:
        for imported in GRAPH.get(todo.pop(), ()):
            if imported not in seen:
                seen.add(imported)
                todo.append(imported)
    return seen


def test_the_rules_see_the_views():
    """The test itself: it finds the view modules and their imports (or it would prove nothing)."""
    assert "coordination.people.record" in VIEWS and "coordination.people.queries" not in VIEWS
    assert "coordination.people.queries" in GRAPH["coordination.people.record"]


@pytest.mark.parametrize("start", NO_VIEWS_BELOW)
def test_models_policy_services_and_commands_never_reach_a_view(start):
    """Models, the policy, the services and the command line never load a page's code."""
    assert not sorted(reachable(start) & VIEWS)


def test_models_import_nothing_above_them():
    """Models only lean on the database layer, the clock, text folding and each other."""
    allowed = {"coordination", "coordination.db", "coordination.clock", "coordination.text"}
    for module in SOURCES:
        if module.startswith("coordination.models"):
            above = {m for m in GRAPH[module] if not m.startswith("coordination.models")}
            assert above <= allowed, module


def test_no_two_areas_import_each_other():
    """The areas' imports form no cycle: A → B → … → A would make each need the other."""
    edges = {}
    for module, imported in GRAPH.items():
        for other in imported:
            if other != "coordination" and area(other) != area(module):
                edges.setdefault(area(module), set()).add(area(other))
    path = []

    def visit(node, done):
        """Depth first; fail with the cycle when a node comes back on the current path."""
        assert node not in path, " → ".join([*path[path.index(node) :], node])
        if node in done:
            return
        path.append(node)
        for following in sorted(edges.get(node, ())):
            visit(following, done)
        path.pop()
        done.add(node)

    done = set()
    for node in sorted(edges):
        visit(node, done)


def test_views_never_import_their_package():
    """A view module marks its routes and leaves the blueprint to its package's init_app."""
    for module in VIEWS:
        package = module.rpartition(".")[0]
        assert package not in GRAPH[module] or package == "coordination", module


def test_no_import_waits_at_the_bottom_of_a_module():
    """No `# noqa: E402`: every module's imports are at its top (or inside init_app)."""
    assert not [path.name for path in SOURCES.values() if "E402" in path.read_text()]
