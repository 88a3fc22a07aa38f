"""Issue 26, "Done when": one story from the dock to the supplier report.

A clerk receives returns of one lipstick from three production lots by scanning each item's
GS1-128 label (generated here, decoded with zxing-cpp), and an item of another product by
scanning a real GS1 DataMatrix photograph from the corpus. One lot (L2) comes back far more
often than the others. The lot rule fires and its owner gets the alert by e-mail and by a
signed webhook (``alert.raised`` and ``lot.alert``); the supervisor holds the lot (``lot.held``,
the restocked unit listed for pulling back); the next L2 unit scanned at the dock is held for
QC with the reason in English and Chinese; and the supplier's scorecard shows the lot, on hold.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import textwrap
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from sqlalchemy import update

from drivers.scanners.decoding import decode_image, load_image
from station.analytics import Period
from station.core.db import make_engine, make_session_factory, upgrade
from station.core.return_policy import load_policy
from station.models import DispositionKind, Operator, Role, Unit, UnitState
from station.receiving.item_checks import ItemChecks, StepKind
from station.receiving.service import ParcelInput, ReceivingService
from station.rtv.batches import RtvService
from station.rtv.scorecard import ScorecardService
from station.scanning.classify import ScanClassifier, ScanMeaning
from station.supervision.lot_holds import LotHoldService
from tests.helpers.builders import NOW, Clock, add_operator, add_product, add_rma, make_context
from tests.station.integrations.conftest import SECRET, receiver  # noqa: F401 - fixture
from tests.station.integrations.smtp_peer import smtp_server
from tests.station.lots.test_lot_capture import gs1_photos
from ui.cli import main

GTIN = "6900000000014"
RULES = """
version = 1
[[rule]]
id = "bad_lot"
kind = "lot_return_rate"
max_rate_percent = 5.0
min_sold = 50
owner_email = "quality@acme.example"
owner_webhook = "quality"
"""
RETURNS = {"L1": ["size", "changed_mind"], "L2": ["defective"] * 9 + ["damaged"] * 3, "L3": ["changed_mind"]}


def label_scan(lot: str) -> ScanMeaning:
    """The item's GS1-128 label (GTIN, expiry, lot) as the camera reads it."""
    image = np.asarray(zxingcpp.create_barcode(f"(01)0{GTIN}(17)280131(10){lot}", zxingcpp.BarcodeFormat.Code128,
                                               gs1=True).to_image(scale=3))
    found = decode_image(cv2.copyMakeBorder(image, 30, 30, 40, 40, cv2.BORDER_CONSTANT, value=255))
    return ScanClassifier().classify(found[0].aim + found[0].text, found[0].symbology)


def scan_and_receive(service: ReceivingService, clerk, number: str, meaning: ScanMeaning):  # noqa: ANN001, ANN201
    card = service.find(number)
    checks = ItemChecks(card, {l.line_no: l.quantity for l in card.lines}.__getitem__, load_policy(), ScanClassifier())
    assert checks.take(meaning).kind is StepKind.MATCHED
    return service.receive(clerk, number, ParcelInput(items=checks.items))


