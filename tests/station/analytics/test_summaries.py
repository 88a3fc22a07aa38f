"""The summary-backed figures equal the raw-table figures, and an incremental refresh equals a
full rebuild: on the fixed data set, on a seeded random history, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from station.analytics import CostRates, Dashboard, Period, build_dashboard, mark_dirty, refresh
from station.analytics.summary import SUMMARY_TABLES, runs_of
from station.models import Inspection, Receipt, Resolution, ResolutionKind, Rma, Unit
from tests.station.analytics.dataset import PERIOD, build
from tests.station.analytics.history import DAYS, START, build_history

RATES = CostRates(Decimal("6.50"))
T0 = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # every generated row's updated_at
HOUR = dt.timedelta(hours=1)


def same(a: Dashboard, b: Dashboard) -> None:
    """Equal figure for figure; cycle means may differ in float summation order only."""
    for f in dataclasses.fields(Dashboard):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "cycle":
            assert [(c.stage, c.units, c.p50_h, c.p90_h) for c in x] == [(c.stage, c.units, c.p50_h, c.p90_h) for c in y]
            assert [c.mean_h for c in x] == pytest.approx([c.mean_h for c in y], abs=2e-3)
        else:
            assert x == y, f.name


def check_periods(conn, periods) -> None:  # type: ignore[no-untyped-def]
    refresh(conn)
    for p in periods:
        same(build_dashboard(conn, p, rates=RATES, fresh=True, top_skus=1000),
             build_dashboard(conn, p, rates=RATES, raw=True, top_skus=1000))


def summaries(conn) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    """Summary contents without surrogate ids, sorted; money and hours rounded."""
    out = {}
    for t in SUMMARY_TABLES:
        cols = [c for c in t.c if c.name != "id"]
        rows = []
        for r in conn.execute(select(*cols)):
            rows.append(tuple(round(float(v), 6) if isinstance(v, (float, Decimal)) else str(v) for v in r))
        out[t.name] = sorted(rows)
    return out


def random_periods(seed: int, n: int = 8) -> list[Period]:
    rng = random.Random(seed)
    first = START.date() - dt.timedelta(days=3)
    out = [Period(first, first + dt.timedelta(days=DAYS + 10)), Period(START.date(), START.date()),
           Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31))]
    for _ in range(n):
        a = first + dt.timedelta(days=rng.randrange(DAYS))
        out.append(Period(a, a + dt.timedelta(days=rng.randrange(1, 40))))
    return out


class TestSummariesEqualRawFigures:
    def test_fixed_data_set(self, engine, session_factory):
        build(session_factory)
        with engine.connect() as conn:
            check_periods(conn, [PERIOD, Period(dt.date(2026, 10, 1), dt.date(2026, 11, 30)),
                                 Period(dt.date(2026, 11, 3), dt.date(2026, 11, 3)),
                                 Period(dt.date(2026, 11, 13), dt.date(2026, 11, 14))])

    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_random_history(self, engine, session_factory, seed):
        with session_factory.begin() as db:
            build_history(db, seed, T0)
        with engine.connect() as conn:
            check_periods(conn, random_periods(seed))


class TestIncrementalRefresh:
    def test_first_refresh_builds_then_nothing_changed_recomputes_nothing(self, engine, session_factory):
        with session_factory.begin() as db:
            build_history(db, 4, T0)
        with engine.begin() as conn:
            first = refresh(conn, T0 + HOUR)
            again = refresh(conn, T0 + 2 * HOUR)
        assert first.full and first.days > 30
        assert not again.full and again.days == 0

    @pytest.mark.parametrize("seed", [5, 6])
    def test_after_new_and_late_rows_equals_full_rebuild(self, engine, session_factory, seed):
        with session_factory.begin() as db:
            h = build_history(db, seed, T0)
        with engine.begin() as conn:
            assert refresh(conn, T0 + HOUR).full
        t1 = T0 + dt.timedelta(days=1)
        with session_factory.begin() as db:
            h.db, h.stamp = db, t1
            # new returns on the last days
            for _ in range(5):
                h.rma(day_from=DAYS - 2, days=2)
            # a late inspection of an old unit (received on day ~0-10)
            old = min((db.get(Unit, u.id) for u in h.units[:40]), key=lambda u: u.receipt.received_at)
            h.inspect(old, old.receipt.received_at + dt.timedelta(minutes=7))
            # a late resolution of an old RMA (all its parcels' days change)
            rma = db.get(Rma, h.rmas[3].id)
            h.resolve(rma, START + dt.timedelta(days=DAYS - 1))
            # a regraded, redispositioned old unit
            u = db.get(Unit, h.units[10].id)
            u.grade, u.disposition, u.updated_at = None, None, t1
            # an old RMA's shipping cost corrected
            r = db.get(Rma, h.rmas[7].id)
            r.return_shipping_cost, r.updated_at = Decimal("99.99"), t1
            # an unknown parcel from before an RMA's first parcel is matched to that RMA: the
            # RMA's cost moves from its old first day to the parcel's day
            target = db.get(Rma, h.rmas[12].id)
            unknown = h.parcel(None, min(rc.received_at for rc in target.receipts) - dt.timedelta(days=2))
            db.flush()
            # (a later stamp: re-assigning the same updated_at would let onupdate stamp the clock)
            unknown.rma_id, unknown.updated_at = target.id, t1 + dt.timedelta(minutes=1)
            changed_days = {old.receipt.received_at.date(), u.receipt.received_at.date()}
        with engine.begin() as conn:
            step = refresh(conn, t1 + HOUR)
            incremental = summaries(conn)
            assert not step.full
            assert 0 < step.days < 60
            assert changed_days <= set(_days_recomputed(conn, t1))
            full = refresh(conn, t1 + 2 * HOUR, full=True)
            assert full.full
            after = summaries(conn)
            for k in after:
                a, b = set(after[k]), set(incremental[k])
                assert a == b, (k, sorted(a - b), sorted(b - a))
        with engine.connect() as conn:
            check_periods(conn, random_periods(seed))

    def test_refresh_is_idempotent_and_takes_a_session(self, engine, session_factory):
        with session_factory.begin() as db:
            build_history(db, 8, T0)
        with session_factory.begin() as db:
            refresh(db, T0 + HOUR)
        with engine.connect() as conn:
            before = summaries(conn)
        with session_factory.begin() as db:  # make every row look changed: all days recomputed
            for model in (Receipt, Unit, Inspection, Resolution, Rma):
                db.execute(update(model).values(updated_at=T0 + 2 * HOUR).execution_options(synchronize_session=False))
        with engine.begin() as conn:
            report = refresh(conn, T0 + 3 * HOUR)
            assert not report.full and report.days > 30
            assert summaries(conn) == before

    def test_marked_days_are_recomputed_whatever_their_timestamps(self, engine, session_factory):
        with session_factory.begin() as db:
            h = build_history(db, 9, T0)
        with engine.begin() as conn:
            refresh(conn, T0 + HOUR)
        with session_factory.begin() as db:  # rows written with an old updated_at (a sync pull)
            h.db, h.stamp = db, T0 - dt.timedelta(days=30)
            h.rng.seed(99)
            rc = h.parcel(db.get(Rma, h.rmas[0].id), START + dt.timedelta(days=5, hours=3))
            day = rc.received_at.date()
            db.add(Resolution(rma_id=h.rmas[0].id, kind=ResolutionKind.REFUND, amount=Decimal("1.00"),
                              gross_amount=Decimal("1.00"), issued_by=h.inspector.id, issued_at=T0,
                              station_id="DOCK01", updated_at=T0 - dt.timedelta(days=30)))
        with engine.begin() as conn:
            assert refresh(conn, T0 + 2 * HOUR).days == 0  # not seen by the watermark ...
            mark_dirty(conn, [day])
            report = refresh(conn, T0 + 3 * HOUR)
            assert report.days == 1  # ... until its day is marked
            incremental = summaries(conn)
            refresh(conn, T0 + 4 * HOUR, full=True)
            # the resolution's other days were not marked: the marked day is right, the rest
            # is what a full rebuild gives for the days whose rows did not change
            assert [r for r in incremental["analytics_daily_products"] if r[0] == str(day)] == \
                   [r for r in summaries(conn)["analytics_daily_products"] if r[0] == str(day)]


def _days_recomputed(conn, t1):  # type: ignore[no-untyped-def]
    from station.analytics.summary import dirty_days

    return dirty_days(conn, t1 - dt.timedelta(minutes=1))


def test_runs_of_consecutive_days():
    d = dt.date(2026, 11, 1)
    days = [d, d + dt.timedelta(days=1), d + dt.timedelta(days=3), d + dt.timedelta(days=10), d + dt.timedelta(days=11)]
    assert runs_of(days) == [(d, d + dt.timedelta(days=1)), (d + dt.timedelta(days=3), d + dt.timedelta(days=3)),
                             (d + dt.timedelta(days=10), d + dt.timedelta(days=11))]


def test_cli_refresh(tmp_path, capsys):
    from ui.cli import main

    db = str(tmp_path / "s.sqlite")
    assert main(["db", "upgrade", "--db", db]) == 0  # refresh no longer creates a mistyped database
    capsys.readouterr()
    assert main(["analytics", "refresh", "--db", db]) == 0
    assert "analytics summaries rebuilt" in capsys.readouterr().out
    assert main(["analytics", "refresh", "--db", db]) == 0
    assert "refreshed: 0 days recomputed" in capsys.readouterr().out
    assert main(["analytics", "refresh", "--full", "--db", db]) == 0
    assert "rebuilt" in capsys.readouterr().out
