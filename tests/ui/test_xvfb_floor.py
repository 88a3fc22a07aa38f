"""The floor on a real X server with no window manager (issue 23): the real ``rma-station``
on Xvfb, every key and scan an X11 event from xdotool, outcomes read from the SQLite file.

- a scan in every desk tab gets an answer (never "something went wrong"), and the RTV desk
  opens a batch from the command sheet's ``CMD:OPENBATCH``;
- a wrong item's LPN label says WRONG ITEM and names what came back and what was sold;
- F12 over an unreceived card keeps it: the same clerk signs in and receives it;
- a parcel without RMA matched at the approvals desk by keys gets its LPN labels.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from station.core.context import Actor
from station.core.db import make_engine, make_session_factory, upgrade
from station.core.settings import defaults, save_settings, settings_path
from station.models import LabelJob, Receipt, Role, RtvBatch, Unit
from station.receiving.service import ReceivingService
from station.rtv.batches import RtvService
from tests.conftest import REPO
from tests.helpers.builders import Clock, add_operator, add_product, add_rma, make_context
from tests.labels.helpers import decoded, pdf_pages, pdf_text
from tests.ui.test_xvfb import display, stop, wait_for, xdotool  # noqa: F401 - the X server fixture
from tests.ui.test_xvfb_kiosk import Kiosk

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

Launch = Callable[[], Kiosk]


@pytest.fixture
def floor(display: str, tmp_path: Path, station_home: Path) -> Iterator[tuple[sessionmaker[Session], Launch]]:  # noqa: F811
    """A station database with a clerk, a supervisor and two products, and a way to open the
    app on the display no window manager manages (keys go to the window under the pointer)."""
    db_path = tmp_path / "dock.sqlite"
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory.begin() as db:
        add_operator(db, Role.CLERK, badge="EMP1001", name="Zhang Min", pin="1234")
        add_operator(db, Role.SUPERVISOR, badge="EMP3001", name="Chen Jing", pin="3456")
        add_product(db, "TS-100", name_en="Cotton T-shirt", gtin="06901234567892")
        add_product(db, "PH-200", category="electronics", name_en="Smartphone X2", value="2999.00", weight_g=400)
    config = settings_path()  # as the kiosk: xdotool on a shared machine may leave a gap in a burst
    config.parent.mkdir(parents=True, exist_ok=True)
    save_settings(defaults().replace(**{"scanners.wedge_max_gap_ms": 60}), config)
    apps: list[subprocess.Popen] = []

    def launch() -> Kiosk:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        stderr = (tmp_path / "app.stderr").open("wb")
        apps.append(subprocess.Popen(
            [sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main(sys.argv[1:]))",
             "--db", str(db_path)], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=stderr))
        window = xdotool(display, "search", "--sync", "--onlyvisible", "--name", "RMA station").splitlines()[0]
        xdotool(display, "mousemove", "--window", window, "200", "200")
        return Kiosk(display, station_home / "data" / "logs" / "station.log", factory, lamp="", earbuds="",
                     supervisor=None)  # type: ignore[arg-type]

    try:
        yield factory, launch
    finally:
        for app in apps:
            stop(app)
        engine.dispose()


def sign_in(dock: Kiosk, badge: str, pin: str) -> None:
    seen = dock.banners("signed_in") + dock.banners("resumed")
    dock.scan(badge)
    dock.type(pin)
    dock.press("Return")
    wait_for("the sign-in", lambda: dock.banners("signed_in") + dock.banners("resumed") > seen)


def actor(factory: sessionmaker[Session], badge: str) -> Actor:
    from station.models import Operator

    with factory() as db:
        return Actor.of(db.scalars(select(Operator).where(Operator.badge == badge)).one())


def rma_of(factory: sessionmaker[Session], sku: str, **fields: object) -> str:
    from station.models import Product

    with factory.begin() as db:
        product = db.scalars(select(Product).where(Product.sku == sku)).one()
        rma = add_rma(db, [(product, 1)], authorised=dt.datetime.now(dt.UTC))
        for name, value in fields.items():
            setattr(rma, name, value)
        return rma.number


def lpn_jobs(factory: sessionmaker[Session]) -> list[LabelJob]:
    with factory() as db:
        return list(db.scalars(select(LabelJob).where(LabelJob.kind == "lpn")))


def no_crash(dock: Kiosk) -> None:
    text = dock.log.read_text(encoding="utf-8") if dock.log.is_file() else ""
    assert "Traceback" not in text and "went wrong" not in text, text[-3000:]


def test_a_scan_in_every_desk_tab_gets_an_answer_and_the_rtv_desk_takes_a_command(floor) -> None:  # noqa: ANN001
    factory, launch = floor
    RtvService(make_context(factory, Clock(dt.datetime.now(dt.UTC)))).save_vendor(
        actor(factory, "EMP3001"), "SZPT", "Shenzhen Power Tech", contact_email="rma@szpower.example")
    dock = launch()
    sign_in(dock, "EMP3001", "3456")
    for key in ("F3", "F4", "F8", "F11", "F1"):
        seen = dock.banners("scan_elsewhere")
        dock.press(key)
        dock.scan("LP001000000016")
        dock.wait_banner("scan_elsewhere", seen)
    dock.press("F2")
    dock.scan("CMD:OPENBATCH")
    dock.wait_banner("rtv_opened")
    dock.press("ctrl+n")  # the desk's key does the same, on a kiosk too
    dock.wait_banner("rtv_opened", 1)
    with factory() as db:
        assert len(db.scalars(select(RtvBatch)).all()) == 2
    seen = len(dock.log.read_text(encoding="utf-8").splitlines())
    dock.scan("LP001000000016")  # not an approved RTV unit: refused with the reason, in a banner
    wait_for("the RTV desk's answer", lambda: any(
        "banner [" in line for line in dock.log.read_text(encoding="utf-8").splitlines()[seen:]))
    no_crash(dock)


def test_a_wrong_items_label_says_so_and_names_both_products(floor) -> None:  # noqa: ANN001
    factory, launch = floor
    number = rma_of(factory, "PH-200")
    dock = launch()
    sign_in(dock, "EMP1001", "1234")
    dock.scan(number)
    dock.wait_banner("found")
    dock.scan("6901234567892")  # the shirt's EAN-13 in the phone's box
    dock.wait_banner("wrong_item")
    dock.press("Return")
    wait_for("the LPN label job", lambda: bool(lpn_jobs(factory)))
    [job] = lpn_jobs(factory)
    with factory() as db:
        unit = db.scalars(select(Unit)).one()
    assert (unit.sku_received, unit.gtin_received) == ("TS-100", "06901234567892")
    text = " ".join(pdf_text(job.payload).split())
    assert "WRONG ITEM" in text and "Cotton T-shirt (TS-100)" in text and "Sold: Smartphone X2 (PH-200)" in text
    assert unit.lpn in [t for _, t in decoded(pdf_pages(job.payload, 203)[0])]
    [line] = dock.banner_lines("wrong_item")
    assert "Cotton T-shirt (TS-100)" in line and "Smartphone X2 (PH-200)" in line


def test_f12_over_an_unreceived_card_keeps_it_for_the_same_clerk(floor) -> None:  # noqa: ANN001
    factory, launch = floor
    number = rma_of(factory, "TS-100")
    dock = launch()
    sign_in(dock, "EMP1001", "1234")
    dock.scan(number)
    dock.wait_banner("found")
    dock.press("F12")
    dock.wait_banner("work_kept")
    [kept] = dock.banner_lines("work_kept")
    assert number in kept and "Zhang Min signed out" in kept
    with factory() as db:
        assert db.scalars(select(Receipt)).all() == []
    sign_in(dock, "EMP1001", "1234")
    dock.wait_banner("resumed")
    dock.press("Return")  # the card is back: Enter receives it

    def received() -> bool:
        with factory() as db:
            return [r.rma.number for r in db.scalars(select(Receipt))] == [number]

    wait_for("the receipt of the kept card", received)


def test_a_parcel_matched_by_keys_at_the_approvals_desk_gets_its_labels(floor) -> None:  # noqa: ANN001
    factory, launch = floor
    number = rma_of(factory, "TS-100", customer_name="Zhou Xiaoyu")
    ReceivingService(make_context(factory, Clock(dt.datetime.now(dt.UTC)))).quarantine_unknown(
        actor(factory, "EMP1001"), "NO-LABEL-77", notes="box with no paperwork")
    dock = launch()
    sign_in(dock, "EMP3001", "3456")
    dock.press("F4")
    dock.press("ctrl+m")  # a desk shortcut: Qt fires none without an active window, the window does
    dock.dialog("Match parcel NO-LABEL-77")
    dock.type("xiaoyu")
    dock.press("Return")  # the search: its one hit is picked and has the focus
    dock.press("Tab")
    dock.type("invoice in the box")
    dock.press("Return")
    dock.wait_banner("parcel_matched")
    wait_for("the LPN label job", lambda: bool(lpn_jobs(factory)))
    with factory() as db:
        lpns = sorted(db.scalars(select(Unit.lpn)))
    [job] = lpn_jobs(factory)
    assert lpns and sorted({t for page in pdf_pages(job.payload, 203) for _, t in decoded(page)
                            if t.startswith("LP")}) == lpns
    [matched] = dock.banner_lines("parcel_matched")
    assert f"Received into {number}: {', '.join(lpns)}." in matched
