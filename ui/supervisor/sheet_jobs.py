"""Batch sheet printing for the supervisor: choose days, kind and category, render each day's
sheet with the labels renderers and queue it in the persistent print queue; reprint later.

No Qt here: the sheets view runs ``print_batch`` in the background with a progress callback.
One sheet per day (the sheets are day sheets: "Page N of M" and signatures per day), so a
month of scrap is 30 jobs and the progress bar moves per sheet. A sheet's rendered bytes stay
in the queue's job row, so a reprint sends exactly what was signed, not today's data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from labels import sheet_data
from labels.sheets import render_relabel_sheet, render_scrap_sheet
from station.core.context import Actor
from station.core.errors import InvalidInput, NotFound
from station.core.permissions import Permission, require
from station.models import LabelJob, Product, Unit
from station.supervision import sheets
from station.supervision.printing import PrintQueue

log = logging.getLogger(__name__)

KINDS = {
    "scrap": ("Scrap sheet", sheets.scrap_rows, sheet_data.ScrapRow, render_scrap_sheet),
    "relabel": ("Relabel sheet", sheets.relabel_rows, sheet_data.RelabelRow, render_relabel_sheet),
}
MAX_DAYS = 93
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SheetRequest:
    kind: str
    first: dt.date
    last: dt.date
    category: str = ""  # empty: every category
    paper: str = "a4"
    skip_empty: bool = True


@dataclass(frozen=True)
class PrintedSheet:
    job_id: uuid.UUID
    day: dt.date
    rows: int


@dataclass(frozen=True)
class HistoryRow:
    job_id: uuid.UUID
    kind: str
    subject: str
    rows: int
    state: str
    created_at: dt.datetime
    printed_at: dt.datetime | None


class SheetPrinter:
    """Renders day sheets and queues them on ``printer`` (a printer URI)."""

    def __init__(self, session_factory: sessionmaker[Session], queue: PrintQueue, printer: str,
                 station_id: str, tz: str = "UTC") -> None:
        self.sessions, self.queue, self.printer = session_factory, queue, printer
        self.station_id, self.tz = station_id, tz

    def categories(self) -> list[str]:
        with self.sessions() as db:
            return sorted(c for c in db.scalars(select(Product.category).distinct()) if c)

    def _rows(self, db: Session, request: SheetRequest, day: dt.date) -> list[object]:
        _, query, row_type, _ = KINDS[request.kind]
        rows = query(db, day, tz=self.tz)
        if request.category and rows:
            lpns = [r.lpn for r in rows]
            keep = set(db.scalars(select(Unit.lpn).join(Product, Product.id == Unit.product_id)
                                  .where(Unit.lpn.in_(lpns), Product.category == request.category)))
            rows = [r for r in rows if r.lpn in keep]
        return [row_type(**dataclasses.asdict(r)) for r in rows]

    def count(self, request: SheetRequest) -> int:
        """How many units the chosen sheets would list (the preview before printing)."""
        _check(request)
        with self.sessions() as db:
            return sum(len(self._rows(db, request, day)) for day in _days(request))

    def print_batch(self, actor: Actor, request: SheetRequest, progress: Progress | None = None) -> list[PrintedSheet]:
        """Render and queue one sheet per day; ``progress(done, total)`` after each day."""
        require(actor, Permission.PRINT)
        _check(request)
        title, _, _, render = KINDS[request.kind]
        days = _days(request)
        done: list[PrintedSheet] = []
        for index, day in enumerate(days, start=1):
            with self.sessions() as db:
                rows = self._rows(db, request, day)
            if rows or not request.skip_empty:
                suffix = f" - {request.category}" if request.category else ""
                header = sheet_data.SheetHeader(title + suffix, day.isoformat(), self.station_id,
                                                dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
                pdf = render(header, rows, paper=request.paper)  # type: ignore[arg-type]
                job = self.queue.enqueue(
                    kind=f"{request.kind}_sheet", printer=self.printer, fmt="pdf", payload=pdf,
                    subject=f"{day.isoformat()}{suffix}"[:64], requested_by=actor.id,
                    data={"day": day.isoformat(), "rows": len(rows), "category": request.category},
                )
                done.append(PrintedSheet(job, day, len(rows)))
            if progress is not None:
                progress(index, len(days))
        log.info("queued %d %s sheets (%s to %s)", len(done), request.kind, request.first, request.last)
        return done

    def history(self, limit: int = 100) -> list[HistoryRow]:
        """Sheets printed or queued before, newest first (what a reprint picks from)."""
        with self.sessions() as db:
            jobs = db.execute(
                select(LabelJob.id, LabelJob.kind, LabelJob.subject, LabelJob.data, LabelJob.state,
                       LabelJob.created_at, LabelJob.printed_at)
                .where(LabelJob.kind.in_([f"{k}_sheet" for k in KINDS]))
                .order_by(LabelJob.created_at.desc(), LabelJob.id).limit(limit)
            ).all()
        return [HistoryRow(i, k, s, int((d or {}).get("rows", 0)), getattr(st, "value", st), c, p)
                for i, k, s, d, st, c, p in jobs]

    def reprint(self, actor: Actor, job_id: uuid.UUID) -> uuid.UUID:
        """Queue the same bytes again as a new job (the original keeps its history)."""
        require(actor, Permission.PRINT)
        with self.sessions() as db:
            job = db.get(LabelJob, job_id)
            if job is None or not job.kind.endswith("_sheet"):
                raise NotFound("No such sheet in the print history.")
            payload, kind, subject, data = job.payload, job.kind, job.subject, dict(job.data or {})
        data["reprint_of"] = str(job_id)
        return self.queue.enqueue(kind=kind, printer=self.printer, fmt="pdf", payload=payload,
                                  subject=subject, requested_by=actor.id, data=data)


def _check(request: SheetRequest) -> None:
    if request.kind not in KINDS:
        raise InvalidInput(f"{request.kind!r} is not a sheet; choose scrap or relabel.")
    if request.last < request.first:
        raise InvalidInput("The last day is before the first.", next_step="Swap the dates.")
    if (request.last - request.first).days + 1 > MAX_DAYS:
        raise InvalidInput(f"Print at most {MAX_DAYS} days of sheets at once.")


def _days(request: SheetRequest) -> list[dt.date]:
    return [request.first + dt.timedelta(days=n) for n in range((request.last - request.first).days + 1)]