def test_a_bad_lot_is_seen_warned_held_at_the_next_scan_and_named_to_its_supplier(
        tmp_path: Path, corpus_dir: Path, receiver, monkeypatch, capsys) -> None:  # noqa: ANN001, F811
    db_path = tmp_path / "station.sqlite"
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    sf = make_session_factory(engine)
    clock = Clock(NOW)
    with sf.begin() as db:
        clerk = add_operator(db, Role.CLERK, name="Zhang Min")
        boss = add_operator(db, Role.SUPERVISOR, name="Chen Jing", badge="EMP7001")
        db.get(Operator, boss.id).email = "chen.jing@shop.example"
        lipstick = add_product(db, "LS-01", category="cosmetics", name_en="Lipstick", name_zh="口红", gtin=GTIN)
        lipstick.supplier = "Acme Beauty"
        navigator = add_product(db, "NAV-4", category="electronics", name_en="Navigator", gtin="8903819987659")
        rmas = {lot: [add_rma(db, [(lipstick, 1)], reason=r).number for r in reasons] for lot, reasons in RETURNS.items()}
        nav_rma = add_rma(db, [(navigator, 1)], reason="defective").number
        late_l2 = add_rma(db, [(lipstick, 1)], reason="defective").number
    RtvService(make_context(sf, clock)).save_vendor(boss, "ACME", "Acme Beauty", contact_email="qa@acme.example")
    sales = tmp_path / "sales.csv"
    sales.write_text("date,sku,units,lot\n2026-10-01,LS-01,200,L1\n2026-10-01,LS-01,100,L2\n"
                     "2026-10-01,LS-01,250,L3\n", encoding="utf-8")
    db_arg = ["--db", f"sqlite:///{db_path}"]
    assert main(["sales", "import", str(sales), *db_arg]) == 0
    assert "imported 3 of 3 rows (550 units" in capsys.readouterr().out

    # At the dock: every item's own code is scanned; the lot comes from it.
    service = ReceivingService(make_context(sf, clock))
    photo = gs1_photos(corpus_dir)[0]
    found = decode_image(load_image(photo))
    nav = scan_and_receive(service, clerk, nav_rma, ScanClassifier().classify(found[0].aim + found[0].text,
                                                                               found[0].symbology))
    assert (nav.units[0].lot, nav.units[0].expiry) == ("BNav4Cam2", dt.date(2031, 6, 30))
    lpns = {lot: [scan_and_receive(service, clerk, n, label_scan(lot)).units[0].lpn for n in numbers]
            for lot, numbers in rmas.items()}
    with sf.begin() as db:  # one L2 unit already went back to stock before anyone noticed
        db.execute(update(Unit).where(Unit.lpn == lpns["L2"][0]).values(
            disposition=DispositionKind.RESTOCK, state=UnitState.DISPOSITIONED, bin="A-03-2"))

    # The supervisor compares the lots: L2 is worst.
    period = ["--from", "2026-10-24", "--to", "2026-11-20", *db_arg]
    assert main(["analytics", "lots", "--sku", "LS-01", *period]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["L2", "L1", "L3"]
    assert "12 returned of 100 sold (12.0 %)" in lines[1]

    # The lot rule fires; its owner hears of it by mail and by a signed webhook, once.
    rules = tmp_path / "alerts.toml"
    rules.write_text(textwrap.dedent(RULES), encoding="utf-8")
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    assert main(["integrations", "init", *db_arg]) == 0
    for name in ("quality", "finance"):
        assert main(["webhooks", "add", receiver.url, "--secret-env", "HOOK_SECRET", "--name", name,
                     "--events", "alert.raised,lot.alert,lot.held", *db_arg]) == 0
    assert main(["alerts", "check", "--rules", str(rules), "--date", "2026-11-20", *db_arg]) == 0
    assert "NEW   [warning] bad_lot: Lot L2 of LS-01 returned 12.0 % of 100 sold" in capsys.readouterr().out
    with smtp_server() as (inbox, port):
        assert main(["notify", "--once", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), *db_arg]) == 0
    owner_mail = [m for m in inbox.messages if m["To"] == "quality@acme.example"]  # customers get their notices too
    assert len(owner_mail) == 1
    assert "Lot L2 of LS-01 returned 12.0 % of 100 sold" in owner_mail[0].get_body(("plain",)).get_content()

    # The supervisor holds the lot: the restocked unit is listed for pulling back.
    monkeypatch.setenv("RMA_PIN", "1234")
    assert main(["lots", "hold", "--sku", "LS-01", "--lot", "L2", "--reason", "Caps crack: supplier batch defect",
                 "--badge", "EMP7001", *db_arg]) == 0
    out = capsys.readouterr().out
    assert "Lot L2 of LS-01 is on hold: Caps crack: supplier batch defect." in out
    assert f"pull back {lpns['L2'][0]} from bin A-03-2" in out
    assert main(["webhooks", "--once", *db_arg]) == 0
    posts = [(p["event"]["type"], p["cloud_event"]) for p in receiver.accepted()]
    types = [t for t, _ in posts]
    assert types.count("com.example.alert.raised") == 1 and types.count("com.example.lot.alert") == 1, types
    assert types.count("com.example.lot.held") == 2  # no owner: every subscriber hears of the hold
    assert receiver.bad_signatures == 0
    lot_alert = next(p["event"]["data"] for p in receiver.accepted() if p["event"]["type"].endswith("lot.alert"))
    assert (lot_alert["sku"], lot_alert["lot"], lot_alert["owner_webhook"]) == ("LS-01", "L2", "quality")
    assert sorted(lot_alert["figures"]["lpns"]) == sorted(lpns["L2"])

    # The next L2 unit scanned at the dock is held for QC, and says why in both languages.
    held = scan_and_receive(service, clerk, late_l2, label_scan("L2"))
    lpn = held.units[0].lpn
    assert "lot_held" in held.flags
    assert f"{lpn} is from lot L2 of LS-01, on hold (Caps crack: supplier batch defect)" in held.message
    assert f"{lpn} 属于暂扣批号 L2（LS-01，原因：Caps crack: supplier batch defect）" in held.message_zh

    # The supplier's report names the lot, worst first, on hold.
    card = ScorecardService(make_context(sf, clock)).scorecard(boss, "ACME", Period(dt.date(2026, 10, 24), NOW.date()))
    assert [(r.lot, r.returned) for r in card.lots] == [("L2", 13), ("L1", 2), ("L3", 1)]
    assert card.held_lots == ("LS-01 L2",)
    assert main(["suppliers", "report", "--vendor", "ACME", "--from", "2026-10-24", "--to", "2026-11-20",
                 "--out", str(tmp_path / "card.pdf"), *db_arg]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "card.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Returns by production lot" in text
    row = next(line for line in text.splitlines() if " L2 " in f" {line} ")
    assert "13" in row and "on hold" in row
