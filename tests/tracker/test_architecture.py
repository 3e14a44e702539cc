"""How the tracker's modules join: no import cycles (a cycle hidden by an import inside a function is
still a cycle), one registry each for audit actions and notification kinds, used by name."""
from __future__ import annotations

import ast
from pathlib import Path

from tracker import notifications
from tracker.audit_actions import Action

TRACKER = Path(__file__).resolve().parents[2] / "tracker"


def module_name(path: Path) -> str:
    parts = path.relative_to(TRACKER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in TRACKER.rglob("*.py")}


def imported(name: str, node: ast.ImportFrom | ast.Import) -> set[str]:
    """The tracker modules an import statement in module `name` loads."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in MODULES}
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    base = (f"{package}.{node.module}" if node.module else package) if node.level else node.module
    found = set()
    for alias in node.names:
        whole = f"{base}.{alias.name}"
        found.add(whole if whole in MODULES else base)
    return {module for module in found if module in MODULES and module != "tracker"}


def imports() -> dict[str, dict[str, list[int]]]:
    """module -> {imported module: [lines]}, counting imports at any depth (inside functions too)."""
    graph = {}
    for name, path in MODULES.items():
        edges: dict[str, list[int]] = {}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in imported(name, node) - {name}:
                    edges.setdefault(target, []).append(node.lineno)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, dict]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_the_tracker_has_no_import_cycles():
    graph = imports()
    described = [" <-> ".join(group) + ": " + "; ".join(
        f"{a} -> {b} (line {graph[a][b][0]})" for a in group for b in group if b in graph[a])
        for group in cycles(graph)]
    assert described == []


def test_tracker_modules_are_imported_at_the_top_not_inside_functions():
    """An import inside a function hides a dependency (and so a cycle) from a reader and from tools."""
    hidden = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and imported(name, node):
                    hidden.append(f"{path.relative_to(TRACKER.parent)}:{node.lineno}")
    assert hidden == []


def calls_to(attribute: str):
    """Every call of something named `attribute` (audit.log, notifications.notify ...) in the tracker."""
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if name == attribute:
                    yield path, node


def names_a_member(node: ast.expr, registry: str) -> bool:
    """registry.MEMBER, registry.for_record(...), or a choice between such (x if c else y)."""
    if isinstance(node, ast.IfExp):
        return names_a_member(node.body, registry) and names_a_member(node.orelse, registry)
    if isinstance(node, ast.Call):
        return names_a_member(node.func, registry)
    return isinstance(node, ast.Attribute) and registry in ast.unparse(node.value).split(".")[-1:]


def test_every_audited_action_is_named_from_the_registry():
    loose = [f"{path.relative_to(TRACKER.parent)}:{node.lineno}" for path, node in calls_to("log")
             if path.name != "audit.py" and len(node.args) >= 3 and not names_a_member(node.args[2], "Action")]
    assert loose == []
    assert len({action.value for action in Action}) == len(Action)


def test_every_notification_is_sent_by_a_registered_kind():
    loose = [f"{path.relative_to(TRACKER.parent)}:{node.lineno}" for path, node in calls_to("notify")
             if "notifications" not in path.parts  # the package's own plumbing passes a kind along
             and len(node.args) >= 2 and not names_a_member(node.args[1], "kinds")]
    assert loose == []
    assert set(notifications.kinds.KINDS) >= {"record_submitted", "session_to_arrange"}


def test_every_feature_attaches_one_way_through_its_blueprint():
    """A module with a blueprint is listed in tracker/features.py (else its routes and commands silently do not
    exist), and no module keeps another way in (an init_app, init_cli, register_… or install hook)."""
    from tracker.features import FEATURES

    with_blueprint, other_hooks = set(), []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "bp" for t in node.targets):
                with_blueprint.add(name.removeprefix("tracker."))
            if isinstance(node, ast.FunctionDef) and (node.name in ("init_app", "init_cli", "install_hooks")
                                                      or node.name.startswith("register_")):
                other_hooks.append(f"{name}.{node.name}")
    assert with_blueprint == set(FEATURES)
    assert other_hooks == []
