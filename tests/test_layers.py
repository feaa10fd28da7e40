"""The house rules of the package layout, checked on the source: floors import only downwards
(``bot`` → ``handlers`` → ``jobs`` → ``roles`` → ``core``), platform packages never import each other,
and no two modules import each other in a circle. Imports inside functions count (they only hide a
circle); imports under ``if TYPE_CHECKING:`` do not (they never run: annotations only)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOORS = {"core": 0, "roles": 1, "jobs": 2, "handlers": 3, "bot": 4}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """Every project module -> the project modules it imports (anywhere in the file)."""
    modules = {_module_name(p): p for floor in FLOORS for p in (ROOT / floor).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    found.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` except those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _floor(module: str) -> int:
    return FLOORS[module.split(".")[0]]


def test_floors_import_only_downwards():
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in _imports().items()
        for target in targets
        if _floor(target) > _floor(module)
    )
    assert upward == []


def test_platform_packages_do_not_import_each_other():
    platforms = {"handlers.slack", "handlers.teams"}

    def platform(module: str) -> str | None:
        return next((p for p in platforms if module == p or module.startswith(p + ".")), None)

    crossing = sorted(
        f"{m} imports {t}"
        for m, targets in _imports().items()
        for t in targets
        if platform(m) and platform(t) and platform(m) != platform(t)
    )
    assert crossing == []


def test_no_import_circles():
    graph = _imports()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            # a package's __init__ importing its own submodules is how packages re-export, not a circle
            if target.startswith(module + "."):
                continue
            if state.get(target) == 1:
                circles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []
