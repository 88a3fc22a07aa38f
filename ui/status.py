"""The status bar: operator, station, sync queue and last sync, where labels go.

Refreshed through the read executor whenever a commit touches the sync queue, the sync
state or the label jobs (the window's one change signal; nothing polls, and the UI never
counts rows itself). It says
what is true: "Sync: not set up" when no central database is configured (a station working
alone is normal, and a queue count with "last never" read as a failure), and where labels
go ("Labels: PDF folder …" as a link that opens it, a printer queue, or a Zebra at
host:port) instead of "Printer: ready" while every label went to a folder nobody named.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from station.core.context import Actor
from station.models import LabelJobState
from station.sync.connection import central_url_refusal
from station.sync.status import SyncStatus
from station.sync.status import read_status as read_sync_status
from ui.changes import follow
from ui.shell import Shell

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StationStatus:
    sync: SyncStatus
    labels_queued: int
    labels_failed: int

    @property
    def pending_sync(self) -> int:
        return self.sync.queue_length

    @property
    def last_sync(self) -> dt.datetime | None:
        return self.sync.last_success_at


def central_configured(shell: Shell) -> bool:
    return bool(os.environ.get("RMA_CENTRAL_URL") or str(shell.settings.get("central.db_url")))


def label_destination(uri: str, width: int = 40) -> tuple[str, str]:
    """(words, link) for where a kind of label goes: a PDF folder (the link opens it), a Zebra
    (its status page), a CUPS printer queue (the queue's page); the words in the UI language,
    a folder's path cut to ``width`` characters from its end."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        folder = Path(unquote(parsed.path))
        shown = str(folder) if len(str(folder)) <= width else "…" + str(folder)[2 - width:]
        return QCoreApplication.translate("StationStatusBar", "PDF folder %1").replace("%1", shown), folder.as_uri()
    if parsed.scheme == "tcp":
        host = f"{parsed.hostname}:{parsed.port or 9100}"
        # A Zebra serves its own status page (queue, errors, head open) on port 80.
        return (QCoreApplication.translate("StationStatusBar", "Zebra at %1").replace("%1", host),
                f"http://{parsed.hostname}/")
    # cups://QUEUE or cups://SERVER/QUEUE, read as the printer registry reads it; the link is
    # the queue's page in CUPS's web interface (its jobs, held or failed).
    path = unquote(parsed.path).strip("/")
    queue, server = (path, parsed.netloc) if path else (unquote(parsed.netloc) or uri, "")
    link = f"http://{server or 'localhost'}:631/printers/{quote(queue)}" if parsed.scheme == "cups" else ""
    return QCoreApplication.translate("StationStatusBar", "printer %1").replace("%1", queue), link


def read_status(shell: Shell) -> StationStatus:
    sync = read_sync_status(shell.ctx.session_factory.kw["bind"])
    jobs = shell.labels.spooler.queue.counts()
    queued = jobs.get(LabelJobState.QUEUED, 0) + jobs.get(LabelJobState.PRINTING, 0)
    return StationStatus(sync, queued, jobs.get(LabelJobState.FAILED, 0))


class StationStatusBar(QStatusBar):
    #: Kinds of record counted here: the sync queue, the sync state and the label queue (ui.changes).
    WATCHES = ("outbox", "sync_state", "label_jobs")

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.operator = QLabel(self)
        self.station = QLabel(self.tr("Station %1").replace("%1", shell.ctx.station_id), self)
        self.sync = QLabel(self)
        self.printer = QLabel(self)
        self.sound = QLabel(self)  # shown only when sounds are on but not heard
        self.sound.hide()
        for label in (self.operator, self.station, self.sync, self.printer, self.sound):
            label.setObjectName("statusItem")
            self.addPermanentWidget(label)
        self.set_actor(None)
        self.status: StationStatus | None = None
        self.follower = follow(self, shell.changes, self.WATCHES, self.refresh, delay_ms=200, hidden_too=True)

    def show_sound_trouble(self, words: str) -> None:
        self.sound.setText(self.tr("Sound: %1").replace("%1", words))
        self.sound.setStyleSheet("color: #8a6100;")
        self.sound.setVisible(bool(words))

    def set_actor(self, actor: Actor | None) -> None:
        self.operator.setText(self.tr("Signed out") if actor is None else
                              f"{actor.name} ({self._role(actor.role.value)})")

    def _role(self, role: str) -> str:
        return {"clerk": self.tr("clerk"), "inspector": self.tr("inspector"),
                "supervisor": self.tr("supervisor"), "admin": self.tr("admin")}.get(role, role)

    def refresh(self) -> None:
        shell = self.shell
        shell.background.op(lambda: read_status(shell), self).success(self.show_status).failure(
            lambda exc: log.warning("status refresh failed: %s", exc)).housekeeping()

    def show_status(self, status: StationStatus) -> None:
        self.status = status
        self._show_labels(status)
        refused = central_url_refusal(str(self.shell.settings.get("central.db_url")) or None)
        if refused:  # a typo in the URL: sync is off, and the bar says why (not "not set up")
            self.sync.setText(self.tr("Sync: central URL refused"))
            self.sync.setToolTip(self.tr("Sync: central URL refused: %1").replace("%1", refused))
            self.sync.setStyleSheet("color: #b03a2e; font-weight: 600;")
            return
        if not central_configured(self.shell):
            self.sync.setText(self.tr("Sync: not set up"))
            self.sync.setToolTip(self.tr("No central database: this station works alone. "
                                         "%n change(s) wait to be sent once one is set up.", "",
                                         status.pending_sync))
            self.sync.setStyleSheet("")
            return
        last = status.last_sync.astimezone().strftime("%H:%M") if status.last_sync else self.tr("never")
        self.sync.setText(self.tr("Sync queue %1 · last %2").replace("%1", str(status.pending_sync))
                          .replace("%2", last))
        # The full sentence (offline since when, the error in words, next retry) on hover;
        # red while the last attempt failed, so "offline" is seen without reading.
        self.sync.setToolTip(status.sync.words())
        failing = status.sync.failures_in_a_row > 0
        self.sync.setStyleSheet("color: #b03a2e; font-weight: 600;" if failing else "")
        if failing:
            self.sync.setText(self.tr("Offline · sync queue %1").replace("%1", str(status.pending_sync)))

    def _show_labels(self, status: StationStatus) -> None:
        kinds = {"lpn": self.tr("LPN labels"), "disposition": self.tr("disposition and carton labels"),
                 "sheet": self.tr("sheets and packing lists")}
        where = {kind: label_destination(self.shell.labels.printer(kind)) for kind in kinds}
        folders = {Path(unquote(urlparse(link).path)).parent for _, link in where.values() if link.startswith("file:")}
        if len(folders) == 1 and all(link.startswith("file:") for _, link in where.values()):
            # every kind to its own PDF folder under one parent: name the parent, once
            words, link = label_destination(next(iter(folders)).as_uri())
            shown = f'<a href="{link}">{words}</a>'
        else:
            shown = " · ".join(f"{kinds[kind]} → " + (f'<a href="{link}">{words}</a>' if link else words)
                               for kind, (words, link) in where.items())
        text = self.tr("Labels: %1").replace("%1", shown)
        self.printer.setOpenExternalLinks(True)
        self.printer.setToolTip("\n".join(f"{kinds[kind]}: {words}" for kind, (words, _) in where.items()))
        if status.labels_failed:
            text += " · " + self.tr("%1 failed").replace("%1", str(status.labels_failed))
            self.printer.setStyleSheet("color: #b03a2e; font-weight: 600;")
        elif status.labels_queued:
            text += " · " + self.tr("%1 waiting").replace("%1", str(status.labels_queued))
            self.printer.setStyleSheet("color: #8a6100;")
        else:
            self.printer.setStyleSheet("")
        self.printer.setText(text)
