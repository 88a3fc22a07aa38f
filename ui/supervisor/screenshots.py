"""Render the supervisor widgets offscreen over a demo warehouse and save PNGs.

``python -m ui.supervisor.screenshots [OUT_DIR]`` (default docs/screenshots). Uses the real
services on a temporary SQLite file: demo seed, a synthetic sales history, two unknown
parcels, an alert check. Deterministic: fixed clock and seeds.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from station.alerts import AlertService  # noqa: E402
from station.analytics import AnalyticsService  # noqa: E402
from station.context import Actor, StationContext  # noqa: E402
from station.db import make_engine, make_session_factory, upgrade  # noqa: E402
from station.demo import seed_demo  # noqa: E402
from station.models import Operator, Product, Role, SalesDay  # noqa: E402
from station.receiving import ReceivingService  # noqa: E402
from station.supervision import SupervisionService  # noqa: E402
from ui.background import Background, SyncExecutor  # noqa: E402
from ui.bridge import MessageBridge  # noqa: E402

NOW = dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.UTC)


def _sales(sf, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    with sf.begin() as db:
        skus = list(db.scalars(select(Product.sku)))
        rows = [{"sku": s, "sold_on": NOW.date() - dt.timedelta(days=d), "channel": "", "units": rng.randint(2, 9),
                 "source": "demo", "imported_at": NOW} for d in range(70) for s in skus]
        db.execute(insert(SalesDay), rows)


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RMA_STATION_HOME"] = tmp
        engine = make_engine(f"sqlite:///{Path(tmp) / 'demo.sqlite'}")
        upgrade(engine)
        sf = make_session_factory(engine)
        seed_demo(sf, rmas=900, now=NOW)
        _sales(sf, random.Random(3))
        with sf() as db:
            ops = {o.role: Actor.of(o) for o in db.scalars(select(Operator))}
        ctx = StationContext(sf, clock=lambda: NOW)
        for code in ("SF100200300400", "EE123456789CN"):
            ReceivingService(ctx).quarantine_unknown(ops[Role.CLERK], code, notes="no paperwork in the box")
        alerts = AlertService(ctx)
        alerts.check(NOW.date())
        background, bridge = Background(SyncExecutor(), SyncExecutor()), MessageBridge()
        from ui.supervisor.dashboard_view import DashboardView
        from ui.supervisor.queues_view import QueuesView

        dash = DashboardView(AnalyticsService(ctx), alerts, ops[Role.SUPERVISOR], background, bridge,
                             today=NOW.date())
        dash.resize(1400, 900)
        dash.show()
        dash.refresh()
        dash.drill("grade", "D")
        app.processEvents()
        dash.grab().save(str(out / "supervisor-dashboard.png"), "PNG", 0)
        queues = QueuesView(SupervisionService(ctx), ops[Role.SUPERVISOR], background, bridge)
        queues.resize(1200, 640)
        queues.show()
        queues.refresh()
        app.processEvents()
        queues.grab().save(str(out / "supervisor-queues.png"), "PNG", 0)
        queues.show_queue("quarantine")
        app.processEvents()
        queues.grab().save(str(out / "supervisor-quarantine.png"), "PNG", 0)
        engine.dispose()
    for name in ("dashboard", "queues", "quarantine"):
        path = out / f"supervisor-{name}.png"
        print(f"{path} {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))
