"""Every bench runs in the suite at its smoke size, so none can break unseen.

``bench sync`` and ``bench signin`` had crashed for a while (a NOT NULL column, a missing
station database) and nothing noticed: nothing ran them. Here each ``bench/bench_*.py`` module
runs with ``quick=True`` (the sizes ``python -m bench --quick`` uses) and must print
well-formed figures. No timing is asserted: speed is read from the figures, in BENCHMARKS.md.
"""

from __future__ import annotations

import json
import math
import pkgutil
from importlib import import_module
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
MODULES = sorted(m.name for m in pkgutil.iter_modules([str(BENCH)]) if m.name.startswith("bench_"))


def test_every_bench_module_is_found() -> None:
    assert len(MODULES) >= 20 and "bench_sync" in MODULES and "bench_fleet" in MODULES


@pytest.mark.slow
@pytest.mark.qt_log_level_fail("CRITICAL")  # offscreen Qt warns of window hints the UI bench's windows give
@pytest.mark.parametrize("name", MODULES)
def test_bench_runs_at_smoke_size_and_prints_figures(name: str) -> None:
    figures = list(import_module(f"bench.{name}").run(quick=True))
    assert figures, f"{name} printed no figure"
    for figure in figures:
        line = json.loads(json.dumps(figure, ensure_ascii=False))  # what `python -m bench` prints
        assert isinstance(line["name"], str) and line["name"], figure
        assert isinstance(line["unit"], str), figure
        assert isinstance(line["value"], int | float) and not math.isnan(line["value"]), figure
