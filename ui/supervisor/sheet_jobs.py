"""Batch sheet printing for the supervisor's sheets view: render each day's sheet and queue it.

What a sheet lists, the checks and the queue are ``station.supervision.sheet_jobs``; this
only joins them with the ``labels`` renderers (which station/ never imports). No Qt here: the
sheets view runs ``print_batch`` in the background with a progress callback, so the bar moves
per sheet.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable

from labels import sheet_data
from labels.sheets import render_receiving_sheet, render_relabel_sheet, render_scrap_sheet
from station.core.context import Actor
from station.supervision.sheet_jobs import KINDS, HistoryRow, PrintedSheet, SheetRequest, SheetService, sheet_days

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
RENDERERS = {"scrap": render_scrap_sheet, "relabel": render_relabel_sheet, "receiving": render_receiving_sheet}


def render_sheet(request: SheetRequest, day: dt.date, rows: list[object], station_id: str) -> bytes:
    """One day's sheet as PDF, titled with its kind and category."""
    suffix = f" - {request.category}" if request.category else ""
    header = sheet_data.SheetHeader(KINDS[request.kind].title + suffix, day.isoformat(), station_id,
                                    dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
    return RENDERERS[request.kind](header, rows, paper=request.paper)  # type: ignore[operator]


class SheetPrinter:
    """Renders day sheets and queues them on ``printer`` (a printer URI)."""

    def __init__(self, service: SheetService, printer: str, station_id: str) -> None:
        self.service, self.printer, self.station_id = service, printer, station_id

    def categories(self, actor: Actor) -> list[str]:
        return self.service.categories(actor)

    def history(self, actor: Actor) -> list[HistoryRow]:
        return self.service.history(actor)

    def print_batch(self, actor: Actor, request: SheetRequest, progress: Progress | None = None) -> list[PrintedSheet]:
        """Render and queue one sheet per day; ``progress(done, total)`` after each day."""
        days = sheet_days(request)
        done: list[PrintedSheet] = []
        for index, day in enumerate(days, start=1):
            rows = self.service.rows(actor, request, day)
            if rows or not request.skip_empty:
                pdf = render_sheet(request, day, rows, self.station_id)
                done.append(self.service.queue(actor, request, day, len(rows), pdf, self.printer))
            if progress is not None:
                progress(index, len(days))
        log.info("queued %d %s sheets (%s to %s)", len(done), request.kind, request.first, request.last)
        return done

    def reprint(self, actor: Actor, job_id: uuid.UUID) -> uuid.UUID:
        return self.service.reprint(actor, job_id, self.printer)
