"""The supervisor's PDF report: key figures, charts (reportlab.graphics) and tables.

No Qt here, so ``rma-station report`` runs headless; the dashboard runs the same function in
the background. Charts are vector drawings, so the report stays small and sharp when printed.
Long tables flow over as many pages as they need, with their header row repeated.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from labels.fonts import font_for, needs_cjk_font
from station.analytics.dashboard import Dashboard
from station.analytics.tables import ANALYTIC_TABLES, NET_SUMMARY, analytic_table

log = logging.getLogger(__name__)

PALETTE = [colors.HexColor(c) for c in ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")]
WIDTH = A4[0] - 36 * mm
STYLES = getSampleStyleSheet()
CELL = ParagraphStyle("cell", fontSize=8, leading=10)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(getattr(value, "value", value))


def _cell(value: Any) -> Any:
    text = _fmt(value)
    if needs_cjk_font(text):
        return Paragraph(text, ParagraphStyle("cjk", parent=CELL, fontName=font_for(text)))
    return text


def table_flowable(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    data = [list(columns)] + [[_cell(v) for v in row] for row in rows]
    if not rows:
        data.append(["(nothing in this period)"] + [""] * (len(columns) - 1))
    table = Table(data, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")]),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return table


def _title(drawing: Drawing, text: str) -> None:
    drawing.add(String(0, drawing.height - 12, text, fontName="Helvetica-Bold", fontSize=10))


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Sequence[float]],
              names: Sequence[str] = (), horizontal: bool = False, height: float = 170) -> Drawing:
    drawing = Drawing(WIDTH, height)
    _title(drawing, title)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (110, 10) if horizontal else (40, 30)
    chart.width = WIDTH - chart.x - (90 if names else 20)
    chart.height = height - chart.y - 24
    chart.data = [list(s) or [0] for s in series]
    chart.categoryAxis.categoryNames = list(labels) or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    if not horizontal and len(labels) > 8:
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
    for i in range(len(series)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    for i, name in enumerate(names):
        y = height - 30 - i * 12
        from reportlab.graphics.shapes import Rect

        drawing.add(Rect(WIDTH - 80, y, 8, 8, fillColor=PALETTE[i % len(PALETTE)], strokeColor=None))
        drawing.add(String(WIDTH - 68, y, name, fontSize=7))
    return drawing


def pie_chart(title: str, labels: Sequence[str], values: Sequence[float], height: float = 170) -> Drawing:
    drawing = Drawing(WIDTH / 2 - 6, height)
    _title(drawing, title)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 20, 10, height - 40, height - 40
    pie.data = list(values) if any(values) else [1]
    pie.labels = [f"{l} {v:.0f}%" for l, v in zip(labels, values)] if any(values) else ["no data"]
    pie.slices.fontSize = 7
    pie.sideLabels = True
    for i in range(len(pie.data)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)] if any(values) else colors.lightgrey
        pie.slices[i].strokeColor = colors.white
    drawing.add(pie)
    return drawing


def _kpis(d: Dashboard) -> Table:
    rate = "-" if d.overall.rate is None else f"{d.overall.rate * 100:.2f} %"
    net = "-" if d.net.per_return is None else f"{d.net.per_return:,.2f}"
    cells = [["Return rate", "Units returned", "Units sold", "Cost of returns", "Net cost per return"],
             [rate, f"{d.overall.returned:,}", f"{d.overall.sold:,}", f"{d.costs.total:,.2f}", net]]
    table = Table(cells, colWidths=[WIDTH / 5] * 5)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica", 8), ("FONT", (0, 1), (-1, 1), "Helvetica-Bold", 16),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
        ("INNERGRID", (0, 0), (-1, -1), 0.25, colors.lightgrey), ("TOPPADDING", (0, 1), (-1, 1), 6),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 8),
    ]))
    return table


def _footer(canvas: Any, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.drawString(18 * mm, 10 * mm, doc.title)
    canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
    canvas.restoreState()


def render_report(d: Dashboard, *, station: str = "", generated: str = "") -> bytes:
    """The whole report as PDF bytes."""
    out = io.BytesIO()
    title = f"Returns report {d.period}" + (f" - {station}" if station else "")
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=18 * mm, title=title, author="rma-station")
    story: list[Any] = [Paragraph(title, STYLES["Title"])]
    if generated:
        story.append(Paragraph(f"Generated {generated}. Days are UTC; definitions in docs/supervisor.md.",
                               STYLES["Normal"]))
    if d.empty:
        story.append(Paragraph("Nothing was returned or sold in this period.", STYLES["Heading2"]))
    story += [Spacer(0, 4 * mm), _kpis(d), Spacer(0, 6 * mm)]
    weeks = [w.week.strftime("%m-%d") for w in d.weeks]
    story.append(bar_chart("Returned units and units sold per week", weeks,
                           [[w.returned for w in d.weeks], [w.sold for w in d.weeks]], ["returned", "sold"]))
    story.append(bar_chart("Return rate per week (%)", weeks,
                           [[(w.rate or 0) * 100 for w in d.weeks]], height=140))
    reasons = d.reasons[:10]
    story.append(bar_chart("Reason mix (% of returned units)", [r.key for r in reasons][::-1],
                           [[r.share * 100 for r in reasons][::-1]], horizontal=True,
                           height=max(120, 24 + 16 * len(reasons))))
    grades = pie_chart("Grade mix", [g.key for g in d.grades], [g.share * 100 for g in d.grades])
    disp = pie_chart("Disposition mix", [m.key for m in d.dispositions], [m.share * 100 for m in d.dispositions])
    pair = Table([[grades, disp]], colWidths=[WIDTH / 2] * 2)
    story += [pair, bar_chart("Cycle time (hours)", [c.stage.replace("_", " ") for c in d.cycle],
                              [[c.p50_h or 0 for c in d.cycle], [c.p90_h or 0 for c in d.cycle]], ["p50", "p90"])]
    story.append(bar_chart("Return rate by category (%)", [r.key for r in d.by_category],
                           [[(r.rate or 0) * 100 for r in d.by_category]]))
    for name in ANALYTIC_TABLES:
        table = analytic_table(d, name)
        if name.startswith("net_cost_by_"):  # the full breakdown is too wide for A4: costs vs recoveries
            keep = [0] + [table.columns.index(c) for c in NET_SUMMARY]
            table = replace(table, columns=tuple(table.columns[i] for i in keep),
                            rows=tuple(tuple(r[i] for i in keep) for r in table.rows))
        story += [PageBreak() if name == "by_sku" else Spacer(0, 5 * mm),
                  Paragraph(table.title, STYLES["Heading2"]), table_flowable(table.columns, table.rows)]
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()
