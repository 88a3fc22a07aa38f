"""Supervisor analytics figures: the dashboard over 1,000,000 returns, and the PDF report.

Targets (issue 8): dashboard <= 1 s on PostgreSQL and <= 2 s on SQLite at 1M returns; a
12-page PDF report <= 3 s. The data set is bench/bigdb's 1M-RMA / 3M-unit SQLite file,
copied (bigdb's file is not touched) and completed with what analytics read: reasons and
shipping costs, grades and dispositions for 2 units in 3, one inspection per graded unit,
a resolution for every other parcel, suppliers and values, and daily sales per SKU. Everything
is added with INSERT ... SELECT inside SQLite, so the copy takes seconds, not minutes. The same
rows are copied into a PostgreSQL database (``RMA_BENCH_PG_URL``, default the local server)
once and reused. Both copies are upgraded to the current schema on every run.

The dashboard reads the per-day analytics summaries (``station.analytics.summary``). Reported
per backend: the summaries' initial full build over all 1M returns (one sample: it is the
one-off cost after an upgrade), an incremental refresh after 1,000 new returns (and one after
10 late inspections of old units on 10 different days), each run in a transaction that is
rolled back so the cached databases stay as they were, then the dashboard (refresh + figures)
over the whole history and the last 8 weeks, median of 3 after a warm-up.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import statistics
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.engine import make_url

from bench import Figure, figure
from bench.bigdb import BASE, DATA, build
from station.analytics import AnalyticsService, Period, build_dashboard, refresh
from station.core.context import Actor, StationContext
from station.core.db import make_engine, make_session_factory, upgrade
from station.core.identifiers import make_lpn, make_rma_number
from station.models import (
    Grade,
    Inspection,
    Operator,
    Product,
    Receipt,
    ReceiptStatus,
    RequestedResolution,
    Resolution,
    ResolutionKind,
    Rma,
    RmaLine,
    RmaState,
    Role,
    Unit,
    UnitState,
)

PG_URL = os.environ.get("RMA_BENCH_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres")
TS = "'%Y-%m-%d %H:%M:%f000'"
ACTOR = Actor(id=uuid.UUID(int=1), badge="BENCH", name="bench", role=Role.SUPERVISOR)
TABLES = ("products", "operators", "rmas", "rma_lines", "receipts", "units", "inspections", "resolutions", "sales")
COMPLETE = [
    "UPDATE products SET supplier = 'Supplier ' || (rowid % 12), unit_value = 20 + (rowid % 50) * 10",
    "UPDATE rmas SET return_shipping_cost = 10 + (rowid % 13), reason_code = CASE (rowid * 7919) % 20 "
    "WHEN 0 THEN 'defective' WHEN 1 THEN 'defective' WHEN 2 THEN 'damaged' WHEN 3 THEN 'not_as_described' "
    "WHEN 4 THEN 'wrong_item_sent' WHEN 5 THEN 'changed_mind' WHEN 6 THEN 'changed_mind' "
    "WHEN 7 THEN 'late_delivery' ELSE 'size' END",
    "UPDATE units SET grade = CASE WHEN (rowid * 31) % 20 < 9 THEN 'A' WHEN (rowid * 31) % 20 < 14 THEN 'B' "
    "WHEN (rowid * 31) % 20 < 17 THEN 'C' ELSE 'D' END WHERE rowid % 3 != 0",
    "UPDATE units SET state = 'dispositioned', disposition = CASE grade WHEN 'A' THEN 'restock' "
    "WHEN 'B' THEN 'restock' WHEN 'C' THEN 'refurbish' ELSE CASE rowid % 3 WHEN 0 THEN 'scrap' "
    "WHEN 1 THEN 'return_to_vendor' ELSE 'recycle' END END WHERE grade IS NOT NULL",
    "INSERT INTO inspections (unit_id, inspector_id, checklist_id, checklist_version, started_at, finished_at, "
    "answers, answer_times, computed_grade, grade, override_reason, overridden_by, flags, "
    "recommended_disposition, disposition_rule, notes, id, station_id, created_at, updated_at, version) "
    f"SELECT u.id, :op, 'apparel', 1, r.received_at, strftime({TS}, r.received_at, "
    "'+' || (2 + (u.rowid * 13) % 70) || ' hours'), '{}', '{}', u.grade, u.grade, '', NULL, '[]', "
    "u.disposition, 'bench', '', lower(hex(randomblob(16))), 'DOCK01', r.received_at, r.received_at, 1 "
    "FROM units u JOIN receipts r ON r.id = u.receipt_id WHERE u.grade IS NOT NULL",
    "INSERT INTO resolutions (rma_id, kind, gross_amount, fee_amount, amount, currency, breakdown, reason, "
    "issued_by, issued_at, id, station_id, created_at, updated_at, version) "
    "SELECT r.rma_id, CASE r.rowid % 10 WHEN 0 THEN 'exchange' ELSE 'refund' END, 396, 0, "
    "CASE r.rowid % 10 WHEN 0 THEN 0 ELSE 396 END, 'CNY', '[]', '', :op, "
    f"strftime({TS}, r.received_at, '+' || (80 + r.rowid % 60) || ' hours'), lower(hex(randomblob(16))), "
    "'DOCK01', r.received_at, r.received_at, 1 FROM receipts r WHERE r.rowid % 2 = 0",
    "WITH RECURSIVE d(day) AS (SELECT date(:first) UNION ALL SELECT date(day, '+1 day') FROM d "
    "WHERE day < date(:last)) INSERT INTO sales (sku, sold_on, channel, units, source, imported_at) "
    "SELECT p.sku, d.day, '', 400 + ((p.rowid * 37 + julianday(d.day)) % 300), 'bench', :now "
    "FROM products p, d",
]


def analytics_db(rmas: int) -> tuple[Path, float]:
    """bigdb's file, copied and completed for analytics (cached next to it)."""
    path = DATA / f"analytics-{rmas}.sqlite"
    if path.exists():
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)  # schema changes since the copy was made (e.g. the analytics summaries)
        engine.dispose()
        return path, 0.0
    source, _ = build(rmas)
    started = time.perf_counter()
    tmp = path.with_suffix(".building")
    shutil.copyfile(source, tmp)
    engine = make_engine(f"sqlite:///{tmp}")
    upgrade(engine)  # adds the sales table (and anything newer) to the copy
    engine.dispose()
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    op = conn.execute("SELECT id FROM operators LIMIT 1").fetchone()[0]
    first, last = conn.execute("SELECT date(min(received_at)), date(max(received_at)) FROM receipts").fetchone()
    params = {"op": op, "first": first, "last": last, "now": BASE.strftime("%Y-%m-%d %H:%M:%S.000000")}
    for statement in COMPLETE:
        conn.execute(statement, {k: v for k, v in params.items() if f":{k}" in statement})
    conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    tmp.rename(path)
    return path, time.perf_counter() - started


