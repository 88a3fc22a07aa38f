"""The RTV desk tab, as a supervisor works it with scanner and keyboard: open a batch for the
vendor, scan its approved units in (a unit still waiting for approval is refused with the
reason), ship with the RA number - the packing list and carton label land in the print queue
and scan back - then settle the claim: acknowledged, credited."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from sqlalchemy import select

from drivers.scanners.scan import Scan
from station.models import LabelJob, RtvState
from station.rtv.batches import RtvService
from station.supervision.printing import PrintQueue
from tests.helpers.rtv import rtv_unit, with_vendor
from tests.labels.helpers import decoded, pdf_pages
from tests.station.builders_qc import make_dock
from tests.ui.supervisor.conftest import focus, show
from ui.supervisor import rtv_paperwork
from ui.supervisor.rtv_view import RtvView


def test_batch_scanned_shipped_printed_and_credited(qtbot, sf, background, bridge, messages, tmp_path):
    dock = make_dock(sf)
    with_vendor(dock, rate="90")
    units = [rtv_unit(dock, value="1000.00", serial="SN-A1"), rtv_unit(dock, value="2000.00", serial="SN-B2")]
    waiting = rtv_unit(dock, approve=None)
    ctx = dock.qc.ctx
    queue = PrintQueue(sf, station_id=ctx.station_id, clock=ctx.clock)
    sheets, labels = (tmp_path / "sheets").as_uri(), (tmp_path / "labels").as_uri()

    def printer(batch):
        paper = rtv_paperwork.render(batch, station=ctx.station_id)
        return rtv_paperwork.queue(paper, batch, queue, sheet_printer=sheets, label_printer=labels)

    view = show(qtbot, RtvView(RtvService(ctx), dock.supervisor, background, bridge, printer), (1280, 760))
    view.refresh()
    assert view.vendor.currentData() == "SZPT"
    assert view.ready.text() == "2 approved units of this vendor wait for a batch"

    focus(qtbot, view.scan_field)
    qtbot.keyClick(view.scan_field, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert messages[-1].title == "Batch RTV-DOCK01-00001 opened"
    assert view.selected_batch() == "RTV-DOCK01-00001"

    view.handle_scan(Scan(units[0], "code128"))
    assert messages[-1].title == f"Added {units[0]}"
    view.handle_scan(Scan(waiting, "code128"))
    assert (messages[-1].code, messages[-1].text) == (
        "invalid_input", f"Unit {waiting}'s return to vendor waits for a supervisor's approval.")
    focus(qtbot, view.scan_field)
    qtbot.keyClicks(view.scan_field, units[1])
    qtbot.keyClick(view.scan_field, Qt.Key.Key_Return)
    assert [view.item_table.item(r, 0).text() for r in range(view.item_table.rowCount())] == units
    assert "claim CNY 2,700.00" in view.detail.text()
    view.item_table.selectRow(0)  # scanned into the wrong carton: Delete takes it out, a scan puts it back
    focus(qtbot, view.item_table)
    qtbot.keyClick(view.item_table, Qt.Key.Key_Delete)
    assert messages[-1].title == f"Removed {units[0]}"
    assert [view.item_table.item(r, 0).text() for r in range(view.item_table.rowCount())] == units[1:]
    view.handle_scan(Scan(units[0], "code128"))
    assert view.item_table.rowCount() == 2

    view.ra.setText("RA-5501")
    view.carrier.setText("SF Express")
    view.tracking.setText("SF7000100200")
    focus(qtbot, view.scan_field)
    with qtbot.waitSignal(view.shipped, timeout=3000):
        qtbot.keyClick(view.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert messages[-1].title == "Batch RTV-DOCK01-00001 shipped"
    with sf() as db:
        jobs = {j.kind: j for j in db.scalars(select(LabelJob))}
    assert set(jobs) == {"rtv_packing_list", "rtv_carton"}
    assert sorted(t for _, t in decoded(pdf_pages(jobs["rtv_packing_list"].payload, 203)[0])) == \
        sorted([*units, "RA-5501"])
    assert [t for _, t in decoded(pdf_pages(jobs["rtv_carton"].payload, 203)[0])] == ["RA-5501", "RTV-DOCK01-00001"]

    focus(qtbot, view.amount)
    qtbot.keyClicks(view.amount, "2500.00")
    qtbot.keyClick(view.amount, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # typed, still in the field
    assert messages[-1].code == "illegal_transition" and "not yet acknowledged" in messages[-1].text
    dock.clock.advance(days=3)
    view.refresh()
    assert view.batch_table.item(0, 6).text() == "3"  # days open
    focus(qtbot, view.amount)
    qtbot.keyClick(view.amount, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # not "delete to end"
    assert messages[-1].title == "Claim RTV-DOCK01-00001 acknowledged" and view.amount.text() == "2500.00"
    qtbot.keyClick(view.amount, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert messages[-1].title == "Claim RTV-DOCK01-00001 credited"
    batch = RtvService(ctx).batch(dock.supervisor, "RTV-DOCK01-00001")
    assert (batch.state, batch.credited_amount) == (RtvState.CREDITED, Decimal("2500.00"))
    assert "Credited 2,500.00" in view.detail.text()
    assert view.batch_table.item(0, 6).text() == ""  # settled: no longer ageing


def test_scan_without_a_batch_says_what_to_do(qtbot, sf, background, bridge, messages):
    dock = make_dock(sf)
    with_vendor(dock)
    view = show(qtbot, RtvView(RtvService(dock.qc.ctx), dock.supervisor, background, bridge, lambda b: None))
    view.refresh()
    view.handle_scan(Scan("LP001000000016", "code128"))
    assert (messages[-1].title, messages[-1].text) == ("No batch selected",
                                                       "Open a batch or pick one in the list first.")


def test_a_batch_shipped_without_its_paperwork_offers_it_at_once(qtbot, sf, background, bridge, messages, tmp_path):
    """A desk was closed between the shipment's commit and its print jobs (the state a kill
    leaves): the next desk offers the paperwork on Ctrl+P, and a desk that still showed the
    batch open is told it has shipped and how to print its paperwork."""
    dock = make_dock(sf)
    rtv = with_vendor(dock)
    unit = rtv_unit(dock, value="1000.00")
    ctx = dock.qc.ctx
    queue = PrintQueue(sf, station_id=ctx.station_id, clock=ctx.clock)

    def printer(batch):
        paper = rtv_paperwork.render(batch, station=ctx.station_id)
        return rtv_paperwork.queue(paper, batch, queue, sheet_printer=(tmp_path / "sheets").as_uri(),
                                   label_printer=(tmp_path / "labels").as_uri())

    batch = rtv.open_batch(dock.supervisor, "SZPT").number
    rtv.add(dock.supervisor, batch, unit)
    view = show(qtbot, RtvView(RtvService(ctx), dock.supervisor, background, bridge, printer), (1280, 760))
    view.refresh()
    assert view.ship_button.text() == "Ship and print (Ctrl+P)"
    rtv.ship(dock.supervisor, batch, ra_number="RA-77", carrier="SF Express", tracking="SF1")  # no print jobs

    view.ra.setText("RA-77")
    view.carrier.setText("SF Express")
    view.tracking.setText("SF1")
    focus(qtbot, view.scan_field)
    qtbot.keyClick(view.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    shown = messages[-1]
    assert (shown.title, shown.next_step) == (f"Batch {batch} is already shipped",
                                              "Press Ctrl+P to print its paperwork again.")
    assert shown.text.startswith(f"Batch {batch} is already shipped (RA RA-77, SF Express SF1 on ")
    with sf() as db:
        assert db.scalars(select(LabelJob)).all() == []
    assert view.ship_button.text() == "Print paperwork again (Ctrl+P)"

    qtbot.keyClick(view.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert messages[-1].title == f"Paperwork of {batch} printed again"
    with sf() as db:
        jobs = {j.kind: j for j in db.scalars(select(LabelJob))}
    assert set(jobs) == {"rtv_packing_list", "rtv_carton"}
    assert [t for _, t in decoded(pdf_pages(jobs["rtv_carton"].payload, 203)[0])] == ["RA-77", batch]
    assert RtvService(ctx).batch(dock.supervisor, batch).state == RtvState.SHIPPED


def test_at_a_dock_that_syncs_a_credit_is_shown_as_waiting_for_central(qtbot, sf, background, bridge, messages):
    """The desk answers at once: the credit is recorded, and the banner and the batch say it
    waits for central (one credit per batch in the company); the batch is not credited yet."""
    import uuid

    from station.core.station_state import PULL_CURSOR, write_value

    dock = make_dock(sf)
    rtv = with_vendor(dock)
    batch = rtv.open_batch(dock.supervisor, "SZPT").number
    rtv.add(dock.supervisor, batch, rtv_unit(dock, value="1000.00"))
    rtv.ship(dock.supervisor, batch, ra_number="RA-1", carrier="SF", tracking="SF1")
    rtv.acknowledge(dock.supervisor, batch)
    with sf.begin() as db:  # this dock has met a central: its commitments wait for central's word
        write_value(db.connection(), PULL_CURSOR, {"central_id": str(uuid.uuid4())})
    view = show(qtbot, RtvView(RtvService(dock.qc.ctx), dock.supervisor, background, bridge, lambda b: None))
    view.refresh()
    view.select(batch)
    focus(qtbot, view.amount)
    qtbot.keyClicks(view.amount, "900.00")
    qtbot.keyClick(view.amount, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert (messages[-1].code, messages[-1].title) == ("rtv_credit_pending",
                                                       f"Credit of claim {batch} recorded: waits for central")
    assert messages[-1].text.startswith("Credit of 900.00 CNY (") and "waits for central to confirm" in messages[-1].text
    assert "waits for central to confirm" in view.detail.text() and "Credited" not in view.detail.text()
    assert view.batch_table.item(0, 2).text() == "acknowledged, credit pending"
    assert RtvService(dock.qc.ctx).batch(dock.supervisor, batch).state == RtvState.ACKNOWLEDGED
