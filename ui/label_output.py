"""Labels from the window to the persistent print queue (never straight to a printer).

Called inside background operations: rendering and queueing run on the write executor, and
the spooler thread (``ui.spooler``) sends queued jobs to printers. A printer URI left empty
in settings prints into the ``labels`` folder of the data dir, so a fresh station still
produces every label.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from pathlib import Path

from labels import DispositionLabel, LpnLabel
from station.core import paths
from station.core.settings import Settings
from station.receiving.views import UnitView
from ui.spooler import Spooler

log = logging.getLogger(__name__)


def default_folder(kind: str) -> Path:
    """Where a kind of label goes when its printer setting is empty (the settings say so too)."""
    return paths.data_dir() / "labels" / kind


def destination_of(setting: str, kind: str) -> str:
    """The printer URI a kind of label really goes to, for a printer setting as typed."""
    return setting.strip() or default_folder(kind).as_uri()


class LabelOutput:
    def __init__(self, spooler: Spooler, settings: Settings, station_id: str) -> None:
        self.spooler = spooler
        self.settings = settings
        self.station_id = station_id

    def printer(self, kind: str) -> str:
        uri = self.settings.printer_for(kind)
        if uri:
            return uri
        folder = default_folder(kind)
        folder.mkdir(parents=True, exist_ok=True)
        return folder.as_uri()

    def print_lpns(self, rma_number: str, units: Sequence[UnitView], when: dt.datetime) -> uuid.UUID | None:
        """One LPN label per unit, as one job (one trip to the printer)."""
        if not units:
            return None
        day = when.astimezone().strftime("%Y-%m-%d")
        labels = [
            LpnLabel(lpn=u.lpn, rma_number=rma_number, sku=u.sku, description=u.name_en or u.sku,
                     received_on=day, station=self.station_id, serial=u.serial, came_back=u.came_back,
                     lot=u.lot, expiry=u.expiry.isoformat() if u.expiry else "")
            for u in units
        ]
        return self.spooler.submit_labels(labels, printer=self.printer("lpn"), kind="lpn",
                                          subject=rma_number)

    def print_disposition(self, label: DispositionLabel) -> uuid.UUID:
        return self.spooler.submit_labels([label], printer=self.printer("disposition"),
                                          kind="disposition", subject=label.lpn)