def pg_copy(sqlite_path: Path, rmas: int) -> str | None:
    """The same rows in PostgreSQL, built once (COPY) and reused; None without a server."""
    name = f"rma_bench_analytics_{rmas}"
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:  # noqa: BLE001 - no server: the PostgreSQL figures are skipped
        return None
    finally:
        admin.dispose()
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as conn:
        if conn.scalar(text("SELECT count(*) FROM rmas")) == rmas:
            engine.dispose()
            return url
    source = sqlite3.connect(sqlite_path)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SET TIME ZONE 'UTC'")
        # the summaries' state too: copied rows keep old updated_at, so the next refresh rebuilds
        cur.execute("TRUNCATE " + ", ".join(TABLES) + ", analytics_state CASCADE")
        for table in TABLES:
            columns = [r[1] for r in source.execute(f"PRAGMA table_info({table})")]
            bools = {r[1] for r in source.execute(f"PRAGMA table_info({table})") if r[2] == "BOOLEAN"}
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in source.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                    copy.write_row([bool(v) if c in bools and v is not None else v for c, v in zip(columns, row)])
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        source.close()
        engine.dispose()
    return url


def _time_dashboard(url: str, period: Period, runs: int = 3) -> tuple[float, int]:
    engine = make_engine(url)
    service = AnalyticsService(StationContext(make_session_factory(engine)))
    service.dashboard(ACTOR, period)  # warm caches and the statement cache
    samples, returned = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        returned = service.dashboard(ACTOR, period).overall.returned
        samples.append(time.perf_counter() - started)
    engine.dispose()
    return statistics.median(samples), returned


def _full_build(url: str) -> tuple[float, int]:
    engine = make_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:
        report = refresh(conn, full=True)
    engine.dispose()
    return time.perf_counter() - started, report.days


def _new_returns(conn: Connection, count: int, now: dt.datetime) -> None:
    """``count`` new RMAs received today: 3 units each, 2 in 3 inspected, every other resolved."""
    op = conn.scalar(select(Operator.id).limit(1))
    products = list(conn.execute(select(Product.id, Product.sku).limit(200)))
    rmas, lines, receipts, units, inspections, resolutions = [], [], [], [], [], []
    for n in range(count):
        rid, lid, rcid = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        pid, sku = products[n % len(products)]
        at = now - dt.timedelta(minutes=n % 600)
        base = dict(station_id="BENCH", created_at=now, updated_at=now, version=1)
        rmas.append(dict(id=rid, number=make_rma_number(90_000_000 + n), order_number=f"SO-B{n}",
                         customer_ref="C-B", customer_name="Bench", reason_code=("size", "defective")[n % 2],
                         requested_resolution=RequestedResolution.REFUND, authorised_at=at,
                         deadline=(at + dt.timedelta(days=30)).date(), state=RmaState.RECEIVED,
                         return_shipping_cost=12, **base))
        lines.append(dict(id=lid, rma_id=rid, line_no=1, product_id=pid, sku=sku, quantity=3, unit_price=99, **base))
        receipts.append(dict(id=rcid, rma_id=rid, scanned_code=f"B{n}", received_at=at, received_by=op,
                             status=ReceiptStatus.RECEIVED, **base))
        for k in range(3):
            uid = uuid.uuid4()
            graded = k < 2
            units.append(dict(id=uid, lpn=make_lpn(9, 5_000_000 + n * 3 + k), receipt_id=rcid, rma_line_id=lid,
                              product_id=pid, quantity=1, grade=Grade.B if graded else None,
                              state=UnitState.RECEIVED, **base))
            if graded:
                inspections.append(dict(id=uuid.uuid4(), unit_id=uid, inspector_id=op, checklist_id="apparel",
                                        checklist_version=1, started_at=at, finished_at=at + dt.timedelta(minutes=30),
                                        grade=Grade.B, **base))
        if n % 2 == 0:
            resolutions.append(dict(id=uuid.uuid4(), rma_id=rid, kind=ResolutionKind.REFUND, amount=99,
                                    gross_amount=99, issued_by=op, issued_at=at + dt.timedelta(hours=1), **base))
    for model, rows in ((Rma, rmas), (RmaLine, lines), (Receipt, receipts), (Unit, units),
                        (Inspection, inspections), (Resolution, resolutions)):
        if rows:
            conn.execute(insert(model), rows)


