"""Inspection camera: a live preview from a worker thread and F7 capture into the unit's
photos, with an MJPG video standing in for the camera (no camera on these machines), and a
network camera (MJPEG over HTTP on 127.0.0.1) that drops out and comes back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtGui import QImage
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from station.core.settings import defaults
from station.inspection.service import InspectionService
from station.models import Photo
from tests.helpers.builders import make_context
from tests.helpers.mjpeg_server import MjpegServer
from tests.ui.conftest import Station, make_station, sign_in
from tests.ui.test_inspection_story import press, received_unit
from ui.views.inspection import InspectionView


def red_box(i: int) -> np.ndarray:
    frame = np.full((240, 320, 3), 128, np.uint8)
    cv2.rectangle(frame, (60 + i, 40), (260 + i, 200), (0, 0, 220), -1)
    return frame


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """Twelve 320x240 frames of a red box on grey, written as MJPG like PLATFORM.md says."""
    path = tmp_path / "camera.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30.0, (320, 240))
    assert writer.isOpened()
    for i in range(12):
        writer.write(red_box(i))
    writer.release()
    return path


@pytest.fixture
def network_camera() -> Iterator[MjpegServer]:
    with MjpegServer([red_box(i) for i in range(12)], loop=True) as camera:
        yield camera


def camera_station(qtbot, factory: sessionmaker[Session], uri: str) -> Iterator[Station]:  # noqa: ANN001
    yield from make_station(qtbot, factory, defaults().replace(**{"camera.uri": uri}))


@pytest.fixture
def live(qtbot, ui_session_factory: sessionmaker[Session], people: None, video: Path) -> Iterator[Station]:  # noqa: ANN001
    yield from camera_station(qtbot, ui_session_factory, f"camera://{video}")


@pytest.fixture
def missing(qtbot, ui_session_factory: sessionmaker[Session], people: None, tmp_path: Path) -> Iterator[Station]:  # noqa: ANN001
    yield from camera_station(qtbot, ui_session_factory, f"camera://{tmp_path}/no-such-camera.avi")


@pytest.fixture
def networked(qtbot, ui_session_factory: sessionmaker[Session], people: None,  # noqa: ANN001
              network_camera: MjpegServer) -> Iterator[Station]:
    yield from camera_station(qtbot, ui_session_factory, network_camera.url)


def fail_a_photo_question(station: Station, view: InspectionView, qtbot) -> str:  # noqa: ANN001
    lpn = received_unit(station)
    station.keys.scan(lpn)
    press(station, qtbot, "P F", view)
    assert station.last.title == "Photo needed"
    return lpn


class TestLiveCamera:
    def test_preview_runs_and_f7_stores_the_frame_as_jpeg(self, live: Station, qtbot) -> None:  # noqa: ANN001
        sign_in(live, "EMP2001", "2345")
        view = live.window.views["inspection"]
        assert view.camera is not None
        qtbot.waitUntil(lambda: view.camera.live and not view.camera.pixmap().isNull(), timeout=5000)
        view.photo_picker = lambda _parent: pytest.fail("F7 with a live camera must not ask for a file")
        fail_a_photo_question(live, view, qtbot)
        press(live, qtbot, "F7", view)
        assert live.last.title == "Photo added" and live.last.text == "camera"
        with live.session_factory() as db:
            photo = db.scalars(select(Photo)).one()
        assert photo.content_type == "image/jpeg" and photo.item_id == "works"
        stored = InspectionService(make_context(live.session_factory, live.clock)).photos.path_for(photo.sha256)
        data = Path(stored).read_bytes()
        assert data[:3] == b"\xff\xd8\xff"
        image = QImage.fromData(data)
        assert (image.width(), image.height()) == (320, 240)
        centre = image.pixelColor(160, 120)
        assert centre.red() > 180 and centre.green() < 60 and centre.blue() < 60  # the red box

    def test_sign_out_stops_the_camera_thread(self, live: Station, qtbot) -> None:  # noqa: ANN001
        sign_in(live, "EMP2001", "2345")
        preview = live.window.views["inspection"].camera
        qtbot.waitUntil(lambda: preview.live, timeout=5000)
        thread = preview.feed._thread
        live.keys.scan("CMD:SIGNOUT")
        assert thread is not None and thread.isFinished()
        assert preview.feed is None


class TestMissingCamera:
    def test_banner_and_photos_from_a_file_still_work(self, missing: Station, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
        sign_in(missing, "EMP2001", "2345")
        view = missing.window.views["inspection"]
        qtbot.waitUntil(lambda: missing.last.code == "device_not_found", timeout=5000)
        assert missing.last.title == "Camera not available"
        assert missing.last.next_step == "Photos can still be added from a file: F7."
        picture = QImage(64, 48, QImage.Format.Format_RGB32)
        picture.fill(0x8899AA)
        assert picture.save(str(tmp_path / "bench.png"))
        view.photo_picker = lambda _parent: str(tmp_path / "bench.png")
        fail_a_photo_question(missing, view, qtbot)
        press(missing, qtbot, "F7", view)
        assert missing.last.title == "Photo added" and missing.last.text == "bench.png"
        assert missing.count(Photo) == 1


class TestCameraThatComesBack:
    def test_a_camera_that_drops_out_says_so_and_photos_come_from_a_file_until_it_is_back(
            self, networked: Station, network_camera: MjpegServer, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
        sign_in(networked, "EMP2001", "2345")
        view = networked.window.views["inspection"]
        qtbot.waitUntil(lambda: view.camera.live and not view.camera.pixmap().isNull(), timeout=5000)
        fail_a_photo_question(networked, view, qtbot)

        network_camera.stop()  # the camera reboots
        qtbot.waitUntil(lambda: not view.camera.live, timeout=1500)
        qtbot.waitUntil(lambda: "attempt 2" in view.camera.accessibleDescription(), timeout=3000)
        assert view.camera.accessibleDescription() == "Camera picture lost: reconnecting (attempt 2, next try in 1 s)"
        centre = view.camera.pixmap().toImage().pixelColor(180, 135)
        assert centre.red() == centre.green() == centre.blue()  # the last frame stays, greyed
        picture = QImage(64, 48, QImage.Format.Format_RGB32)
        picture.fill(0x8899AA)
        assert picture.save(str(tmp_path / "bench.png"))
        view.photo_picker = lambda _parent: str(tmp_path / "bench.png")
        press(networked, qtbot, "F7", view)  # no stale frame as a photo: a file is asked for
        assert networked.last.title == "Photo added" and networked.last.text == "bench.png"

        network_camera.start()
        qtbot.waitUntil(lambda: view.camera.live, timeout=5000)
        qtbot.waitUntil(lambda: view.camera.accessibleDescription() == "", timeout=2000)
        view.photo_picker = lambda _parent: pytest.fail("F7 with the camera back must not ask for a file")
        press(networked, qtbot, "F7", view)
        assert networked.last.title == "Photo added" and networked.last.text == "camera"
        assert networked.count(Photo) == 2
