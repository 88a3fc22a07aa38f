"""Inspection camera: a live preview from a worker thread and F7 capture into the unit's
photos, with an MJPG video standing in for the camera (no camera on these machines)."""

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
from tests.ui.conftest import Station, make_station, sign_in
from tests.ui.test_inspection_story import press, received_unit
from ui.views.inspection import InspectionView


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """Twelve 320x240 frames of a red box on grey, written as MJPG like PLATFORM.md says."""
    path = tmp_path / "camera.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30.0, (320, 240))
    assert writer.isOpened()
    for i in range(12):
        frame = np.full((240, 320, 3), 128, np.uint8)
        cv2.rectangle(frame, (60 + i, 40), (260 + i, 200), (0, 0, 220), -1)
        writer.write(frame)
    writer.release()
    return path


def camera_station(qtbot, factory: sessionmaker[Session], uri: str) -> Iterator[Station]:  # noqa: ANN001
    yield from make_station(qtbot, factory, defaults().replace(**{"camera.uri": uri}))


@pytest.fixture
def live(qtbot, ui_session_factory: sessionmaker[Session], people: None, video: Path) -> Iterator[Station]:  # noqa: ANN001
    yield from camera_station(qtbot, ui_session_factory, f"camera://{video}")


@pytest.fixture
def missing(qtbot, ui_session_factory: sessionmaker[Session], people: None, tmp_path: Path) -> Iterator[Station]:  # noqa: ANN001
    yield from camera_station(qtbot, ui_session_factory, f"camera://{tmp_path}/no-such-camera.avi")


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
