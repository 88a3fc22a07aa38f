"""The same refunds, read from every place that shows them, on a fresh demo warehouse.

    PYTHONPATH=$PWD .venv/bin/python -m bench.money_figures [RMAS]

Not a timing: the figures must be equal to the cent (``tests/station/test_exact_money.py``
checks it in the suite). Before amounts were integer hundredths, the net-cost export lost or
gained cents against the cost export (rounded shares per line) and SQLite held some
resolutions as binary floats (REAL rows)."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from decimal import Decimal

from sqlalchemy import func, select

from station.analytics.costs import PAID, cohort
from station.analytics.dashboard import build_dashboard
from station.analytics.period import Period
from station.core.db import open_database
from station.demo import seed_demo
from station.models import Resolution


def main(rmas: int = 320) -> None:
    folder = tempfile.mkdtemp(prefix="rma-money-")
    engine, sf = open_database(f"{folder}/demo.sqlite", create=True)
    seed_demo(sf, rmas=rmas, now=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with engine.begin() as conn:
        cohort_ids = select(cohort(period).subquery().c.rma_id)
        paid = conn.execute(select(func.sum(Resolution.amount))
                            .where(Resolution.kind.in_(PAID), Resolution.rma_id.in_(cohort_ids))).scalar()
        real = conn.exec_driver_sql("SELECT count(*) FROM resolutions WHERE typeof(amount) = 'real'").scalar()
        total = conn.exec_driver_sql("SELECT count(*) FROM resolutions").scalar()
        board = build_dashboard(conn, period)
    print(f"demo warehouse of {rmas} RMAs, {total} resolutions, {real} stored as REAL")
    print(f"refunds summed in SQL:          {paid}")
    print(f"cost export / dashboard tile:   {board.costs.refunds}")
    print(f"net-cost export:                {board.net.total.refunds}")
    print(f"net cost by vendor, summed:     {sum((r.refunds for r in board.net.by_vendor), Decimal(0))}")
    print(f"net cost by SKU, summed:        {sum((r.refunds for r in board.net.by_sku), Decimal(0))}")
    engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 320)
