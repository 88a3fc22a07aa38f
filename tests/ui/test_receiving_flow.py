"""The receiving controller without widgets: pages, what a scan and Enter do, unsaved work."""

from __future__ import annotations

from station.core.return_policy import load_policy
from station.models import RmaState
from station.scanning.classify import ScanClassifier
from tests.station.receiving.test_service import dock  # noqa: F401 - fixture
from ui.receiving_flow import CardNext, EnterAct, Page, ReceivingFlow, ScanAct


def flow() -> ReceivingFlow:
    return ReceivingFlow(load_policy(), ScanClassifier(), can_approve=False)


def test_a_card_then_enter_receives_and_another_parcel_over_unsaved_work_waits(dock) -> None:  # noqa: ANN001
    f, classify = flow(), ScanClassifier().classify
    assert f.page is Page.WAITING and f.enter_act() is EnterAct.NOTHING
    card = dock["service"].find(dock["normal"])
    assert f.on_scan(classify(dock["normal"])) == (ScanAct.LOOK_UP, dock["normal"])
    assert f.card_found(dock["normal"], card, lambda _n: 1) is CardNext.FOUND
    assert f.page is Page.CARD and f.enter_act() is EnterAct.RECEIVE
    assert f.on_scan(classify("6901234567892"))[0] is ScanAct.ITEM
    assert f.on_scan(classify("CMD:CONFIRM"))[0] is ScanAct.CONFIRM
    assert f.on_scan(classify("CMD:PASS"))[0] is ScanAct.WRONG_COMMAND
    assert not f.has_unsaved_work(False, False, False)
    assert f.has_unsaved_work(True, False, False)
    assert not f.parcel_scanned(dock["cosmetics"], has_work=True) and f.waiting_code == dock["cosmetics"]
    assert f.parcel_scanned(dock["normal"], has_work=True)  # the same parcel again is no other parcel
    assert f.escape() == dock["cosmetics"] and f.page is Page.WAITING


def test_a_cancelled_rma_is_quarantined_by_enter_and_cmd_reprint_asks_for_an_rma(dock) -> None:  # noqa: ANN001
    from sqlalchemy import select

    from station.models import Rma

    with dock["sf"].begin() as db:
        db.scalar(select(Rma).where(Rma.number == dock["normal"])).state = RmaState.CANCELLED
    f = flow()
    card = dock["service"].find(dock["normal"])
    assert f.card_found(dock["normal"], card, lambda _n: 1) is CardNext.NOT_RECEIVABLE
    assert f.enter_act() is EnterAct.QUARANTINE and f.unknown_code == dock["normal"]
    f.reset()
    assert f.reprint_code() is None and f.reprint_next
    assert f.on_scan(ScanClassifier().classify(dock["cosmetics"])) == (ScanAct.REPRINT, dock["cosmetics"])
    assert f.key_action("F9") == "quarantine" and f.key_action("Alt+3") == "condition"


def test_f9_quarantines_only_an_unknown_parcel_and_not_while_a_write_is_running(dock) -> None:  # noqa: ANN001
    f = flow()
    assert f.quarantine_code() is None
    f.lookup_failed("JD0099887766", not_found=True)
    assert f.page is Page.UNKNOWN and f.quarantine_code() == "JD0099887766"
    f.busy = True
    assert f.quarantine_code() is None
    f.busy = False
    f.card_found(dock["normal"], dock["service"].find(dock["normal"]), lambda _n: 1)
    assert f.quarantine_code() is None  # a receivable card is received, not quarantined
