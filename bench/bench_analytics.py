"""Supervisor analytics figures: the dashboard over 1,000,000 returns, and the PDF report.

Targets (issue 8): dashboard <= 1 s on PostgreSQL and <= 2 s on SQLite at 1M returns; a
12-page PDF report <= 3 s. The data set is bench/bigdb's 1M-RMA / 3M-unit SQLite file,
copied (bigdb's file is not touched) and completed with what analytics read: reasons and
shipping costs, grades and dispositions for 2 units in 3, one inspection per graded unit,
a resolution for every other parcel, suppliers and values, and daily sales per SKU. Everything
is added with INSERT ... SELECT inside SQLite, so the copy takes seconds, not minutes. The same
rows are copied into a PostgreSQL database (``RMA_BENCH_PG_URL``, default the local server)
once and reused.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import Figure, figure
from bench.bigdb import BASE, DATA, build
from station.analytics import AnalyticsService, Period, build_dashboard
from station.context import Actor, StationContext
from station.db import make_engine, make_session_factory, upgrade
from station.models import Role

PG_URL = os.environ.get("RMA_BENCH_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres")
TS = "'%Y-%m-%d %H:%M:%f000'"
ACTOR = Actor(id=__import__("uuid").UUID(int=1), badge="BENCH", name="bench", role=Role.SUPERVISOR)
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
        cur.execute("TRUNCATE " + ", ".join(TABLES) + " CASCADE")
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
