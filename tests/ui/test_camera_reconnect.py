"""A dock camera that comes back: the network camera stops or stalls, the clerk reads what
happened on the preview at once and is told to scan by hand; the picture comes back by
itself, and nothing read before the gap is lost or announced twice.

The camera is real MJPEG over HTTP on 127.0.0.1 (tests/helpers/mjpeg_server.py) read by
``cv2.VideoCapture`` in the arrival worker, through the real receiving view and a SQLite file.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QImage
from sqlalchemy.orm import Session, sessionmaker

from drivers.scanners.fake_camera import ArrivalClip, compose_arrivals
from station.core.identifiers import make_rma_number
from station.core.settings import defaults
from station.models import Receipt
from tests.drivers.scanners.clips import H, W, label, parcel
from tests.helpers.builders import add_rma
from tests.helpers.mjpeg_server import MjpegServer
from tests.ui.conftest import Station, make_station, sign_in
from ui.views.receiving import ReceivingView
from ui.widgets.camera_preview import ArrivalPreview

RMA_A = make_rma_number(8201)
LEAD, ENTER, HOLD = 5, 8, 45


@pytest.fixture(scope="module")
def clip() -> ArrivalClip:
    """An empty table for ``LEAD`` frames, then one parcel slides in, rests, and leaves."""
    return compose_arrivals([parcel(label(RMA_A, "qrcode"), label("SF5550000000011"), hold=HOLD)],
                            W, H, seed=6, lead=LEAD)


def camera_dock(qtbot, factory: sessionmaker[Session], catalogue, camera: MjpegServer) -> Iterator[Station]:  # noqa: ANN001
    with factory.begin() as db:
        add_rma(db, [(catalogue["shirt"], 1)], number=RMA_A, tracking="SF5550000000011")
    settings = defaults().replace(**{"camera.uri": camera.url, "camera.arrivals": True})
    yield from make_station(qtbot, factory, settings)


@pytest.fixture
def empty_table(clip: ArrivalClip) -> Iterator[MjpegServer]:
    """A network camera looking at the empty table (its last picture stays in view)."""
    with MjpegServer(clip.frames[:LEAD]) as camera:
        yield camera


@pytest.fixture
def camera_not_up_yet(empty_table: MjpegServer) -> MjpegServer:
    empty_table.stop()
    return empty_table


@pytest.fixture
def dock_before_the_camera(qtbot, ui_session_factory, people, catalogue,  # noqa: ANN001
                           camera_not_up_yet: MjpegServer) -> Iterator[Station]:
    yield from camera_dock(qtbot, ui_session_factory, catalogue, camera_not_up_yet)


@pytest.fixture
def dock_on_empty_table(qtbot, ui_session_factory, people, catalogue, empty_table: MjpegServer) -> Iterator[Station]:  # noqa: ANN001
    yield from camera_dock(qtbot, ui_session_factory, catalogue, empty_table)


def receiving(station: Station) -> tuple[ReceivingView, ArrivalPreview]:
    sign_in(station, "EMP1001", "1234")
    view = station.window.views["receiving"]
    assert isinstance(view, ReceivingView) and isinstance(view.arrivals, ArrivalPreview)
    return view, view.arrivals


def greyed(preview: ArrivalPreview) -> bool:
    """The picture shown is the last frame in grey (every pixel without colour)."""
    image = preview.picture.pixmap().toImage().convertToFormat(QImage.Format.Format_RGB32)
    if image.isNull():
        return False
    samples = [image.pixelColor(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 29)]
    return all(c.red() == c.green() == c.blue() for c in samples) and len({c.red() for c in samples}) > 5


def test_clerk_sees_camera_lost_in_words_and_the_picture_comes_back_by_itself(
        qtbot, dock_on_empty_table: Station, empty_table: MjpegServer, clip: ArrivalClip) -> None:  # noqa: ANN001
    station = dock_on_empty_table
    view, preview = receiving(station)
    qtbot.waitUntil(lambda: preview.camera == "live" and preview.frames_shown > 3, timeout=5000)
    assert preview.camera_label.isHidden()

    empty_table.stop()  # the camera reboots: the stream ends, connecting is refused
    qtbot.waitUntil(lambda: preview.picture_lost, timeout=1500)  # in words within about a second
    assert preview.camera_label.text().startswith("Camera picture lost")
    assert preview.next_label.text() == "Scan the parcels by hand until the picture is back."
    assert greyed(preview)  # the last picture stays, greyed, the words over it
    qtbot.waitUntil(lambda: "attempt 2" in preview.camera_label.text(), timeout=3000)
    assert preview.camera_label.text() == "Camera picture lost: reconnecting (attempt 2, next try in 1 s)"
    assert preview.state == "waiting"

    empty_table.play(clip.frames)  # back up; a parcel is set down
    empty_table.start()
    qtbot.waitUntil(lambda: preview.camera == "back", timeout=5000)
    assert preview.camera_label.text() == "Camera back"
    assert "by hand" not in preview.next_label.text()  # the usual next step again
    qtbot.waitUntil(lambda: view.card.card is not None, timeout=10000)
    assert view.card.card.number == RMA_A and station.last.title == f"RMA {RMA_A} found"
    assert preview.state == "identified" and not greyed(preview)


def test_a_parcel_identified_before_the_stream_stalls_keeps_its_card_and_is_not_announced_again(
        qtbot, dock_on_empty_table: Station, empty_table: MjpegServer, clip: ArrivalClip) -> None:  # noqa: ANN001
    station, camera = dock_on_empty_table, empty_table
    view, preview = receiving(station)
    announced: list[str] = []
    states: list[str] = []
    preview.identified.connect(announced.append)
    preview.state_changed.connect(states.append)
    qtbot.waitUntil(lambda: preview.frames_shown > 3, timeout=5000)  # the camera knows the empty table
    camera.play(clip.frames[:LEAD + ENTER + 20])  # a parcel is set down and stays
    qtbot.waitUntil(lambda: view.card.card is not None, timeout=10000)
    assert announced == [RMA_A] and preview.roles() == {RMA_A: "RMA", "SF5550000000011": "tracking"}

    camera.stall()  # the connection stays open; no picture comes
    qtbot.waitUntil(lambda: preview.camera == "stalled", timeout=2500)
    assert preview.camera_label.text() == "Camera picture lost: waiting for it to come back"
    assert preview.state == "identified" and view.card.card.number == RMA_A  # the card stays
    assert "confirmation key" in preview.next_label.text() and "by hand" in preview.next_label.text()
    qtbot.waitUntil(lambda: preview.camera == "reconnecting", timeout=5000)  # the read timed out

    camera.resume()  # the same parcel is still on the table
    qtbot.waitUntil(lambda: preview.camera == "back", timeout=5000)
    shown = preview.frames_shown
    qtbot.waitUntil(lambda: preview.frames_shown > shown + 15, timeout=5000)
    assert announced == [RMA_A] and preview.state == "identified"
    assert preview.roles() == {RMA_A: "RMA", "SF5550000000011": "tracking"}  # what was read stays

    camera.play(clip.frames[LEAD + ENTER + HOLD:])  # the clerk takes the parcel away
    qtbot.waitUntil(lambda: preview.state == "waiting", timeout=5000)
    assert states == ["reading", "identified", "waiting"]  # one parcel, one arrival, through the gap
    station.keys.press("Return")
    assert station.last.code == "received" and station.count(Receipt) == 1


def test_a_camera_not_up_when_receiving_opens_is_waited_for_and_its_picture_shown_when_it_comes(
        qtbot, dock_before_the_camera: Station, camera_not_up_yet: MjpegServer) -> None:  # noqa: ANN001
    view, preview = receiving(dock_before_the_camera)
    qtbot.waitUntil(lambda: "attempt 1," in preview.camera_label.text(), timeout=3000)
    assert preview.camera_label.text() == "No camera picture: trying again (attempt 1, next try in 0.5 s)"
    assert preview.picture.text() == preview.camera_label.text()  # no picture yet: the words alone
    assert preview.next_label.text() == "Scan the parcels by hand until the picture is back."
    camera_not_up_yet.start()
    qtbot.waitUntil(lambda: preview.camera == "live" and preview.frames_shown > 0, timeout=5000)
    assert preview.camera_label.isHidden() and not preview.picture.pixmap().isNull()
    assert preview.next_label.text() == "Set the parcel down under the camera."
