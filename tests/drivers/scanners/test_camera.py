"""Camera scanner: frames from an MJPG video written by OpenCV, decoded off the caller's thread;
a network camera (MJPEG over HTTP on 127.0.0.1) that reboots is read again by itself."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from drivers.scanners import ScannerUnavailable, open_scanner
from drivers.scanners.camera import CameraScanner
from drivers.scanners.camera_link import LinkState, LinkStatus
from drivers.scanners.fake_camera import scene_frames, write_video
from drivers.scanners.frame_decoder import FrameDecoder
from tests.helpers.mjpeg_server import MjpegServer


@pytest.fixture(scope="module")
def label_video(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    frames = list(scene_frames(640, 480, frames=90, scene_length=30, seed=5))
    path = write_video(tmp_path_factory.mktemp("video") / "dock.avi", [f.image for f in frames])
    return path, list(dict.fromkeys(f.text for f in frames))


def test_each_label_held_under_the_camera_is_reported_once(label_video: tuple[Path, list[str]]) -> None:
    path, texts = label_video
    camera = open_scanner(f"camera://{path}?hold_off=10")
    assert isinstance(camera, CameraScanner)
    started = time.perf_counter()
    camera.start()
    assert time.perf_counter() - started < 0.5  # start never waits for frames or decoding
    assert camera.wait_until_done(timeout=30)
    camera.stop()
    scans = list(camera.scans(timeout=0))
    assert [s.text for s in scans] == texts
    assert camera.frames_decoded == 90
    assert scans[0].symbology == "code128"


def test_same_code_after_the_hold_off_is_reported_again(label_video: tuple[Path, list[str]]) -> None:
    path, texts = label_video
    camera = CameraScanner(str(path), hold_off_s=0.0)
    with camera:
        camera.wait_until_done(timeout=30)
    assert len(list(camera.scans(timeout=0))) > len(texts)


def test_camera_that_is_not_there_is_reported() -> None:
    with pytest.raises(ScannerUnavailable, match="cannot be opened"):
        CameraScanner("/nonexistent/video.avi").start()


def test_frame_decoder_reads_codes_turned_90_degrees_at_720p() -> None:
    decoder = FrameDecoder()
    frames = [f for f in scene_frames(1280, 720, frames=60, scene_length=30, seed=9)]
    rotated = [f for f in frames if f.rotated]
    assert rotated
    hits = sum(any(d.text == f.text for d in decoder.decode(f.image)) for f in rotated)
    assert hits >= 0.9 * len(rotated)


def test_labels_shown_to_a_network_camera_after_it_rebooted_are_scanned() -> None:
    scenes = list(scene_frames(640, 480, frames=60, scene_length=30, seed=5))
    before, after = scenes[:30], scenes[30:]
    assert before[0].text != after[0].text
    statuses: list[LinkStatus] = []
    with MjpegServer([f.image for f in before]) as network:
        camera = CameraScanner(network.url, on_status=statuses.append)
        with camera:
            assert camera.read(timeout=10).text == before[0].text
            network.stop()  # rebooting: the stream ends, connecting is refused for a while
            for _ in range(100):
                if camera.link_status.state is LinkState.RECONNECTING:
                    break
                time.sleep(0.05)
            network.play([f.image for f in after])
            network.start()
            scan = camera.read(timeout=10)
        assert scan is not None and scan.text == after[0].text
    states = [s.state for s in statuses]
    assert states[:4] == [LinkState.OPENING, LinkState.LIVE, LinkState.LOST, LinkState.RECONNECTING]
    assert LinkState.BACK in states
