"""QtCharts builders for the dashboard. Each chart reports a click on a bar or slice as
``(dimension, key)`` so the dashboard can list the units behind it.

The charts are sized for a 3 x 2 grid on a 1280 x 800 dock screen, read at arm's length:
labels are never elided (short names come from the caller, the full name is the hover tip),
value axes get round ticks (``nice_axis``) and percent axes read "25 %".
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QHorizontalBarSeries, QPieSeries, QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QPainter
from PySide6.QtWidgets import QSizePolicy, QToolTip

log = logging.getLogger(__name__)

COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
GRADE_COLOURS = {"A": "#2ca02c", "B": "#1f77b4", "C": "#ff7f0e", "D": "#d62728"}
Drill = Callable[[str, str], None]
TITLE_PT, LABEL_PT = 11, 10


def _font(points: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(points)
    font.setBold(bold)
    return font


def nice_axis(top: float, *, ticks: int = 5, whole: bool = False) -> tuple[float, float]:
    """(maximum, tick interval) for a value axis from 0: a 1-2-2.5-5 step (1-2-5 and at
    least 1 when ``whole``) so that at most ``ticks`` intervals cover ``top``.
    ``nice_axis(19.2)`` is (20, 5), ``nice_axis(52)`` is (60, 20)."""
    if top <= 0:
        return 1.0, 1.0
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole and magnitude < 10 else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw - 1e-12)
    if whole:
        step = max(step, 1.0)
    return step * math.ceil(top / step - 1e-9), step


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setTitleFont(_font(TITLE_PT, bold=True))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(2, 2, 2, 2))
    chart.layout().setContentsMargins(2, 0, 2, 0)  # the plot keeps every category label at 142 px tall
    chart.setBackgroundRoundness(4)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setFont(_font(LABEL_PT))
    chart.legend().setShowToolTips(True)
    return chart


def chart_view(chart: QChart) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(240, 142)  # two rows of charts leave the open alerts room at 1280 x 800
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return view


def bar_chart(title: str, categories: Sequence[str], sets: Sequence[tuple[str, Sequence[float]]],
              dimension: str, keys: Sequence[str], drill: Drill, *, horizontal: bool = False,
              percent: bool = False, tips: Sequence[str] = (), unit: str = "") -> QChart:
    """Bars per category; clicking bar i drills into ``(dimension, keys[i])``.

    ``percent``: values are percentages (0-100) and the value axis reads "10 %". ``tips[i]``
    is the hover text of category i (its full name); ``unit`` follows the value in the tip."""
    chart = _chart(title)
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    for n, (name, values) in enumerate(sets):
        bar_set = QBarSet(name)
        bar_set.append([round(float(v), 1) if percent else float(v) for v in values])
        bar_set.setColor(QColor(COLOURS[n % len(COLOURS)]))
        series.append(bar_set)
    series.clicked.connect(lambda index, _set: drill(dimension, keys[index]) if 0 <= index < len(keys) else None)
    names = list(tips) or list(categories)
    suffix = " %" if percent else f" {unit}" if unit else ""

    def hovered(status: bool, index: int, bar_set: QBarSet) -> None:
        if status and 0 <= index < len(names):
            value = bar_set.at(index)
            shown = f"{value:.1f}" if percent or value != int(value) else f"{value:.0f}"
            QToolTip.showText(QCursor.pos(), f"{names[index]}: {shown}{suffix}")
        else:
            QToolTip.hideText()

    series.hovered.connect(hovered)
    if horizontal:  # few long bars: the figure at the end of each reads better than the grid
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value %" if percent else "@value")
        series.setLabelsPrecision(3)
        for bar_set in series.barSets():
            bar_set.setLabelColor(QColor("#222222"))
            bar_set.setLabelFont(_font(LABEL_PT))
    chart.addSeries(series)
    categories_axis = QBarCategoryAxis()
    categories_axis.append(list(categories) or [""])
    # Qt hides category labels that would overlap: stacked down the side of a short chart,
    # six CJK labels at 10 pt do not fit, so a longer list gets a smaller font.
    crowded = horizontal and len(categories) > 5
    categories_axis.setLabelsFont(_font(LABEL_PT - 2 if crowded else LABEL_PT))
    categories_axis.setTruncateLabels(False)
    categories_axis.setGridLineVisible(False)
    values_axis = QValueAxis()
    values_axis.setLabelsFont(_font(LABEL_PT))
    values_axis.setTruncateLabels(False)
    top = max((max(v, default=0) for _, v in sets), default=0)
    # a value axis along the bottom of a third of the screen has room for about four labels
    # (horizontal bars carry their figure past the end: a quarter more room for it)
    maximum, step = nice_axis(float(top) * (1.25 if horizontal else 1.08), ticks=4 if horizontal else 5,
                              whole=not percent)
    values_axis.setRange(0, maximum)
    values_axis.setTickType(QValueAxis.TickType.TicksDynamic)
    values_axis.setTickAnchor(0)
    values_axis.setTickInterval(step)
    decimals = 0 if step == int(step) else 1
    values_axis.setLabelFormat(f"%.{decimals}f %%" if percent else f"%.{decimals}f")
    if horizontal:
        chart.addAxis(categories_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(categories_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories_axis)
    series.attachAxis(values_axis)
    chart.legend().setVisible(len(sets) > 1)
    if len(sets) > 1:  # beside the plot: under it, it left a short chart no room for its value labels
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
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
        piece.hovered.connect(lambda on, p=piece: p.setExploded(on))
    series.setPieSize(0.9)
    series.setHorizontalPosition(0.5)
    chart.addSeries(series)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    chart.legend().setMarkerShape(chart.legend().MarkerShape.MarkerShapeCircle)
    chart.legend().setFont(_font(LABEL_PT - 2))  # four or five entries stacked beside a short pie
    chart.legend().setContentsMargins(0, 0, 0, 0)
    return chart
