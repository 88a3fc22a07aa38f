"""Render the supervisor widgets offscreen over a demo warehouse and save PNGs.

``python -m ui.supervisor.screenshots [OUT_DIR]`` (default docs/screenshots) writes
``supervisor-{dashboard,drill,queues,quarantine,approvals,sheets}[-zh].png`` at the size a desk
tab gives its widget in the 1280 x 800 window. Uses the real services on a temporary SQLite
file: demo seed, a synthetic sales history, two unknown parcels, an alert check, a printed
scrap sheet. Deterministic: fixed clock and seeds.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from station.analytics import AnalyticsService  # noqa: E402
from station.analytics.thresholds import Owner, load_thresholds  # noqa: E402
from station.catalog.prices import PriceListService  # noqa: E402
from station.catalog.sales import SalesService  # noqa: E402
from station.core.context import Actor, StationContext  # noqa: E402
from station.core.db import make_engine, make_session_factory, upgrade  # noqa: E402
from station.demo import demo_actors, demo_catalogue, seed_demo  # noqa: E402
from station.inspection.refurbishment import RefurbishService  # noqa: E402
from station.models import Role  # noqa: E402
from station.receiving.service import ReceivingService  # noqa: E402
from station.supervision.alerts import AlertService  # noqa: E402
from station.supervision.desk import SupervisionService  # noqa: E402
from station.supervision.sheet_jobs import SheetService  # noqa: E402
from ui.background import Background, SyncExecutor  # noqa: E402
from ui.bridge import MessageBridge  # noqa: E402
from ui.i18n import install_language  # noqa: E402

NOW = dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.UTC)


def _sales(ctx: StationContext, admin: Actor, rng: random.Random, tmp: Path) -> None:
    """A synthetic sales history of 70 days, imported as a shop's sales file would be."""
    skus = sorted(sku for sku, _value in demo_catalogue())
    lines = ["date,sku,units"] + [f"{NOW.date() - dt.timedelta(days=d)},{s},{rng.randint(2, 9)}"
                                  for d in range(70) for s in skus]
    (tmp / "sales.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    SalesService(ctx).import_file(admin, tmp / "sales.csv")


#: What a desk tab of the 1280 x 800 main window leaves for its widget (tab bar, margins, status bar).
SIZE = (1236, 700)


def _recovery(ctx: StationContext, admin: Actor, tech: Actor, tmp: Path) -> None:
    """A resale price list (a share of each product's value per grade) and a few finished
    refurbishments, so the net cost tile shows what returns recover."""
    share = {"A": Decimal("0.85"), "B": Decimal("0.65"), "C": Decimal("0.40"), "D": Decimal("0.05")}
    lines = ["sku,grade,price,currency"] + [f"{sku},{g},{(value * f).quantize(Decimal('0.01'))},{ctx.policy.currency}"
                                            for sku, value in demo_catalogue() for g, f in share.items()]
    (tmp / "prices.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    PriceListService(ctx).import_csv(admin, tmp / "prices.csv")
    for n, lpn in enumerate(RefurbishService(ctx).waiting(tech, limit=40)):
        RefurbishService(ctx).finish(tech, lpn, f"{20 + n % 5 * 7}.00", "cleaning, new packaging", "AB"[n % 2])


def _save(app: QApplication, widget, path: Path) -> None:  # type: ignore[no-untyped-def]
    app.processEvents()
    widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888).save(str(path), "PNG", 9)
    print(f"{path} {path.stat().st_size // 1024} KB")


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")  # type: ignore[attr-defined]
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RMA_STATION_HOME"] = tmp
        engine = make_engine(f"sqlite:///{Path(tmp) / 'demo.sqlite'}")
        upgrade(engine)
        sf = make_session_factory(engine)
        seed_demo(sf, rmas=900, now=NOW)
        ctx = StationContext(sf, clock=lambda: NOW)
        ops = demo_actors(ctx)
        _sales(ctx, ops[Role.ADMIN], random.Random(3), Path(tmp))
        for code in ("SF100200300400", "EE123456789CN"):
            ReceivingService(ctx).quarantine_unknown(ops[Role.CLERK], code, notes="no paperwork in the box")
        _recovery(ctx, ops[Role.ADMIN], ops[Role.INSPECTOR], Path(tmp))
        shipped = load_thresholds()
        owned = replace(shipped, rules=tuple(
            replace(r, owner=Owner("apparel-lead@shop.example", "supply-chain", 8.0)) if r.kind == "sku_return_rate"
            else r for r in shipped.rules))
        alerts = AlertService(ctx, owned)
        alerts.check(NOW.date())
        background, bridge = Background(SyncExecutor(), SyncExecutor()), MessageBridge()
        from ui.supervisor.approvals_view import ApprovalsView
        from ui.supervisor.dashboard_view import DashboardView
        from ui.supervisor.queues_view import QueuesView
        from ui.supervisor.sheet_jobs import SheetPrinter
        from ui.supervisor.sheets_view import SheetsView

        boss = ops[Role.SUPERVISOR]
        installed: list = []  # type: ignore[type-arg]
        for language, tag in (("en", ""), ("zh_CN", "-zh")):
            installed = install_language(app, language, installed)
            dash = DashboardView(AnalyticsService(ctx), alerts, boss, background, bridge, today=NOW.date())
            dash.resize(*SIZE)
            dash.show()
            dash.refresh()
            _save(app, dash, out / f"supervisor-dashboard{tag}.png")
            dash.drill("grade", "D")
            _save(app, dash, out / f"supervisor-drill{tag}.png")
            queues = QueuesView(SupervisionService(ctx), boss, background, bridge)
            queues.resize(*SIZE)
            queues.show()
            queues.refresh()
            _save(app, queues, out / f"supervisor-queues{tag}.png")
            queues.show_queue("quarantine")
            _save(app, queues, out / f"supervisor-quarantine{tag}.png")
            approvals = ApprovalsView(SupervisionService(ctx), boss, background, bridge)
            approvals.resize(*SIZE)
            approvals.show()
            approvals.refresh()
            _save(app, approvals, out / f"supervisor-approvals{tag}.png")
            printer = SheetPrinter(SheetService(ctx), f"file://{Path(tmp) / 'spool'}", ctx.station_id)
            sheets = SheetsView(printer, boss, background, bridge, today=NOW.date())
            sheets.resize(*SIZE)
            sheets.show()
            sheets.first.setDate(sheets.first.date().addDays(-6))
            if not tag:
                sheets.print_sheets()
            sheets.refresh()
            _save(app, sheets, out / f"supervisor-sheets{tag}.png")
            for widget in (dash, queues, approvals, sheets):
                widget.close()
                widget.deleteLater()
        install_language(app, "en", installed)
        engine.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))
