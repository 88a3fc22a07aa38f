"""Nothing dropped without a word (issue 15, problem 4): another parcel scanned over a card
with unsaved work asks first; the idle lock keeps the draft for the same operator."""

from __future__ import annotations

from sqlalchemy import select

from station.models import Receipt
from tests.ui.conftest import Station, sign_in
from tests.ui.test_receiving_story import clerk, make_rma  # noqa: F401 - fixture
from ui.views.receiving import ReceivingView


def card_with_work(station: Station, view: ReceivingView, catalogue) -> tuple[str, str]:  # noqa: ANN001
    first = make_rma(station, catalogue).number
    second = make_rma(station, catalogue).number
    station.keys.scan(first)
    station.keys.press("Alt+W")
    station.keys.type("0.45")
    station.keys.press("Alt+2")
    assert view.parcel.weight.text() == "0.45"
    return first, second


class TestAnotherParcelOverUnsavedWork:
    def test_it_asks_first_and_enter_receives_the_open_card_then_shows_the_new_one(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001, F811
        first, second = card_with_work(station, clerk, catalogue)
        station.keys.scan(second)
        assert station.last.code == "unsaved_card"
        assert station.last.next_step == "Enter: receive this one first   ·   Esc: discard it"
        assert clerk.pending_code == first and clerk.parcel.weight.text() == "0.45"
        station.keys.press("Return")
        with station.session_factory() as db:
            receipt = db.scalars(select(Receipt)).one()
        assert receipt.weight_g == 450
        assert clerk.pending_code == second and clerk.card.card.number == second

    def test_the_first_parcels_outcome_stays_on_screen_until_the_next_is_confirmed(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001, F811
        """Enter at "not received yet" received the first parcel, then the second's card and
        banner took the screen: the first one's result (its LPNs) vanished before anyone read it."""
        from station.models import Unit

        first, second = card_with_work(station, clerk, catalogue)
        station.keys.scan(second)
        station.keys.press("Return")
        assert clerk.pending_code == second and station.last.code == "found"
        with station.session_factory() as db:
            first_lpns = sorted(db.scalars(select(Unit.lpn)))
        assert first_lpns
        shown = clerk.last_parcel
        assert shown.isVisible() and shown.text().startswith(f"Last parcel: {first} — Received")
        assert all(lpn in shown.text() for lpn in first_lpns)
        station.keys.scan("JD0099887766")  # an unknown parcel: its banner, not the first one's LPN list
        assert not clerk.lpns.isVisible() and shown.isVisible() and first in shown.text()
        station.keys.press("Escape")  # clearing is no confirmation: the line stays
        assert shown.isVisible() and first in shown.text()
        station.keys.scan(second)
        station.keys.press("Return")  # the next parcel confirmed: its outcome takes the line
        assert shown.text().startswith(f"Last parcel: {second} — Received") and first not in shown.text()

    def test_esc_discards_the_open_card_and_shows_the_new_one(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001, F811
        first, second = card_with_work(station, clerk, catalogue)
        station.keys.scan(second)
        station.keys.press("Escape")
        assert station.count(Receipt) == 0
        assert clerk.pending_code == second and clerk.parcel.weight.text() == ""

    def test_a_card_without_work_is_replaced_at_once(self, station: Station, clerk: ReceivingView,
                                                     catalogue) -> None:  # noqa: ANN001, F811
        first = make_rma(station, catalogue).number
        second = make_rma(station, catalogue).number
        station.keys.scan(first)
        station.keys.scan(second)
        assert clerk.pending_code == second and station.last.code == "found"


class TestIdleLockKeepsTheDraft:
    def test_the_same_clerk_gets_the_filled_card_back_after_the_idle_lock(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001, F811
        first, _ = card_with_work(station, clerk, catalogue)
        station.window.lock()
        assert station.window.actor is None and station.last.title == "Station locked"
        sign_in(station, "EMP1001", "1234")
        assert station.last.code == "resumed"
        view = station.window.views["receiving"]
        assert view is clerk and view.pending_code == first
        assert view.parcel.weight.text() == "0.45" and view.parcel.condition.currentIndex() == 1
        station.keys.press("Return")
        assert station.last.title == "Received"

    def test_another_operator_gets_fresh_views_and_the_draft_is_dropped(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001, F811
        card_with_work(station, clerk, catalogue)
        station.window.lock()
        sign_in(station, "EMP3001", "3456")
        view = station.window.views["receiving"]
        assert view is not clerk and view.pending_code is None
        station.window.sign_out()
        sign_in(station, "EMP1001", "1234")
        assert station.window.views["receiving"].pending_code is None

    def test_the_other_operator_is_told_whose_card_was_put_away(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001, F811
        first, _ = card_with_work(station, clerk, catalogue)
        station.window.lock()
        sign_in(station, "EMP3001", "3456")
        put_away = [m for m in station.messages if m.code == "work_put_away"]
        assert put_away and put_away[-1].title == "Zhang Min's work was put away"
        assert first in put_away[-1].text and station.count(Receipt) == 0


class TestF12KeepsTheCard:
    def test_f12_over_an_unreceived_card_keeps_it_for_the_same_clerk_and_says_so(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001, F811
        first = make_rma(station, catalogue).number
        station.keys.scan(first)
        station.keys.press("F12")
        assert station.window.actor is None
        assert (station.last.code, station.last.title) == ("work_kept", "Zhang Min signed out")
        assert first in station.last.text
        sign_in(station, "EMP1001", "1234")
        assert station.last.code == "resumed" and station.window.views["receiving"].pending_code == first
        station.keys.press("Return")
        assert station.last.title == "Received" and station.count(Receipt) == 1

    def test_f12_with_nothing_open_signs_out_as_before(self, station: Station, clerk: ReceivingView) -> None:  # noqa: F811
        station.keys.press("F12")
        assert station.window.actor is None
        assert all(m.code != "work_kept" for m in station.messages)
        sign_in(station, "EMP1001", "1234")
        assert station.last.code == "signed_in"

    def test_a_role_change_does_not_hand_back_views_of_the_old_role_but_reopens_the_card(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001, F811
        first = make_rma(station, catalogue).number
        station.keys.scan(first)
        station.keys.press("F12")
        change_role(station, "EMP1001", "SUPERVISOR")
        sign_in(station, "EMP1001", "1234")
        assert "queues" in station.window.views, "the supervisor's views, not the clerk's kept ones"
        receiving = station.window.views["receiving"]
        assert receiving is not clerk and receiving.pending_code == first
        [reopened] = [m for m in station.messages if m.code == "work_reopened"]
        assert reopened.text == f"Your role changed: the card of RMA {first} is open again, not received yet."
        assert all(m.code != "work_put_away" for m in station.messages)
        station.keys.press("Return")
        assert station.last.title == "Received" and station.count(Receipt) == 1


class TestIdleLockAndRoleChange:
    def test_the_idle_lock_then_a_role_change_reopens_the_card_on_the_new_views(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001, F811
        first, _ = card_with_work(station, clerk, catalogue)
        station.window.lock()
        change_role(station, "EMP1001", "SUPERVISOR")
        sign_in(station, "EMP1001", "1234")
        assert station.window.views["receiving"].pending_code == first
        assert any(m.code == "work_reopened" for m in station.messages)

    def test_a_role_without_receiving_is_told_the_card_was_put_away(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001, F811
        first = make_rma(station, catalogue).number
        station.keys.scan(first)
        station.window.lock()
        change_role(station, "EMP1001", "INSPECTOR")
        sign_in(station, "EMP1001", "1234")
        assert "receiving" not in station.window.views
        [put_away] = [m for m in station.messages if m.code == "work_put_away"]
        assert first in put_away.text and station.count(Receipt) == 0


def change_role(station: Station, badge: str, role: str) -> None:
    from sqlalchemy import update

    from station.models import Operator, Role
    with station.session_factory.begin() as db:
        db.execute(update(Operator).where(Operator.badge == badge).values(role=Role[role]))
