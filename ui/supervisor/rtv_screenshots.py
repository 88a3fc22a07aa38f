"""Screenshots of return to vendor: the desk tab (en, zh), the packing list, the carton label
and page 1 of a vendor scorecard, rasterised for docs/rtv.md.

``python -m ui.supervisor.rtv_screenshots [OUT_DIR]`` (default docs/screenshots). Everything
goes through the real services on a temporary SQLite file: the demo seed, then phones of
Shenzhen Mobile received, failed at QC ("does it power on?"), dispositioned return-to-vendor,
approved by the supervisor, batched, shipped and settled. Fixed clock, deterministic.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from station.analytics.period import Period  # noqa: E402
from station.core.context import Actor, StationContext  # noqa: E402
from station.core.db import make_engine, make_session_factory, upgrade  # noqa: E402
from station.core.identifiers import make_rma_number  # noqa: E402
from station.demo import add_demo_rma, demo_actors, seed_demo  # noqa: E402
from station.inspection.checklists import ItemKind  # noqa: E402
from station.inspection.service import InspectionService  # noqa: E402
from station.models import Role  # noqa: E402
from station.receiving.service import ItemCheck, ParcelInput, ReceivingService  # noqa: E402
from station.rtv.batches import RtvService  # noqa: E402
from station.rtv.scorecard import ScorecardService  # noqa: E402
from station.supervision.desk import SupervisionService  # noqa: E402
from ui.background import Background, SyncExecutor  # noqa: E402
from ui.bridge import MessageBridge  # noqa: E402
from ui.i18n import install_language  # noqa: E402

NOW = dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.UTC)
SIZE = (1236, 700)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(64)) + b"\xff\xd9"


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _passing(question):  # type: ignore[no-untyped-def]
    if question.kind == ItemKind.PASS_FAIL:
        return "pass"
    if question.kind == ItemKind.CHOICE:
        return next(c.id for c in question.choices if not c.fails)
    if question.kind == ItemKind.NUMBER:
        return question.expected
    return "ok"


def approved_rtv_unit(ctx: StationContext, ops: dict[Role, Actor], sku: str, n: int, serial: str) -> str:
    """One phone returned as defective, all the way to an approved return-to-vendor."""
    number = add_demo_rma(ctx, make_rma_number(900000 + n), sku, serial, order_number=f"SO-RTV-{n:04d}",
                          customer_ref=f"C-R{n}", reason_text="Stopped working")
    received = ReceivingService(ctx).receive(ops[Role.CLERK], number,
                                             ParcelInput(items={1: [ItemCheck(serial=serial)]}))
    lpn = received.units[0].lpn
    qc = InspectionService(ctx)
    view = qc.start(ops[Role.INSPECTOR], lpn)
    while view.next_question is not None:
        q = view.next_question
        view = qc.answer(ops[Role.INSPECTOR], view.inspection_id, q.id, "fail" if q.id == "powers_on" else _passing(q))
    for q in view.questions:
        if q.needs_photo:
            qc.add_photo(ops[Role.INSPECTOR], view.inspection_id, q.id, JPEG + q.id.encode(), "image/jpeg")
    qc.finish(ops[Role.INSPECTOR], view.inspection_id)
    disposed = qc.dispose(ops[Role.INSPECTOR], lpn, "return_to_vendor")
    SupervisionService(ctx).decide(ops[Role.SUPERVISOR], disposed.approval_id, True, "vendor warranty")
    return lpn


def build_story(ctx: StationContext, clock: Clock, ops: dict[Role, Actor]) -> RtvService:
    rtv = RtvService(ctx)
    boss, inspector = ops[Role.SUPERVISOR], ops[Role.INSPECTOR]
    n = 0
    for batch_no, (back, units) in enumerate(((21, 4), (9, 3), (0, 3))):
        clock.now = NOW - dt.timedelta(days=back)
        lpns = []
        for _ in range(units):
            n += 1
            lpns.append(approved_rtv_unit(ctx, ops, "EL-PH-X1-128" if n % 3 else "EL-TB-10", n, f"X1SN{n:06d}"))
        batch = rtv.open_batch(inspector, "SZMOB")
        for lpn in lpns[:-1] if batch_no == 2 else lpns:
            rtv.add(inspector, batch.number, lpn)
        if batch_no < 2:
            rtv.ship(inspector, batch.number, ra_number=f"SZM-RA-{4410 + batch_no}", carrier="SF Express",
                     tracking=f"SF10002000{batch_no}3")
        if batch_no == 0:
            clock.now = NOW - dt.timedelta(days=14)
            rtv.acknowledge(boss, batch.number)
            clock.now = NOW - dt.timedelta(days=5)
            rtv.credit(boss, batch.number, Decimal("9500.00"))
    clock.now = NOW
    return rtv


def _save(app: QApplication, widget, path: Path) -> None:  # type: ignore[no-untyped-def]
    app.processEvents()
    widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888).save(str(path), "PNG", 9)
    print(f"{path} {path.stat().st_size // 1024} KB")


def _raster(pdf: bytes, path: Path, dpi: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile", str(src),
                        str(path.with_suffix(""))], check=True)
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
        seed_demo(sf, rmas=400, now=NOW)
        clock = Clock(NOW)
        ctx = StationContext(sf, clock=clock)
        ops = demo_actors(ctx)
        rtv = build_story(ctx, clock, ops)
        from ui.supervisor import rtv_paperwork, supplier_report
        from ui.supervisor.rtv_view import RtvView

        background, bridge = Background(SyncExecutor(), SyncExecutor()), MessageBridge()
        boss = ops[Role.SUPERVISOR]
        installed: list = []  # type: ignore[type-arg]
        for language, tag in (("en", "en"), ("zh_CN", "zh")):
            installed = install_language(app, language, installed)
            view = RtvView(rtv, boss, background, bridge, lambda batch: None)
            view.resize(*SIZE)
            view.show()
            view.refresh()
            view.select("RTV-DOCK01-00002")
            _save(app, view, out / f"desk_rtv_{tag}.png")
            view.close()
            view.deleteLater()
        install_language(app, "en", installed)
        shipped = rtv.batch(boss, "RTV-DOCK01-00001")
        paper = rtv_paperwork.render(shipped, station="DOCK01", printed_at="2026-11-20 16:00")
        _raster(paper.packing_list_pdf, out / "rtv_packing_list.png", 110)
        _raster(paper.carton_pdf, out / "rtv_carton_label.png", 110)
        card = ScorecardService(ctx).scorecard(boss, "SZMOB", Period(NOW.date() - dt.timedelta(days=55), NOW.date()))
        _raster(supplier_report.render_pdf(card, generated="2026-11-20 16:00 UTC"), out / "supplier_report.png", 90)
        engine.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))
