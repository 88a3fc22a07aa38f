"""The supervisor's dashboard: key figures, charts, open alerts, drill-down to units, report.

Laid out for a 1280 x 800 dock screen without sideways scrolling: the period bar, a row of
key-figure tiles, six charts in a 3 x 2 grid, and below them (a splitter) a tab for the open
alerts and one for the units behind a chart. Everything is read through
``AnalyticsService.dashboard`` in the UI language (one background read); the charts are
rebuilt from the frozen ``Dashboard`` value. Clicking a bar or a pie slice lists the units
behind it in the lower tab; for the keyboard, the "Drill into" box lists every slice (Ctrl+D
shows and focuses it, Return drills). The alerts tab lists every alert not closed with its
owner, state and response deadline. Ctrl+K brings the alerts tab to the front, and there
acknowledges the selected alert with the note typed beside it; Ctrl+Shift+A adds the note as
an action taken, Ctrl+Shift+K closes the alert with it. Ctrl+Shift+R writes the PDF report.
The "Net cost per return" tile shows what an average return cost after what it recovered
(its tooltip breaks the period's net cost down).

Signals: ``loaded(object)`` -- the ``Dashboard`` shown; ``drilled(str, str, int)`` --
dimension, key and how many units were listed.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.analytics import AnalyticsService, Dashboard, Period
from station.core.context import Actor
from station.supervision.alert_words import message_zh, subject_words
from station.supervision.alerts import AlertService, AlertView
from ui.background import Background
from ui.bridge import Level, Message, MessageBridge
from ui.errors import show_error
from ui.supervisor.charts import bar_chart, chart_view, pie_chart
from ui.supervisor.common import fill_table, make_table, name_of, selected_id, short_reason, ui_locale

log = logging.getLogger(__name__)

SEVERITY_COLOURS = {"critical": "#f8d7da", "warning": "#fff3cd"}
KPI_STYLE = ("QFrame#kpiTile { background: palette(base); border: 1px solid palette(mid); border-radius: 6px; }"
             " QLabel[kpi=\"title\"] { color: palette(placeholder-text); font-size: 15px; }"
             " QLabel[kpi=\"value\"] { font-size: 22px; font-weight: bold; }"
             " QLabel[kpi=\"note\"] { color: #8a5a00; font-size: 11px; }")
ALERTS_TAB, UNITS_TAB, LOTS_TAB = 0, 1, 2
TOP_REASONS = 6  # what fits a third of the screen with every label readable; the rest are in the drill box


TOP_ROW_PX, BOTTOM_ROW_PX = 163, 121
"""Chart heights: two rows in the 284 px the open alerts leave at 1280 x 800."""

class DashboardView(QWidget):
    #: Kinds of record shown here: a commit writing one refreshes the view (ui.changes); the source rows of
    #: the figures and the alerts (not the analytics_* summaries the dashboard itself writes).
    WATCHES = ("receipts", "units", "inspections", "dispositions", "resolutions", "rmas", "alerts",
               "alert_actions")

    loaded = Signal(object)
    drilled = Signal(str, str, int)

    def __init__(self, analytics: AnalyticsService, alerts: AlertService, actor: Actor,
                 background: Background, bridge: MessageBridge, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.analytics, self.alerts, self.actor = analytics, alerts, actor
        self.background, self.bridge = background, bridge
        self.setObjectName("supervisorDashboard")
        self.setStyleSheet(KPI_STYLE)
        self.dashboard: Dashboard | None = None
        today = today or dt.date.today()
        self.weeks = QSpinBox(self)
        self.weeks.setRange(1, 104)
        self.weeks.setValue(8)
        self.weeks.setSuffix(self.tr(" weeks"))
        self.until = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.until.setCalendarPopup(True)
        refresh = QPushButton(self.tr("Refresh (F8)"), self)  # the tab's own key again (F5 is receiving)
        report = QPushButton(self.tr("PDF report (Ctrl+Shift+R)"), self)
        bar = QHBoxLayout()
        for text, widget in ((self.tr("Period"), self.weeks), (self.tr("up to"), self.until)):
            bar.addWidget(QLabel(text, self))
            bar.addWidget(widget)
        bar.addWidget(refresh)
        bar.addStretch(1)
        bar.addWidget(report)
        self.kpis: dict[str, QLabel] = {}
        tiles = QGridLayout()  # two rows of four: seven tiles in one row did not fit 1280 px
        tiles.setSpacing(8)
        for n, (name, title) in enumerate((
                ("rate", self.tr("Return rate")), ("returned", self.tr("Units returned")),
                ("sold", self.tr("Units sold")), ("cost", self.tr("Cost of returns")),
                ("net", self.tr("Net cost per return")), ("cycle", self.tr("Cycle time p50 / p90")),
                ("alerts", self.tr("Open alerts")))):
            tiles.addWidget(self._tile(name, title), n // 4, n % 4)
        for column in range(4):
            tiles.setColumnStretch(column, 1)
        self.kpis["cycle"].setToolTip(self.tr("Hours from receipt to resolution, median and 90th percentile"))
        self.grid = QGridLayout()
        self.grid.setSpacing(6)
        self.grid.setContentsMargins(0, 0, 0, 0)
        for column in range(3):
            self.grid.setColumnStretch(column, 1)
        for row in range(2):
            self.grid.setRowStretch(row, 1)
        self.slices = QComboBox(self)
        self.slices.setObjectName("drillChoice")
        self.slices.setMinimumContentsLength(24)
        self.slices.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.units = make_table(self)
        self.units.setObjectName("drillUnits")
        self.drill_title = QLabel(self.tr("Click a bar or a slice to list its units."), self)
        self.drill_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.alert_table = make_table(self)
        self.alert_table.setObjectName("alertsTable")
        # One line per alert (the message's end elided, whole in its tooltip), three of them
        # always in view: wrapped messages made each row four lines tall, so at 1280 x 800 the
        # list showed one clipped alert.
        self.alert_table.setWordWrap(False)
        self.alert_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        line = self.alert_table.fontMetrics().height()
        self.alert_table.verticalHeader().setDefaultSectionSize(line + 10)
        self.alert_table.setMinimumHeight(line + 16 + 3 * (line + 10) + 8)  # the header and three rows (a CJK line is a little taller)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("Note: what is being done (required)"))
        ack = QPushButton(self.tr("Acknowledge (Ctrl+K)"), self)
        action = QPushButton(self.tr("Add action (Ctrl+Shift+A)"), self)
        close = QPushButton(self.tr("Close alert (Ctrl+Shift+K)"), self)
        charts = QWidget(self)
        charts.setLayout(self.grid)
        # The charts scroll on their own when a banner takes the tab's height: the figures, the
        # open alerts and their buttons stay on a 1280 x 800 screen (the whole page scrolled, and
        # a long banner pushed the alert buttons out of the window).
        self.charts_area = QScrollArea(self)
        self.charts_area.setObjectName("dashboardCharts")
        self.charts_area.setWidgetResizable(True)
        self.charts_area.setFrameShape(QFrame.Shape.NoFrame)
        self.charts_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.charts_area.setMinimumHeight(100)
        self.charts_area.setWidget(charts)
        alerts_page = QWidget(self)
        alerts_layout = QVBoxLayout(alerts_page)
        alerts_layout.setContentsMargins(4, 4, 4, 4)
        alerts_layout.addWidget(self.alert_table, 1)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note, 1)
        note_row.addWidget(ack)
        note_row.addWidget(action)
        note_row.addWidget(close)
        alerts_layout.addLayout(note_row)
        units_page = QWidget(self)
        units_layout = QVBoxLayout(units_page)
        units_layout.setContentsMargins(4, 4, 4, 4)
        drill_row = QHBoxLayout()
        drill_row.addWidget(QLabel(self.tr("Drill into (Ctrl+D)"), self))
        drill_row.addWidget(self.slices)
        drill_row.addWidget(self.drill_title, 1)
        units_layout.addLayout(drill_row)
        units_layout.addWidget(self.units, 1)
        self.panel = QTabWidget(self)
        self.panel.setObjectName("dashboardLower")
        self.panel.addTab(alerts_page, self.tr("Open alerts"))
        self.panel.addTab(units_page, self.tr("Units behind a chart"))
        self.lots = make_table(self)  # issue 26: the period's worst production lots
        self.lots.setObjectName("worstLots")
        self.panel.addTab(self.lots, self.tr("Worst lots"))
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(self.charts_area)
        self.split.addWidget(self.panel)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([420, 170])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(tiles)
        layout.addWidget(self.split, 1)
        refresh.clicked.connect(self.refresh)
        report.clicked.connect(self._ask_report)
        ack.clicked.connect(self.acknowledge_selected)
        action.clicked.connect(self.note_selected)
        close.clicked.connect(self.close_selected)
        self.slices.activated.connect(lambda _i: self._drill_choice())
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+K"), self, self._ctrl_k, context=context)
        QShortcut(QKeySequence("Ctrl+D"), self, self._focus_drill, context=context)
        QShortcut(QKeySequence("Ctrl+Shift+A"), self, self.note_selected, context=context)
        QShortcut(QKeySequence("Ctrl+Shift+K"), self, self.close_selected, context=context)
        QShortcut(QKeySequence("Ctrl+Shift+R"), self, self._ask_report, context=context)

    def _tile(self, name: str, title: str) -> QFrame:
        """A key figure: its name and its value on one line (two lines of tiles took the height
        the open alerts need at 1280 x 800)."""
        tile = QFrame(self)
        tile.setObjectName("kpiTile")
        box = QVBoxLayout(tile)
        box.setContentsMargins(10, 2, 10, 2)
        box.setSpacing(0)
        line = QHBoxLayout()
        line.setSpacing(12)  # the name never runs into its figure
        caption = QLabel(title, tile)
        caption.setProperty("kpi", "title")
        value = QLabel("-", tile)
        value.setProperty("kpi", "value")
        value.setObjectName(f"kpi_{name}")
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        line.addWidget(caption)
        line.addStretch(1)
        line.addWidget(value)
        box.addLayout(line)
        self.kpis[name] = value
        if name == "net":  # what the figure leaves out, said on the tile itself
            self.net_missing = QLabel(tile)
            self.net_missing.setProperty("kpi", "note")
            self.net_missing.setObjectName("kpi_net_missing")
            # One line, not word-wrapped: a wrapped label makes the whole page height-for-width,
            # and the desk tab's scroll area then sizes the page by its preferred height (840 px
            # at 1280 x 800), so the open alerts fell below the fold as one clipped line. The note
            # is one short line in both languages; its tooltip says the rest.
            self.net_missing.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.net_missing.setVisible(False)
            box.addWidget(self.net_missing)
        return tile

    def period(self) -> Period:
        return Period.last_weeks(self.until.date().toPython(), self.weeks.value())

    def _ctrl_k(self) -> None:
        """Ctrl+K with the units tab in front brings the alerts back (note focused); with the
        alerts in front it acknowledges the selected one."""
        if self.panel.currentIndex() != ALERTS_TAB:
            self.panel.setCurrentIndex(ALERTS_TAB)
            self.note.setFocus()
            return
        self.acknowledge_selected()

    def _focus_drill(self) -> None:
        self.panel.setCurrentIndex(UNITS_TAB)
        self.slices.setFocus()

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        analytics, alerts, actor, period, locale = self.analytics, self.alerts, self.actor, self.period(), ui_locale()
        (self.background.op(lambda: (analytics.dashboard(actor, period, locale=locale), alerts.open_alerts(actor)),
                            self)
         .success(self._show).failure(lambda e: show_error(self.bridge, e)).read())

    def _show(self, result: tuple[Dashboard, list[AlertView]]) -> None:
        d, alerts = result
        self.dashboard = d
        o = d.overall
        self.kpis["rate"].setText("-" if o.rate is None else f"{o.rate * 100:.1f} %")
        self.kpis["returned"].setText(f"{o.returned:,}")
        self.kpis["sold"].setText(f"{o.sold:,}")
        money = self.analytics.ctx.policy.currency  # the station's currency, the one costs are kept in
        self.kpis["cost"].setText(f"{d.costs.total:,.2f} {money}")
        n = d.net
        self.kpis["net"].setText("-" if n.per_return is None else f"{n.per_return:,.2f} {money}")
        t = n.total
        self.net_missing.setText(self.tr("%n unit(s) unpriced: resale not counted", "", n.unpriced_units))
        self.net_missing.setToolTip(self.tr("Restocked or refurbished units with no resale price for their SKU and "
                                            "grade: import a price list (rma-station prices import) to count them."))
        self.net_missing.setVisible(n.unpriced_units > 0)
        self.kpis["net"].setToolTip(self.tr(
            "Net cost %1 over %2 returns: shipping %3 + handling %4 + repairs %5 + refunds %6, less resale %7, "
            "donation and recycling %8, vendor credit %9").replace("%1", f"{t.net:,.2f}")
            .replace("%2", str(n.returns)).replace("%3", f"{t.shipping:,.2f}").replace("%4", f"{t.handling:,.2f}")
            .replace("%5", f"{t.refurbishment:,.2f}").replace("%6", f"{t.refunds:,.2f}")
            .replace("%7", f"{t.resale:,.2f}").replace("%8", f"{t.donation + t.recycling:,.2f}")
            .replace("%9", f"{t.rtv_credit:,.2f}"))
        whole = next((c for c in d.cycle if c.stage == "received_to_resolved"), None)
        hours = (whole.p50_h, whole.p90_h) if whole is not None else (None, None)
        self.kpis["cycle"].setText(" / ".join("-" if h is None else f"{h:.0f} h" for h in hours))
        closed = next((c for c in d.cycle if c.stage == "received_to_closed"), None)
        shut = (closed.p50_h, closed.p90_h) if closed is not None else (None, None)
        self.kpis["cycle"].setToolTip(self.tr("Hours from receipt to resolution, median and 90th percentile; "
                                              "to closed: %1").replace(
            "%1", " / ".join("-" if h is None else f"{h:.0f} h" for h in shut)))
        self.kpis["alerts"].setText(str(len(alerts)))
        self.kpis["alerts"].setStyleSheet("color: #b02a37;" if alerts else "")
        self._charts(d)
        self.show_lots(d)
        self.show_alerts(alerts)
        self.loaded.emit(d)

    def show_lots(self, d: Dashboard) -> None:
        """Worst lots first; a lot whose SKU has no sales per lot shows counts only ("-" rate)."""
        fill_table(self.lots, ("sku", "lot", "vendor", "returned", "sold", "rate", "top_reason", "grade"),
                   [(r.sku, r.lot, r.supplier, r.returned, "-" if r.sold is None else r.sold,
                     "-" if r.rate is None else f"{r.rate * 100:.1f} %", r.top_reason,
                     " ".join(f"{g}:{n}" for g, n in r.grades)) for r in d.lots], stretch="top_reason")
        self.panel.setTabText(LOTS_TAB, self.tr("Worst lots (%1)").replace("%1", str(len(d.lots))))

    def show_alerts(self, alerts: list[AlertView]) -> None:
        zh = ui_locale().startswith("zh")
        fill_table(self.alert_table, ("severity", "subject", "owner", "state", "respond_by", "message"),
                   [(name_of(a.severity), subject_words(a.subject, a.figures, zh), name_of(a.owner),
                     name_of(a.state.value),
                     "-" if a.respond_by is None else a.respond_by.astimezone().strftime("%Y-%m-%d %H:%M"),
                     message_zh(a.message, a.figures) if zh else a.message) for a in alerts],
                   [str(a.id) for a in alerts], stretch="message")
        for row, a in enumerate(alerts):
            colour, cell = SEVERITY_COLOURS.get(str(a.severity)), self.alert_table.item(row, 0)
            if colour is not None and cell is not None:
                cell.setBackground(QBrush(QColor(colour)))
        header = self.alert_table.horizontalHeader()
        for column in range(5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)  # a long subject leaves the message room
        self.alert_table.resizeColumnToContents(1)
        header.resizeSection(1, min(header.sectionSize(1), 220))
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        for row in range(self.alert_table.rowCount()):  # what an elided cell cut off, whole on hover
            for column in (1, 5):
                cell = self.alert_table.item(row, column)
                if cell is not None and not cell.toolTip():
                    cell.setToolTip(cell.text())
        for row, a in enumerate(alerts):
            late = a.escalated_at is not None
            cell = self.alert_table.item(row, 4)
            if late and cell is not None:
                cell.setForeground(QBrush(QColor("#b02a37")))
                cell.setToolTip(self.tr("Escalated to the site's supervisors"))
        self.panel.setTabText(ALERTS_TAB, self.tr("Open alerts (%1)").replace("%1", str(len(alerts))))

    def _charts(self, d: Dashboard) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        weeks = [w.week.isoformat() for w in d.weeks]
        reasons = d.reasons[:TOP_REASONS][::-1]  # horizontal bars are drawn bottom-up: largest on top
        categories = sorted(d.by_category, key=lambda c: c.rate or 0)
        stages = {"received_to_inspected": self.tr("to QC"), "inspected_to_resolved": self.tr("after QC"),
                  "received_to_resolved": self.tr("total"), "received_to_closed": self.tr("to closed")}
        stage_tips = {"received_to_inspected": self.tr("received to inspected"),
                      "inspected_to_resolved": self.tr("inspected to resolved"),
                      "received_to_resolved": self.tr("received to resolved"),
                      "received_to_closed": self.tr("received to closed")}
        hours = self.tr("h")
        short_names = {"return_to_vendor": self.tr("To vendor")}  # the pie legend has a third of the chart
        charts = [
            bar_chart(self.tr("Returned units per ISO week"), [f"W{w.week.isocalendar().week}" for w in d.weeks],
                      [(self.tr("returned"), [w.returned for w in d.weeks])], "week", weeks, self.drill,
                      tips=[self.tr("week of %1").replace("%1", w) for w in weeks], unit=self.tr("units")),
            bar_chart(self.tr("Top reasons (units)"), [short_reason(r.label) for r in reasons],
                      [(self.tr("units"), [r.units for r in reasons])], "reason", [r.key for r in reasons],
                      self.drill, horizontal=True, tips=[r.label for r in reasons], unit=self.tr("units")),
            bar_chart(self.tr("Return rate by category"), [name_of(c.key) for c in categories],
                      [(self.tr("rate"), [(c.rate or 0) * 100 for c in categories])], "category",
                      [c.key for c in categories], self.drill, horizontal=True, percent=True,
                      tips=[f"{name_of(c.key)} ({c.returned:,} / {c.sold:,})" for c in categories]),
            pie_chart(self.tr("Grade mix"), [(g.key, f"{g.key}  {g.share * 100:.0f} %", g.units) for g in d.grades],
                      "grade", self.drill),
            pie_chart(self.tr("Disposition mix"),
                      [(m.key, f"{short_names.get(m.key, name_of(m.key))}  {m.share * 100:.0f} %", m.units)
                       for m in d.dispositions],
                      "disposition", self.drill),
            bar_chart(self.tr("Cycle time (hours)"), [stages.get(c.stage, c.stage) for c in d.cycle],
                      [("p50", [c.p50_h or 0 for c in d.cycle]), ("p90", [c.p90_h or 0 for c in d.cycle])],
                      "", [], self.drill, tips=[stage_tips.get(c.stage, c.stage) for c in d.cycle], unit=hours),
        ]
        for n, chart in enumerate(charts):
            view = chart_view(chart)
            # The top row's reasons and categories list up to six names down the side, and Qt
            # drops every other one that does not fit (in Chinese at 142 px it did); the pies
            # and the cycle bars below read as well a little shorter.
            view.setMinimumHeight(TOP_ROW_PX if n < 3 else BOTTOM_ROW_PX)
            self.grid.addWidget(view, n // 3, n % 3)
        dimensions = {"week": self.tr("Week"), "reason": self.tr("Reason"), "category": self.tr("Category"),
                      "grade": self.tr("Grade"), "disposition": self.tr("Disposition"), "sku": self.tr("SKU")}
        self.slices.clear()
        for dimension, rows in (("week", [(w, f"W{d.weeks[n].week.isocalendar().week} ({w})")
                                          for n, w in enumerate(weeks)]),
                                ("reason", [(r.key, r.label) for r in d.reasons]),
                                ("category", [(c.key, name_of(c.key)) for c in d.by_category]),
                                ("grade", [(g.key, g.key) for g in d.grades]),
                                ("disposition", [(m.key, name_of(m.key)) for m in d.dispositions]),
                                ("sku", [(s.key, s.key) for s in d.by_sku])):
            for key, label in rows:
                self.slices.addItem(f"{dimensions[dimension]}: {label}", (dimension, key))

    def slice_index(self, dimension: str, key: str) -> int:
        """The row of the "Drill into" box for one slice, -1 if it has none."""
        return next((i for i in range(self.slices.count()) if self.slices.itemData(i) == (dimension, key)), -1)

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
            index = self.slice_index(dimension, key)
            name = self.slices.itemText(index) if index >= 0 else f"{dimension}: {key}"
            self.drill_title.setText(self.tr("%1 — %n units", "", len(rows)).replace("%1", name))
            self.panel.setCurrentIndex(UNITS_TAB)
            self.drilled.emit(dimension, key, len(rows))

        (self.background.op(lambda: analytics.units_behind(actor, period, dimension, key), self)
         .success(show).failure(lambda e: show_error(self.bridge, e)).read())

    # ------------------------------------------------------------------ alerts and report
    def acknowledge_selected(self) -> None:
        self._answer("acknowledge", self.tr("Alert acknowledged"), "alert_acknowledged")

    def note_selected(self) -> None:
        self._answer("add_note", self.tr("Action noted"), "alert_action_noted")

    def close_selected(self) -> None:
        self._answer("close", self.tr("Alert closed"), "alert_closed")

    def _answer(self, how: str, title: str, code: str) -> None:
        """Acknowledge, note or close the selected alert with the note typed beside the table."""
        self.panel.setCurrentIndex(ALERTS_TAB)
        alert_id = selected_id(self.alert_table)
        if alert_id is None:
            self.bridge.show(Message(Level.WARNING, self.tr("Nothing selected"), self.tr("Pick an alert first.")))
            return
        answer, actor, note = getattr(self.alerts, how), self.actor, self.note.text()

        def done(_view: AlertView) -> None:
            self.note.clear()
            self.bridge.show(Message(Level.OK, title, note.strip(), code=code))  # the alerts follow (ui.changes)

        (self.background.op(lambda: answer(actor, uuid.UUID(alert_id), note), self)
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
