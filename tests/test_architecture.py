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
