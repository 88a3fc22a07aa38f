"""The supervisor desk inside the main window: queues, approvals, dashboard, sheets, resolution.

The widgets live in ``ui/supervisor/`` and take their services in their constructors; this
module only builds them from the window's shell and wraps each in a ``SupervisorTab``, which
gives it what every tab of the window has: a banner for the bridge's messages and a
``handle_scan`` (scans belong to receiving and inspection, so a scan here says where to go).
A tab reloads when it comes to the front, again when its key is pressed while it shows, and
whenever a commit writes a kind of record its view declares in ``WATCHES`` (the window's one
change signal, ``ui.changes``): after the supervisor's own action, another tab's, or a sync pull.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from drivers.scanners.scan import Scan
from station.core.context import Actor
from station.scanning.classify import ScanMeaning
from ui.bridge import Level, Message
from ui.changes import follow
from ui.commands import command_in
from ui.shell import Shell
from ui.widgets.banner import Banner

log = logging.getLogger(__name__)


class SupervisorTab(QWidget):
    def __init__(self, shell: Shell, inner: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisorTab")
        self.shell = shell
        self.inner = inner
        self.banner = Banner(self, compact=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 8)
        layout.setSpacing(10)
        # The dashboard wants ~1,500 px and the queues ~1,150: in a scroll area they scroll on
        # a 1280 x 800 dock screen instead of widening the whole window.
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(inner)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroll, 1)
        self.setFocusProxy(inner)
        # The banner stays: a change refreshes the rows, it does not clear the message that
        # said what the supervisor's last action did.
        self.follower = follow(self, shell.changes, getattr(inner, "WATCHES", ()), inner.refresh)  # type: ignore[attr-defined]

    def refresh(self) -> None:
        self.banner.clear()
        if self.follower is not None:
            self.follower.settled()
        self.inner.refresh()  # type: ignore[attr-defined]

    def handle_scan(self, scan: Scan, meaning: object = None) -> None:
        if self.take_command(meaning):
            return
        self.shell.bridge.show(Message(Level.INFO, self.tr("Scans go to receiving or inspection"), scan.text.strip(),
                                       self.tr("Press F5 (receiving) or F6 (inspection), then scan again."),
                                       code="scan_elsewhere", sound="error"))

    def take_command(self, meaning: object) -> bool:
        """A command barcode from the command sheet: the tab's view does what its key does
        (``handle_command``); one it has no use for is refused here with what it is for.
        ``False`` when the scan is no command at all."""
        command = command_in(meaning) if isinstance(meaning, ScanMeaning) else None
        if command is None:
            return False
        scan = f"CMD:{command.value}"
        handle = getattr(self.inner, "handle_command", None)
        if handle is not None and handle(scan):
            return True
        self.shell.bridge.show(Message(Level.WARNING, self.tr("%1 does nothing in this tab").replace("%1", scan),
                                       self.tr("Nothing changed."),
                                       self.tr("Scan a command of this tab, or go to the tab the command is for."),
                                       code="command_elsewhere", sound="error"))
        return True


def queues(shell: Shell, actor: Actor) -> SupervisorTab:
    from station.supervision.desk import SupervisionService
    from ui.supervisor.queues_view import QueuesView

    return SupervisorTab(shell, QueuesView(SupervisionService(shell.ctx), actor, shell.background, shell.bridge,
                                           conflicts=conflict_service(shell)))


def conflict_service(shell: Shell):  # noqa: ANN201 - SyncConflictService, imported late
    """Settling a conflict changes central: the engine is made on first use, from settings."""
    from station.core.errors import ConfigError
    from station.sync.conflict_service import SyncConflictService
    from station.sync.connection import central_url, make_central_engine

    engine: list = []

    def central():  # noqa: ANN202
        if not engine:
            try:
                url = central_url(None, str(shell.settings.get("central.db_url")) or None)
            except ConfigError as exc:
                raise ConfigError("Settling a sync conflict needs the central database, and none is set up.",
                                  next_step="An admin sets central.db_url in settings (F10).") from exc
            engine.append(make_central_engine(url, station_id=shell.ctx.station_id))
        return engine[0]

    return SyncConflictService(shell.ctx, central)


def approvals(shell: Shell, actor: Actor) -> SupervisorTab:
    from station.intake.service import IntakeService
    from station.supervision.desk import SupervisionService
    from ui.supervisor.approvals_view import ApprovalsView

    labels, now = shell.labels, shell.ctx.now
    view = ApprovalsView(SupervisionService(shell.ctx), actor, shell.background, shell.bridge,
                         intake=IntakeService(shell.ctx),
                         print_lpns=lambda matched: labels.print_lpns(matched.rma_number, matched.units, now()))
    view.chinese = shell.language.startswith("zh")
    return SupervisorTab(shell, view)


def dashboard(shell: Shell, actor: Actor) -> SupervisorTab:
    from station.analytics import AnalyticsService
    from station.supervision.alerts import AlertService
    from ui.supervisor.dashboard_view import DashboardView

    return SupervisorTab(shell, DashboardView(AnalyticsService(shell.ctx), AlertService(shell.ctx), actor,
                                              shell.background, shell.bridge, today=shell.ctx.today()))


def sheets(shell: Shell, actor: Actor) -> SupervisorTab:
    from station.supervision.sheet_jobs import SheetService
    from ui.supervisor.sheet_jobs import SheetPrinter
    from ui.supervisor.sheets_view import SheetsView

    ctx = shell.ctx
    printer = SheetPrinter(SheetService(ctx), shell.labels.printer("sheet"), ctx.station_id)
    return SupervisorTab(shell, SheetsView(printer, actor, shell.background, shell.bridge, today=ctx.today()))


def resolution(shell: Shell, actor: Actor) -> SupervisorTab:
    from station.resolution.queue import ResolutionQueue
    from station.resolution.service import ResolutionService
    from ui.supervisor.resolution_view import ResolutionView

    return SupervisorTab(shell, ResolutionView(ResolutionQueue(shell.ctx), ResolutionService(shell.ctx), actor,
                                               shell.background, shell.bridge))


FACTORIES: dict[str, Callable[[Shell, Actor], QWidget]] = {
    "queues": queues, "approvals": approvals, "dashboard": dashboard, "sheets": sheets, "resolution": resolution}


class RtvTab(SupervisorTab):
    """The RTV desk takes scans itself: an LPN scanned here goes into the selected batch."""

    def handle_scan(self, scan: Scan, meaning: object = None) -> None:
        """The window hands every desk tab the scan and its meaning: a command does what its key
        does; anything else goes to the desk, whose service reads the LPN from the scan itself
        (``RtvService.scan_into``)."""
        if self.take_command(meaning):
            return
        self.inner.handle_scan(scan)  # type: ignore[attr-defined]


def rtv(shell: Shell, actor: Actor) -> SupervisorTab:
    from station.rtv.batches import RtvService
    from station.supervision.printing import PrintQueue
    from ui.supervisor import rtv_paperwork
    from ui.supervisor.rtv_view import RtvView

    ctx = shell.ctx
    queue = PrintQueue(ctx.session_factory, station_id=ctx.station_id, clock=ctx.clock)

    def print_paperwork(batch: object) -> object:
        paper = rtv_paperwork.render(batch, station=ctx.station_id)  # type: ignore[arg-type]
        return rtv_paperwork.queue(paper, batch, queue, sheet_printer=shell.labels.printer("sheet"),  # type: ignore[arg-type]
                                   label_printer=shell.labels.printer("disposition"), requested_by=actor.id)

    return RtvTab(shell, RtvView(RtvService(ctx), actor, shell.background, shell.bridge, print_paperwork))


FACTORIES["rtv"] = rtv
