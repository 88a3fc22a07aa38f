"""Benchmarks that print figures (never pass/fail timing tests).

Each ``bench/bench_*.py`` module exposes ``run(quick: bool) -> Iterator[Figure]``; the runner
prints every figure as one JSON line: ``{"name": ..., "value": ..., "unit": ...}``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from typing import Any, TypedDict


class Figure(TypedDict, total=False):
    name: str
    value: float
    unit: str
    detail: Any


def figure(name: str, value: float, unit: str, **detail: Any) -> Figure:
    out: Figure = {"name": name, "value": round(value, 4), "unit": unit}
    if detail:
        out["detail"] = detail
    return out


def percentile(samples: Iterable[float], p: float) -> float:
    """The p-th percentile (0-100) by nearest rank, the way latency targets are usually read."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def median(samples: Iterable[float]) -> float:
    return statistics.median(list(samples))
