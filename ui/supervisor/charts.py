"""QtCharts builders for the dashboard. Each chart reports a click on a bar or slice as
``(dimension, key)`` so the dashboard can list the units behind it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QHorizontalBarSeries, QPieSeries, QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter

log = logging.getLogger(__name__)

COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
GRADE_COLOURS = {"A": "#2ca02c", "B": "#1f77b4", "C": "#ff7f0e", "D": "#d62728"}
Drill = Callable[[str, str], None]


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def chart_view(chart: QChart) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(220, 220)
    return view


def bar_chart(title: str, categories: Sequence[str], sets: Sequence[tuple[str, Sequence[float]]],
              dimension: str, keys: Sequence[str], drill: Drill, *, horizontal: bool = False) -> QChart:
    """Bars per category; clicking bar i drills into ``(dimension, keys[i])``."""
    chart = _chart(title)
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    for n, (name, values) in enumerate(sets):
        bar_set = QBarSet(name)
        bar_set.append([float(v) for v in values])
        bar_set.setColor(QColor(COLOURS[n % len(COLOURS)]))
        series.append(bar_set)
    series.clicked.connect(lambda index, _set: drill(dimension, keys[index]) if 0 <= index < len(keys) else None)
    chart.addSeries(series)
    categories_axis = QBarCategoryAxis()
    categories_axis.append(list(categories) or [""])
    small = QFont()
    small.setPointSize(7)
    categories_axis.setLabelsFont(small)
    values_axis = QValueAxis()
    values_axis.setLabelFormat("%.0f")
    top = max((max(v, default=0) for _, v in sets), default=0)
    values_axis.setRange(0, max(1.0, float(top) * 1.1))
    if horizontal:
        chart.addAxis(categories_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(categories_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories_axis)
    series.attachAxis(values_axis)
    chart.legend().setVisible(len(sets) > 1)
    return chart


def pie_chart(title: str, slices: Sequence[tuple[str, str, float]], dimension: str, drill: Drill) -> QChart:
    """``slices`` are (key, label, value); clicking a slice drills into its key."""
    chart = _chart(title)
    series = QPieSeries()
    for n, (key, label, value) in enumerate(slices):
        piece = series.append(label, float(value))
        piece.setColor(QColor(GRADE_COLOURS.get(key, COLOURS[n % len(COLOURS)])))
        piece.setLabelVisible(False)
        piece.clicked.connect(lambda k=key: drill(dimension, k))
    series.setPieSize(0.8)
    chart.addSeries(series)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    chart.legend().setShowToolTips(True)
    return chart
