"""Hands-free receiving: a parcel set down under the dock camera opens its card by itself;
the clerk's Enter (or the foot switch named in settings) receives it, once.

The camera is a composed MJPG clip (drivers/scanners/fake_camera.py) played by the arrival
worker thread at its own frame rate, through the real receiving view and a real SQLite file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy.orm import Session, sessionmaker

from station.core.identifiers import make_rma_number
from station.core.settings import defaults
from station.models import Receipt
from tests.drivers.scanners.clips import clip_file, label, parcel
from tests.helpers.builders import add_rma
from tests.ui.conftest import Station, make_station, sign_in
from ui.views.receiving import ReceivingView
from ui.widgets.camera_preview import ArrivalPreview

RMA_A, RMA_B = make_rma_number(8101), make_rma_number(8102)


def camera_dock(qtbot, factory: sessionmaker[Session], catalogue, clip: Path, **settings) -> Iterator[Station]:  # noqa: ANN001
    with factory.begin() as db:
        add_rma(db, [(catalogue["shirt"], 1)], number=RMA_A, tracking="SF5550000000001")
        add_rma(db, [(catalogue["shirt"], 1)], number=RMA_B, tracking="SF5550000000002")
    values = {"camera.uri": f"camera://{clip}", "camera.arrivals": True, **settings}
    yield from make_station(qtbot, factory, defaults().replace(**values))


@pytest.fixture
def one_parcel(qtbot, tmp_path, ui_session_factory, people, catalogue) -> Iterator[Station]:  # noqa: ANN001
    path, _ = clip_file(tmp_path / "one.avi", [parcel(label(RMA_A, "qrcode"), label("SF5550000000001"), hold=45)], seed=6)
    yield from camera_dock(qtbot, ui_session_factory, catalogue, path)


@pytest.fixture
def mixed_labels(qtbot, tmp_path, ui_session_factory, people, catalogue) -> Iterator[Station]:  # noqa: ANN001
    path, _ = clip_file(tmp_path / "mixed.avi", [parcel(label(RMA_A), label("SF5550000000002"), hold=30)], seed=6)
    yield from camera_dock(qtbot, ui_session_factory, catalogue, path)


@pytest.fixture
def foot_switch(qtbot, tmp_path, ui_session_factory, people, catalogue) -> Iterator[Station]:  # noqa: ANN001
    path, _ = clip_file(tmp_path / "foot.avi", [parcel(label("SF5550000000002"), hold=45)], seed=2)
    yield from camera_dock(qtbot, ui_session_factory, catalogue, path, **{"camera.confirm_key": "F13"})


@pytest.fixture
def trembling_hand(qtbot, tmp_path, ui_session_factory, people, catalogue) -> Iterator[Station]:  # noqa: ANN001
    # The clerk keeps a hand on the box: it shifts a pixel every frame and, at the default
    # camera.motion_percent (0.2 %), never settles (decode-video --explain: "the stillest
    # frame still had 3 % of the watched area moving").
    box = parcel(label(RMA_A, "qrcode"), label("SF5550000000001"), hold=45, jitter=1)
    path, _ = clip_file(tmp_path / "trembling.avi", [box], seed=6)
    yield from camera_dock(qtbot, ui_session_factory, catalogue, path, **{"camera.motion_percent": 8.0})


def receiving(station: Station) -> tuple[ReceivingView, ArrivalPreview]:
    sign_in(station, "EMP1001", "1234")
    view = station.window.views["receiving"]
    assert isinstance(view, ReceivingView) and isinstance(view.arrivals, ArrivalPreview)
    return view, view.arrivals


def test_parcel_under_the_camera_opens_its_card_and_enter_receives_it_once(one_parcel: Station, qtbot) -> None:  # noqa: ANN001
    view, preview = receiving(one_parcel)
    states: list[str] = []
    preview.state_changed.connect(states.append)
    qtbot.waitUntil(lambda: view.card.card is not None, timeout=15000)
    assert view.card.card.number == RMA_A
    assert one_parcel.last.title == f"RMA {RMA_A} found"
    assert preview.state == "identified" and preview.roles() == {RMA_A: "RMA", "SF5550000000001": "tracking"}
    assert "confirmation key" in preview.next_label.text()
    assert one_parcel.count(Receipt) == 0  # nothing is received without the clerk
    one_parcel.keys.press("Return")
    assert one_parcel.last.code == "received"
    qtbot.waitUntil(lambda: not preview.running, timeout=15000)  # the clip played to its end
    assert one_parcel.count(Receipt) == 1
    assert states[-1] == "waiting" and states.count("identified") == 1


def test_labels_of_two_rmas_on_one_parcel_are_a_banner_and_no_card(mixed_labels: Station, qtbot) -> None:  # noqa: ANN001
    view, preview = receiving(mixed_labels)
    qtbot.waitUntil(lambda: preview.state == "conflict", timeout=15000)
    assert mixed_labels.last.code == "camera_conflict"
    assert RMA_A in mixed_labels.last.text and RMA_B in mixed_labels.last.text
    assert view.card.card is None and view.pending_code is None
    mixed_labels.keys.press("Return")
    assert mixed_labels.count(Receipt) == 0


def test_a_foot_switch_key_from_settings_receives_a_parcel_found_by_tracking(foot_switch: Station, qtbot) -> None:  # noqa: ANN001
    view, preview = receiving(foot_switch)
    qtbot.waitUntil(lambda: view.card.card is not None, timeout=15000)
    assert view.card.card.number == RMA_B and preview.roles() == {"SF5550000000002": "tracking"}
    QApplication.sendEvent(QApplication.focusWidget(), QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F13,
                                                                 Qt.KeyboardModifier.NoModifier))
    assert foot_switch.last.code == "received" and foot_switch.count(Receipt) == 1


def test_a_dock_tuned_for_a_trembling_hand_reads_the_parcel_held_in_place(trembling_hand: Station, qtbot) -> None:  # noqa: ANN001
    view, preview = receiving(trembling_hand)
    assert preview.thresholds.motion_percent == 8.0
    qtbot.waitUntil(lambda: view.card.card is not None, timeout=15000)
    assert view.card.card.number == RMA_A