def _late_inspections(conn: Connection, days: int, now: dt.datetime) -> None:
    """One new inspection of an old unit on each of ``days`` different old days."""
    op = conn.scalar(select(Operator.id).limit(1))
    first, last = conn.execute(select(func.min(Receipt.received_at), func.max(Receipt.received_at))).one()
    step = (last - first) / (days + 1)
    rows = []
    for d in range(days):
        lower = first + step * (d + 0.5)
        unit_id = conn.scalar(select(Unit.id).join(Receipt, Receipt.id == Unit.receipt_id)
                              .where(Receipt.received_at >= lower).order_by(Receipt.received_at).limit(1))
        rows.append(dict(id=uuid.uuid4(), unit_id=unit_id, inspector_id=op, checklist_id="apparel",
                         checklist_version=1, started_at=lower, finished_at=lower + dt.timedelta(hours=1),
                         grade=Grade.C, station_id="BENCH", created_at=now, updated_at=now, version=1))
    conn.execute(insert(Inspection), rows)


def _incremental(url: str, change: str) -> tuple[float, int]:
    """Refresh after a change, in a transaction rolled back afterwards (the cache stays clean)."""
    engine = make_engine(url)
    with engine.begin() as conn:  # bring the summaries up to date first
        refresh(conn)
    now = dt.datetime.now(dt.UTC)
    with engine.connect() as conn:
        conn.begin()
        if change == "new_returns":
            _new_returns(conn, 1000, now)
        else:
            _late_inspections(conn, 10, now)
        started = time.perf_counter()
        report = refresh(conn, now + dt.timedelta(seconds=1))
        seconds = time.perf_counter() - started
        conn.rollback()
    engine.dispose()
    return seconds, report.days


def run(quick: bool = False) -> Iterator[Figure]:
    rmas = 20_000 if quick else 1_000_000
    path, built = analytics_db(rmas)
    if built:
        yield figure("analytics.build_db", built, "s", rmas=rmas)
    sqlite_url = f"sqlite:///{path}"
    conn = sqlite3.connect(path)
    first, last = conn.execute("SELECT date(min(received_at)), date(max(received_at)) FROM receipts").fetchone()
    conn.close()
    whole = Period.parse(first, last)
    recent = Period.last_weeks(whole.end, 8)
    targets = [("sqlite", sqlite_url, 2.0)]
    started = time.perf_counter()
    pg_url = pg_copy(path, rmas)
    if pg_url:
        copied = time.perf_counter() - started
        if copied > 5:
            yield figure("analytics.pg_copy", copied, "s", rmas=rmas)
        targets.append(("postgresql", pg_url, 1.0))
    for dialect, url, target in targets:
        seconds, days = _full_build(url)
        yield figure(f"analytics.summaries.{dialect}.full_build", seconds, "s", days=days, rmas=rmas)
        for change in ("new_returns", "late_inspections"):
            seconds, days = _incremental(url, change)
            yield figure(f"analytics.summaries.{dialect}.refresh_after_{change}", seconds, "s",
                         days_recomputed=days, change="1,000 new returns" if change == "new_returns"
                         else "10 late inspections of old units on 10 days", rmas=rmas)
        for label, period in (("all", whole), ("8_weeks", recent)):
            seconds, returned = _time_dashboard(url, period)
            yield figure(f"analytics.dashboard.{dialect}.{label}", seconds, "s", target_s=target,
                         returned_units=returned, rmas=rmas, period=str(period))
    yield from _report(sqlite_url, recent)


def _report(url: str, period: Period) -> Iterator[Figure]:
    from ui.supervisor.report_pdf import render_report

    engine = make_engine(url)
    with engine.connect() as conn:
        dashboard = build_dashboard(conn, period, top_skus=200)
    engine.dispose()
    samples, pages = [], 0
    for _ in range(3):
        started = time.perf_counter()
        pdf = render_report(dashboard, station="BENCH", generated="bench")
        samples.append(time.perf_counter() - started)
        pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ")
    yield figure("analytics.report_pdf", statistics.median(samples), "s", pages=pages, target_s=3.0,
                 sku_rows=len(dashboard.by_sku), bytes=len(pdf))
