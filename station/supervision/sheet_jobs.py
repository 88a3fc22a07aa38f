"""The supervisor's day sheets as print jobs: what a day's sheet lists, queuing it, reprinting it.

One sheet per day (the sheets are day sheets: "Page N of M" and signatures per day), so a
month of scrap is 30 jobs. Rendering is ``labels``' business (station never imports it): the
caller asks ``rows`` for each day of ``sheet_days(request)``, renders them, and hands the bytes
to ``queue``. A sheet's rendered bytes stay in the print queue's job row, so a reprint sends
exactly what was signed, not today's data. Every call checks the operator may print.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog.categories import product_categories
from station.core.context import Actor, StationContext
from station.core.errors import InvalidInput, NotFound
from station.core.permissions import Permission
from station.core.services import Service
from station.models import LabelJob, Product, Unit
from station.supervision import sheets
from station.supervision.printing import PrintQueue

log = logging.getLogger(__name__)

MAX_DAYS = 93


@dataclass(frozen=True)
class SheetKind:
    title: str
    rows: Callable[..., Sequence[Any]]
    """``rows(session, day, tz=...)``: the day's rows (``station.supervision.sheets``)."""
    by_unit: bool = True
    """Rows name a unit (``lpn``), so a category can narrow them."""


KINDS: dict[str, SheetKind] = {
    "scrap": SheetKind("Scrap sheet", sheets.scrap_rows),
    "relabel": SheetKind("Relabel sheet", sheets.relabel_rows),
    "receiving": SheetKind("Daily receiving summary", sheets.receiving_rows, by_unit=False),
}
BATCH_KINDS = ("scrap", "relabel")
"""The sheets printed in batches from the desk (and kept in the print history)."""


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


def check_request(request: SheetRequest) -> None:
    """One clear line for a request that cannot be printed; nothing is queued."""
    if request.kind not in KINDS:
        raise InvalidInput(f"{request.kind!r} is not a sheet; choose {', '.join(KINDS)}.")
    if request.category and not KINDS[request.kind].by_unit:
        raise InvalidInput(f"The {KINDS[request.kind].title.lower()} lists parcels, not units of a category.")
    if request.last < request.first:
        raise InvalidInput("The last day is before the first.", next_step="Swap the dates.")
    if (request.last - request.first).days + 1 > MAX_DAYS:
        raise InvalidInput(f"Print at most {MAX_DAYS} days of sheets at once.")


def sheet_days(request: SheetRequest) -> list[dt.date]:
    """The days the request covers, one sheet each (checked first)."""
    check_request(request)
    return [request.first + dt.timedelta(days=n) for n in range((request.last - request.first).days + 1)]


def sheet_subject(request: SheetRequest, day: dt.date) -> str:
    """The sheet's day and category, as the print history names it."""
    return f"{day.isoformat()}{' - ' + request.category if request.category else ''}"[:64]


class SheetService(Service):
    """Day sheets for the desk and the command line, queued on ``queue``. ``tz`` is the time
    zone a day is counted in (the dock's "today")."""

    def __init__(self, ctx: StationContext, queue: PrintQueue | None = None, tz: str = "UTC") -> None:
        super().__init__(ctx)
        self.queue_ = queue or PrintQueue(ctx.session_factory, station_id=ctx.station_id, clock=ctx.clock)
        self.tz = tz

    def categories(self, actor: Actor) -> list[str]:
        """The product categories a sheet can be narrowed to."""
        self.require(actor, Permission.PRINT)
        with self.reading() as db:
            return product_categories(db)

    def rows(self, actor: Actor, request: SheetRequest, day: dt.date) -> list[Any]:
        """What the request's sheet lists for ``day``, narrowed to its category."""
        self.require(actor, Permission.PRINT)
        check_request(request)
        with self.reading() as db:
            return self._rows(db, request, day)

    def count(self, actor: Actor, request: SheetRequest) -> int:
        """How many rows the chosen sheets would list (the preview before printing)."""
        self.require(actor, Permission.PRINT)
        with self.reading() as db:
            return sum(len(self._rows(db, request, day)) for day in sheet_days(request))

    def _rows(self, db: Session, request: SheetRequest, day: dt.date) -> list[Any]:
        rows = list(KINDS[request.kind].rows(db, day, tz=self.tz))
        if request.category and rows:
            lpns = [r.lpn for r in rows]
            keep = set(db.scalars(select(Unit.lpn).join(Product, Product.id == Unit.product_id)
                                  .where(Unit.lpn.in_(lpns), Product.category == request.category)))
            rows = [r for r in rows if r.lpn in keep]
        return rows

    def queue(self, actor: Actor, request: SheetRequest, day: dt.date, rows: int, pdf: bytes,
              printer: str) -> PrintedSheet:
        """Queue one rendered day sheet on ``printer``; the history shows it with its row count."""
        self.require(actor, Permission.PRINT)
        check_request(request)
        job = self.queue_.enqueue(
            kind=f"{request.kind}_sheet", printer=printer, fmt="pdf", payload=pdf,
            subject=sheet_subject(request, day), requested_by=actor.id,
            data={"day": day.isoformat(), "rows": rows, "category": request.category},
        )
        return PrintedSheet(job, day, rows)

    def history(self, actor: Actor, limit: int = 100) -> list[HistoryRow]:
        """Batch sheets printed or queued before, newest first (what a reprint picks from)."""
        self.require(actor, Permission.PRINT)
        with self.reading() as db:
            jobs = db.execute(
                select(LabelJob.id, LabelJob.kind, LabelJob.subject, LabelJob.data, LabelJob.state,
                       LabelJob.created_at, LabelJob.printed_at)
                .where(LabelJob.kind.in_([f"{k}_sheet" for k in BATCH_KINDS]))
                .order_by(LabelJob.created_at.desc(), LabelJob.id).limit(limit)
            ).all()
        return [HistoryRow(i, k, s, int((d or {}).get("rows", 0)), getattr(st, "value", st), c, p)
                for i, k, s, d, st, c, p in jobs]

    def reprint(self, actor: Actor, job_id: uuid.UUID, printer: str) -> uuid.UUID:
        """Queue the same bytes again as a new job (the original keeps its history)."""
        self.require(actor, Permission.PRINT)
        with self.reading() as db:
            job = db.get(LabelJob, job_id)
            if job is None or not job.kind.endswith("_sheet"):
                raise NotFound("No such sheet in the print history.")
            payload, kind, subject, data = job.payload, job.kind, job.subject, dict(job.data or {})
        data["reprint_of"] = str(job_id)
        return self.queue_.enqueue(kind=kind, printer=printer, fmt="pdf", payload=payload,
                                   subject=subject, requested_by=actor.id, data=data)
