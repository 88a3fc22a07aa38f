"""Day sheets as print jobs, asked of the station service the sheets view and ``rma-station
sheet`` share: rows per day and category, one line for a request that cannot be printed, the
history and a reprint of the same bytes, each call checked against the operator's record."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select, update

from station.core.errors import InvalidInput, SessionEnded
from station.models import LabelJob, Operator
from station.supervision.sheet_jobs import SheetRequest, SheetService, sheet_days
from tests.helpers.builders import NOW
from tests.station.supervision_desk import make_desk

TODAY = NOW.date()
PRINTER = "file:///tmp/sheets"


@pytest.fixture
def desk(session_factory):
    return make_desk(session_factory)


@pytest.fixture
def service(desk):
    return SheetService(desk.dock.qc.ctx)


def jobs(desk) -> int:
    with desk.dock.sf() as db:
        return db.scalar(select(func.count()).select_from(LabelJob))


def test_a_days_scrap_sheet_lists_the_scrapped_unit_and_a_category_narrows_it(desk, service):
    boss = desk.dock.supervisor
    scrap = SheetRequest("scrap", TODAY, TODAY)
    assert [r.lpn for r in service.rows(boss, scrap, TODAY)] == [desk.scrapped]
    assert service.rows(boss, dataclasses.replace(scrap, category="small_appliances"), TODAY)[0].lpn == desk.scrapped
    assert service.rows(boss, dataclasses.replace(scrap, category="apparel"), TODAY) == []
    week = SheetRequest("scrap", TODAY - dt.timedelta(days=6), TODAY)
    assert len(sheet_days(week)) == 7 and service.count(boss, week) == 1
    assert {"apparel", "shoes", "small_appliances"} <= set(service.categories(boss))


@pytest.mark.parametrize(("request_", "words"), [
    (SheetRequest("invoice", TODAY, TODAY), "'invoice' is not a sheet"),
    (SheetRequest("scrap", TODAY, TODAY - dt.timedelta(days=1)), "The last day is before the first."),
    (SheetRequest("scrap", TODAY - dt.timedelta(days=93), TODAY), "at most 93 days"),
    (SheetRequest("receiving", TODAY, TODAY, category="apparel"), "lists parcels, not units"),
])
def test_a_request_that_cannot_be_printed_says_why_in_one_line_and_queues_nothing(desk, service, request_, words):
    with pytest.raises(InvalidInput, match=words):
        service.queue(desk.dock.supervisor, request_, TODAY, 0, b"%PDF-1.4", PRINTER)
    assert jobs(desk) == 0


def test_a_queued_sheet_is_in_the_history_and_a_reprint_sends_the_same_bytes(desk, service):
    boss = desk.dock.supervisor
    request = SheetRequest("scrap", TODAY, TODAY, category="small_appliances")
    printed = service.queue(boss, request, TODAY, 1, b"%PDF-1.4 signed", PRINTER)
    [row] = service.history(boss)
    assert (row.job_id, row.kind, row.subject, row.rows) == (
        printed.job_id, "scrap_sheet", f"{TODAY.isoformat()} - small_appliances", 1)
    again = service.reprint(boss, printed.job_id, PRINTER)
    with desk.dock.sf() as db:
        original, copy = db.get(LabelJob, printed.job_id), db.get(LabelJob, again)
        assert copy.payload == original.payload and copy.data["reprint_of"] == str(printed.job_id)


def test_an_operator_blocked_while_signed_in_can_no_longer_print_sheets(desk, service):
    clerk = desk.dock.clerk
    assert service.rows(clerk, SheetRequest("scrap", TODAY, TODAY), TODAY)  # clerks print sheets too
    with desk.dock.sf.begin() as db:
        db.execute(update(Operator).where(Operator.id == clerk.id).values(active=False))
    with pytest.raises(SessionEnded):
        service.queue(clerk, SheetRequest("scrap", TODAY, TODAY), TODAY, 1, b"%PDF-1.4", PRINTER)
    assert jobs(desk) == 0
