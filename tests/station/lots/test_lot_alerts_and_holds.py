"""Issue 26, warn and act: a lot rule raises an alert with the lot's units linked and a
``lot.alert`` event; a supervisor's hold lists the restocked units to pull back, emits
``lot.held``, and holds the next unit of the lot scanned at receiving, in both languages."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from station.analytics.thresholds import load_thresholds
from station.core.errors import ConfigError, IllegalTransition, PermissionDenied
from station.models import AuditEvent, DispositionKind, DomainEvent, Unit, UnitState
from station.supervision.alert_words import message_zh, subject_words
from station.supervision.alerts import AlertService
from station.supervision.lot_events import lot_key
from station.supervision.lot_holds import LotHoldService
from tests.helpers.builders import NOW, make_context
from tests.station.lots.conftest import receive_lot

RULES = """
version = 1
[[rule]]
id = "bad_lot"
kind = "lot_return_rate"
max_rate_percent = 5.0
min_sold = 50
owner_email = "quality@acme.example"
[[rule]]
id = "many_from_one_lot"
kind = "lot_returns"
max_units = 10
window_days = 7
"""


def rules_from(tmp_path, text: str = RULES):  # noqa: ANN001, ANN201
    path = tmp_path / "alerts.toml"
    path.write_text(text, encoding="utf-8")
    return load_thresholds(path)


class TestLotRules:
    def test_the_bad_lot_raises_one_alert_per_rule_with_its_units_linked_and_a_lot_alert_event(self, lot_dock, tmp_path) -> None:  # noqa: ANN001
        result = AlertService(make_context(lot_dock["sf"], lot_dock["clock"]), rules_from(tmp_path)).check(NOW.date())
        assert sorted((a.rule, a.subject) for a in result.raised) == [("bad_lot", "lot LS-01 L2"),
                                                                      ("many_from_one_lot", "lot LS-01 L2")]
        rate = next(a for a in result.raised if a.rule == "bad_lot")
        assert rate.owner_email == "quality@acme.example"
        assert rate.message.startswith("Lot L2 of LS-01 returned 12.0 % of 100 sold in ")
        assert rate.message.endswith("(limit 5.0 %). Most said: Defective / does not work (8).")
        assert sorted(rate.figures["lpns"]) == sorted(lot_dock["lpns"]["L2"])
        assert subject_words(rate.subject, rate.figures, True) == "批号 L2（LS-01）"
        assert message_zh(rate.message, rate.figures).startswith("批号 L2（LS-01）售出 100 件，在 ")
        assert "退货 12 件（12.0%），超过上限 5.0%；最多的原因：" in message_zh(rate.message, rate.figures)
        with lot_dock["sf"]() as db:
            events = db.scalars(select(DomainEvent).where(DomainEvent.name == "lot.alert")).all()
        assert {e.rma_number for e in events} == {lot_key("LS-01", "L2")}
        assert {e.payload["rule"] for e in events} == {"bad_lot", "many_from_one_lot"}
        assert next(e for e in events if e.payload["rule"] == "bad_lot").payload["figures"]["sold"] == 100

    def test_a_lot_rule_with_a_nonsense_threshold_is_refused_with_its_line(self, tmp_path) -> None:  # noqa: ANN001
        with pytest.raises(ConfigError, match="max_units 0 must be at least 1"):
            rules_from(tmp_path, RULES.replace("max_units = 10", "max_units = 0"))


class TestHolds:
    def test_the_supervisor_holds_the_lot_and_sees_the_restocked_units_to_pull_back(self, lot_dock) -> None:  # noqa: ANN001
        restocked = lot_dock["lpns"]["L2"][-1]
        with lot_dock["sf"].begin() as db:
            db.execute(update(Unit).where(Unit.lpn == restocked).values(
                disposition=DispositionKind.RESTOCK, state=UnitState.DISPOSITIONED, bin="A-03-2"))
        service = LotHoldService(make_context(lot_dock["sf"], lot_dock["clock"]))
        view = service.hold(lot_dock["supervisor"], "ls-01", "L2", "Caps crack: supplier batch defect")
        assert [(u.lpn, u.bin) for u in view.restocked] == [(restocked, "A-03-2")]
        assert view.words() == ("Lot L2 of LS-01 is on hold: Caps crack: supplier batch defect. Units of it scanned "
                                "from now on are held for QC; 1 unit already restocked to pull back.")
        assert view.words("zh").startswith("批号 L2（LS-01）已暂扣：Caps crack: supplier batch defect。")
        with lot_dock["sf"]() as db:
            held = db.scalars(select(DomainEvent).where(DomainEvent.name == "lot.held")).one()
            audit = db.scalars(select(AuditEvent).where(AuditEvent.action == "lot.held")).one()
        assert held.payload["restocked_lpns"] == [restocked] and held.rma_number == lot_key("LS-01", "L2")
        assert audit.details["reason"] == "Caps crack: supplier batch defect"
        with pytest.raises(IllegalTransition, match="already on hold"):
            service.hold(lot_dock["supervisor"], "LS-01", "L2", "again")
        with pytest.raises(PermissionDenied):
            service.hold(lot_dock["clerk"], "LS-01", "L1", "a clerk cannot")

    def test_the_next_unit_of_the_held_lot_is_held_for_qc_with_the_reason_in_words(self, lot_dock) -> None:  # noqa: ANN001
        LotHoldService(make_context(lot_dock["sf"], lot_dock["clock"])).hold(
            lot_dock["supervisor"], "LS-01", "L2", "Caps crack")
        result = lot_dock["service"].receive(lot_dock["clerk"], lot_dock["spare"], _lot_parcel("L2"))
        lpn = result.units[0].lpn
        assert "lot_held" in result.flags and "lot_held" in result.units[0].flags
        assert f"{lpn} is from lot L2 of LS-01, on hold (Caps crack): put it on the QC hold shelf" in result.message
        assert f"{lpn} 属于暂扣批号 L2（LS-01，原因：Caps crack）：请放到质检暂扣货架" in result.message_zh

    def test_a_released_lot_is_no_longer_held(self, lot_dock) -> None:  # noqa: ANN001
        service = LotHoldService(make_context(lot_dock["sf"], lot_dock["clock"]))
        service.hold(lot_dock["supervisor"], "LS-01", "L2", "Caps crack")
        assert service.release(lot_dock["supervisor"], "LS-01", "L2", "supplier proved the caps fine") == 1
        assert service.holds(lot_dock["supervisor"]) == []
        lpn = receive_lot(lot_dock["service"], lot_dock["clerk"], lot_dock["spare"], "L2")
        with lot_dock["sf"]() as db:
            assert "lot_held" not in db.scalar(select(Unit.flags).where(Unit.lpn == lpn))


def _lot_parcel(lot: str):  # noqa: ANN202
    from station.receiving.service import ItemCheck, ParcelInput

    return ParcelInput(items={1: (ItemCheck("6900000000014", lot=lot),)})


def test_at_qc_a_unit_of_a_held_lot_in_perfect_condition_still_goes_to_quarantine(lot_dock) -> None:  # noqa: ANN001
    from station.inspection.service import InspectionService
    from station.models import Role
    from tests.helpers.builders import add_operator
    from tests.helpers.qc import good_answer

    LotHoldService(make_context(lot_dock["sf"], lot_dock["clock"])).hold(
        lot_dock["supervisor"], "LS-01", "L2", "Caps crack")
    lpn = lot_dock["service"].receive(lot_dock["clerk"], lot_dock["spare"], _lot_parcel("L2")).units[0].lpn
    with lot_dock["sf"].begin() as db:
        inspector = add_operator(db, Role.INSPECTOR)
    qc = InspectionService(make_context(lot_dock["sf"], lot_dock["clock"]))
    view = qc.start(inspector, lpn)
    while view.next_question is not None:
        view = qc.answer(inspector, view.inspection_id, view.next_question.id, good_answer(view.next_question))
    result = qc.finish(inspector, view.inspection_id)
    assert [f.code for f in result.flags] == ["lot_held"]  # nothing else wrong with it
    held = result.flags[0]
    assert (held.en, held.zh) == ("Production lot on hold: held for QC", "生产批号被暂扣：待质检处理")
    assert result.recommended.value == "quarantine"
