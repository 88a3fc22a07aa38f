"""The supervisor's dashboard: key figures, charts, open alerts, drill-down to units, report.

Everything is read through ``AnalyticsService.dashboard`` (one background read); the charts
are rebuilt from the frozen ``Dashboard`` value. Clicking a bar or a pie slice lists the units
behind it below the charts; for the keyboard, the "Drill into" box lists every slice
(Ctrl+D focuses it, Return drills). Ctrl+K acknowledges the selected alert with the note
typed beside it; Ctrl+Shift+R writes the PDF report.

Signals: ``loaded(object)`` -- the ``Dashboard`` shown; ``drilled(str, str, int)`` --
dimension, key and how many units were listed.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFileDialog, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSpinBox,
    QSplitter, QVBoxLayout, QWidget,
)

from station.alerts import AlertService, AlertView
from station.analytics import AnalyticsService, Dashboard, Period
from station.context import Actor
from ui.background import Background
from ui.bridge import Level, Message, MessageBridge
from ui.errors import show_error
from ui.supervisor.charts import bar_chart, chart_view, pie_chart
from ui.supervisor.common import fill_table, make_table, selected_id

log = logging.getLogger(__name__)

SHORT_STAGES = {"received_to_inspected": "recv>insp", "inspected_to_resolved": "insp>resol",
                "received_to_resolved": "recv>resol"}


class DashboardView(QWidget):
    loaded = Signal(object)
    drilled = Signal(str, str, int)

    def __init__(self, analytics: AnalyticsService, alerts: AlertService, actor: Actor,
                 background: Background, bridge: MessageBridge, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.analytics, self.alerts, self.actor = analytics, alerts, actor
        self.background, self.bridge = background, bridge
        self.setObjectName("supervisorDashboard")
        self.dashboard: Dashboard | None = None
        today = today or dt.date.today()
        self.weeks = QSpinBox(self)
        self.weeks.setRange(1, 104)
        self.weeks.setValue(8)
        self.weeks.setSuffix(self.tr(" weeks"))
        self.until = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.until.setCalendarPopup(True)
        refresh = QPushButton(self.tr("Refresh (F5)"), self)
        report = QPushButton(self.tr("PDF report (Ctrl+Shift+R)"), self)
        self.kpis = {name: QLabel("-", self) for name in ("rate", "returned", "sold", "cost")}
        bar = QHBoxLayout()
        for text, widget in ((self.tr("Period"), self.weeks), (self.tr("up to"), self.until)):
            bar.addWidget(QLabel(text, self))
            bar.addWidget(widget)
        bar.addWidget(refresh)
        bar.addWidget(report)
        bar.addStretch(1)
        for name, title in (("rate", self.tr("Return rate")), ("returned", self.tr("Units returned")),
                            ("sold", self.tr("Units sold")), ("cost", self.tr("Cost of returns"))):
            label = self.kpis[name]
            label.setObjectName(f"kpi_{name}")
            label.setStyleSheet("font-size: 20px; font-weight: bold;")
            box = QVBoxLayout()
            box.addWidget(QLabel(title, self))
            box.addWidget(label)
            bar.addLayout(box)
        self.grid = QGridLayout()
        self.slices = QComboBox(self)
        self.slices.setObjectName("drillChoice")
        self.slices.setMinimumWidth(220)
        self.units = make_table(self)
        self.units.setObjectName("drillUnits")
        self.drill_title = QLabel(self.tr("Click a bar or a slice to list its units."), self)
        self.alert_table = make_table(self)
        self.alert_table.setObjectName("alertsTable")
        self.alert_table.setWordWrap(True)
        self.alert_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("Note: what is being done (required)"))
        ack = QPushButton(self.tr("Acknowledge (Ctrl+K)"), self)
        charts = QWidget(self)
        charts.setLayout(self.grid)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel(self.tr("<b>Open alerts</b>"), self))
        side_layout.addWidget(self.alert_table, 1)
        side_layout.addWidget(self.note)
        side_layout.addWidget(ack)
        drill_row = QHBoxLayout()
        drill_row.addWidget(QLabel(self.tr("Drill into (Ctrl+D)"), self))
        drill_row.addWidget(self.slices)
        drill_row.addWidget(self.drill_title, 1)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addLayout(drill_row)
        bottom_layout.addWidget(self.units, 1)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(charts)
        top.addWidget(side)
        side.setMaximumWidth(440)
        top.setSizes([960, 400])
        main = QSplitter(Qt.Orientation.Vertical, self)
        main.addWidget(top)
        main.addWidget(bottom)
        main.setSizes([620, 220])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(main, 1)
        refresh.clicked.connect(self.refresh)
        report.clicked.connect(self._ask_report)
        ack.clicked.connect(self.acknowledge_selected)
        self.slices.activated.connect(lambda _i: self._drill_choice())
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("F5"), self, self.refresh, context=context)
        QShortcut(QKeySequence("Ctrl+K"), self, self.acknowledge_selected, context=context)
        QShortcut(QKeySequence("Ctrl+D"), self, self.slices.setFocus, context=context)
        QShortcut(QKeySequence("Ctrl+Shift+R"), self, self._ask_report, context=context)

    def period(self) -> Period:
        return Period.last_weeks(self.until.date().toPython(), self.weeks.value())

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        analytics, alerts, actor, period = self.analytics, self.alerts, self.actor, self.period()
        (self.background.op(lambda: (analytics.dashboard(actor, period), alerts.open_alerts(actor)), self)
         .success(self._show).failure(lambda e: show_error(self.bridge, e)).read())

    def _show(self, result: tuple[Dashboard, list[AlertView]]) -> None:
        d, alerts = result
        self.dashboard = d
        o = d.overall
        self.kpis["rate"].setText("-" if o.rate is None else f"{o.rate * 100:.2f} %")
        self.kpis["returned"].setText(f"{o.returned:,}")
        self.kpis["sold"].setText(f"{o.sold:,}")
        self.kpis["cost"].setText(f"{d.costs.total:,.2f}")
        self._charts(d)
        fill_table(self.alert_table, ("severity", "subject", "message"),
                   [(a.severity, a.subject, a.message) for a in alerts], [str(a.id) for a in alerts])
        self.alert_table.setColumnWidth(0, 62)
        self.alert_table.setColumnWidth(1, 130)
        self.alert_table.resizeRowsToContents()
        self.loaded.emit(d)

    def _charts(self, d: Dashboard) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        weeks = [w.week.isoformat() for w in d.weeks]
        reasons = d.reasons[:8][::-1]
        charts = [
            bar_chart(self.tr("Returned units per ISO week"), [f"W{w.week.isocalendar().week}" for w in d.weeks],
                      [(self.tr("returned"), [w.returned for w in d.weeks])], "week", weeks, self.drill),
            bar_chart(self.tr("Reason mix (units)"), [r.label for r in reasons],
                      [(self.tr("units"), [r.units for r in reasons])], "reason", [r.key for r in reasons],
                      self.drill, horizontal=True),
            bar_chart(self.tr("Return rate by category (%)"), [c.key[:10] for c in d.by_category],
                      [(self.tr("rate"), [(c.rate or 0) * 100 for c in d.by_category])], "category",
                      [c.key for c in d.by_category], self.drill),
            pie_chart(self.tr("Grade mix"), [(g.key, f"{g.key} {g.share * 100:.0f}%", g.units) for g in d.grades],
                      "grade", self.drill),
            pie_chart(self.tr("Disposition mix"),
                      [(m.key, f"{m.key.replace('_', ' ')} {m.share * 100:.0f}%", m.units) for m in d.dispositions],
                      "disposition", self.drill),
            bar_chart(self.tr("Cycle time (hours)"), [SHORT_STAGES.get(c.stage, c.stage) for c in d.cycle],
                      [("p50", [c.p50_h or 0 for c in d.cycle]), ("p90", [c.p90_h or 0 for c in d.cycle])],
                      "", [], self.drill),
        ]
        for n, chart in enumerate(charts):
            self.grid.addWidget(chart_view(chart), n // 3, n % 3)
        for column in range(3):
            self.grid.setColumnStretch(column, 1)
        self.slices.clear()
        for dimension, rows in (("week", [(w, w) for w in weeks]), ("reason", [(r.key, r.label) for r in d.reasons]),
                                ("category", [(c.key, c.key) for c in d.by_category]),
                                ("grade", [(g.key, g.key) for g in d.grades]),
                                ("disposition", [(m.key, m.key) for m in d.dispositions]),
                                ("sku", [(s.key, s.key) for s in d.by_sku])):
            for key, label in rows:
                self.slices.addItem(f"{dimension}: {label}", (dimension, key))

    # ------------------------------------------------------------------ drill-down
    def _drill_choice(self) -> None:
        data = self.slices.currentData()
        if data:
            self.drill(*data)

    def drill(self, dimension: str, key: str) -> None:
        """List the units behind one slice (runs in the background)."""
        if not dimension:
            return
        analytics, actor, period = self.analytics, self.actor, self.period()

        def show(rows: list) -> None:  # type: ignore[type-arg]
            fill_table(self.units, ("lpn", "rma", "sku", "category", "reason", "grade", "disposition", "state",
                                    "received"),
                       [(u.lpn, u.rma_number, u.sku, u.category, u.reason, u.grade, u.disposition, u.state,
                         u.received_at) for u in rows])
            self.drill_title.setText(f"{dimension} = {key}: {len(rows)} " + self.tr("units"))
            self.drilled.emit(dimension, key, len(rows))

        (self.background.op(lambda: analytics.units_behind(actor, period, dimension, key), self)
         .success(show).failure(lambda e: show_error(self.bridge, e)).read())

    # ------------------------------------------------------------------ alerts and report
    def acknowledge_selected(self) -> None:
        alert_id = selected_id(self.alert_table)
        if alert_id is None:
            self.bridge.show(Message(Level.WARNING, self.tr("Nothing selected"), self.tr("Pick an alert first.")))
            return
        alerts, actor, note = self.alerts, self.actor, self.note.text()

        def done(_view: AlertView) -> None:
            self.note.clear()
            self.bridge.show(Message(Level.OK, self.tr("Alert acknowledged"), note.strip(), code="alert_acknowledged"))
            self.refresh()

        (self.background.op(lambda: alerts.acknowledge(actor, uuid.UUID(alert_id), note), self)
         .success(done).failure(lambda e: show_error(self.bridge, e)).write())

    def _ask_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save report"), "returns-report.pdf", "PDF (*.pdf)")
        if path:
            self.write_report(Path(path))

    def write_report(self, path: Path) -> None:
        """Render the PDF report for the period shown, off the UI thread."""
        from ui.supervisor.report_pdf import render_report

        analytics, actor, period = self.analytics, self.actor, self.period()

        def work() -> int:
            pdf = render_report(analytics.dashboard(actor, period, top_skus=200),
                                station=analytics.ctx.station_id,
                                generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
            path.write_bytes(pdf)
            return len(pdf)

        (self.background.op(work, self)
         .success(lambda n: self.bridge.show(Message(Level.OK, self.tr("Report written"), f"{path} ({n // 1024} KB)",
                                                     code="report_written")))
         .failure(lambda e: show_error(self.bridge, e)).read())
