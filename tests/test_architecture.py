"""The layering rules of DESIGN.md section 2, checked on the source with ``ast``.

station/ is the core (no Qt, no drivers, no labels, no ui); drivers/ knows nothing of the
others; labels/ may read station data but never Qt, drivers or ui.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
QT = {"PySide6", "shiboken6", "PyQt5", "PyQt6"}
FORBIDDEN = {
    "station": QT | {"ui", "drivers", "labels"},
    "drivers": QT | {"ui", "station", "labels"},
    "labels": QT | {"ui", "drivers"},
    "web": QT | {"ui", "drivers"},
}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_its_layer_allows(package: str) -> None:
    offenders = []
    for path in sorted((REPO / package).rglob("*.py")):
        bad = imported_top_levels(path) & FORBIDDEN[package]
        if bad:
            offenders.append(f"{path.relative_to(REPO)} imports {sorted(bad)}")
    assert offenders == []


def test_opencv_is_the_headless_wheel() -> None:
    text = (REPO / "pyproject.toml").read_text()
    assert "opencv-python-headless" in text
    assert '"opencv-python>' not in text and '"opencv-python"' not in text


# --- Inside station/: the kernel, then the stages in the order they may use each other -------

KERNEL = ("models", "migrations", "core", "audit")
"""The schema, its migrations, the kernel every service stands on, and the audit chain that
every service call appends to in its own transaction (so it sits beside the kernel, not above)."""

STAGES = (
    "catalog", "scanning", "analytics", "operators", "policy", "intake", "receiving",
    "resolution", "inspection", "rtv", "integrations", "sync", "supervision",
)
"""A stage may import the kernel and the stages before it here. Mostly the returns process in
order; analytics and operators sit early because they read the records through the schema
only, so every later stage may ask them (mark a day for recomputation, find the supervisors).
Resolution sits before inspection for the same reason: it reads the units' grades and
dispositions as records and never asks inspection anything, while the last disposition asks
it, in the disposition's own transaction, whether the RMA is now ready (and whether the policy
resolves it itself)."""

TOP_LEVEL = {"demo"}
"""Loose modules at the top of station/ that may use any stage (the demo seeds every stage)."""



def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _station_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in (REPO / "station").rglob("*.py") if "versions" not in p.parts}


def _runtime_imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Station modules ``path`` imports when it runs: at the top or inside functions, but not
    under ``if TYPE_CHECKING:`` (those never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(inner) for inner in ast.walk(node))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name.startswith("station.") and name != _module_name(path):
                found.add(name)
    return found


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _may_import(importer: str, imported: str) -> bool:
    mine, theirs = _package(importer), _package(imported)
    if mine == theirs or theirs in KERNEL or imported == "station":
        return True
    if mine in TOP_LEVEL:
        return True
    if mine in KERNEL or mine not in STAGES or theirs not in STAGES:
        return False
    return STAGES.index(theirs) < STAGES.index(mine)


def test_every_station_package_has_a_place_in_the_order() -> None:
    packages = {p.name for p in (REPO / "station").iterdir() if (p / "__init__.py").is_file()}
    loose = {p.stem for p in (REPO / "station").glob("*.py")} - {"__init__"}
    assert packages - set(KERNEL) - set(STAGES) == set()
    assert loose <= TOP_LEVEL, "a new module belongs in its stage package"


def test_kernel_and_stages_import_only_downwards() -> None:
    modules = _station_modules()
    against = {(m, i) for m, p in modules.items() for i in _runtime_imports(p, modules) if not _may_import(m, i)}
    assert against == set()


def _tangles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Groups of modules that import each other round a cycle (Tarjan's strongly connected
    components of two or more modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(frozenset(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_between_station_modules() -> None:
    """Imports inside functions count: a cycle hidden in a function is still a cycle."""
    modules = _station_modules()
    graph = {m: _runtime_imports(p, modules) for m, p in modules.items()}
    # a package's __init__ that re-exports its modules is not a cycle with them
    graph = {m: {i for i in deps if not m.startswith(i + ".")} for m, deps in graph.items()}
    tangles = set(_tangles(graph))
    assert tangles == set()
