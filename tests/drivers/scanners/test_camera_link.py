"""A camera that comes back: the link reopens a camera that went away, with growing delays,
says so at each step, and never looks inside a frame.

The USB camera is a fake (no camera on these machines) that behaves like one being unplugged:
while out, opening it gives a capture that is not opened, and a capture opened before reads
False. The network camera is real: MJPEG over HTTP on 127.0.0.1 read by ``cv2.VideoCapture``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from drivers.scanners.camera_link import Backoff, CameraLink, Ending, LinkState, LinkStatus, capture_opener
from tests.helpers.mjpeg_server import MjpegServer


class Picture:
    """A frame the link must pass on untouched (a lazy frame, say): not an array."""

    def __init__(self, number: int) -> None:
        self.number = number


class UsbCamera:
    """A camera on a cable: ``unplug``/``plug``; ``fail_opens`` more opens fail after that."""

    def __init__(self, fail_opens: int = 0) -> None:
        self.plugged = True
        self.unplugs = 0
        self.fail_opens = fail_opens
        self.served = 0
        self.released = 0
        self.lock = threading.Lock()

    def unplug(self) -> None:
        with self.lock:
            self.plugged = False
            self.unplugs += 1

    def plug(self, fail_opens: int = 0) -> None:
        """Plugged back; the first ``fail_opens`` opens still fail (the device is enumerating)."""
        with self.lock:
            self.plugged, self.fail_opens = True, fail_opens

    def open(self) -> UsbCapture:
        with self.lock:
            ok = self.plugged and self.fail_opens == 0
            if self.plugged and self.fail_opens:
                self.fail_opens -= 1
            return UsbCapture(self, ok, self.unplugs)


class UsbCapture:
    """A capture of the camera as it was when opened: dead once the cable is pulled, even if
    it is plugged back (the device node is a new one)."""

    def __init__(self, camera: UsbCamera, ok: bool, unplugs: int) -> None:
        self.camera, self.ok, self.unplugs = camera, ok, unplugs

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return self.ok

    def read(self) -> tuple[bool, Picture | None]:
        if not (self.ok and self.camera.plugged and self.camera.unplugs == self.unplugs):
            return False, None
        self.camera.served += 1
        return True, Picture(self.camera.served)

    def release(self) -> None:
        self.camera.released += 1


class Recorder:
    """Collects what the link reports; unplugs the camera after ``unplug_after`` frames."""

    def __init__(self, camera: UsbCamera | None = None, unplug_after: int = 0) -> None:
        self.camera, self.unplug_after = camera, unplug_after
        self.frames: list[object] = []
        self.statuses: list[LinkStatus] = []
        self.changed = threading.Condition()

    def frame(self, frame: object) -> None:
        with self.changed:
            self.frames.append(frame)
            self.changed.notify_all()
        if self.camera is not None and len(self.frames) == self.unplug_after:
            self.camera.unplug()

    def status(self, status: LinkStatus) -> None:
        with self.changed:
            self.statuses.append(status)
            self.changed.notify_all()

    def states(self) -> list[LinkState]:
        return [s.state for s in self.statuses]

    def wait_for(self, test: Callable[[], bool], timeout: float = 5.0) -> None:
        with self.changed:
            assert self.changed.wait_for(test, timeout), self.states()

    def last(self) -> LinkState | None:
        return self.statuses[-1].state if self.statuses else None

    def count(self, state: LinkState) -> int:
        return sum(s.state is state for s in self.statuses)


@pytest.fixture
def quick() -> Backoff:
    return Backoff(first=0.01, factor=2.0, cap=0.04)


def test_backoff_doubles_up_to_its_cap_and_starts_over_after_reset() -> None:
    backoff = Backoff()
    assert [backoff.next_delay() for _ in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    backoff.reset()
    assert backoff.next_delay() == 0.5
    with pytest.raises(ValueError, match="first > 0"):
        Backoff(first=0)


def test_unplugged_camera_is_retried_with_growing_delays_until_it_is_back(quick: Backoff) -> None:
    camera = UsbCamera()
    seen = Recorder(camera, unplug_after=3)
    link = CameraLink(camera.open, seen.frame, seen.status, name="usb", backoff=quick)
    link.start()
    # Out for five attempts, then plugged back: the sixth open works.
    seen.wait_for(lambda: seen.count(LinkState.RECONNECTING) >= 5)
    camera.plug()
    seen.wait_for(lambda: len(seen.frames) > 5)
    link.stop()
    assert link.join(timeout=5)
    reconnecting = [(s.attempt, s.next_try_s) for s in seen.statuses if s.state is LinkState.RECONNECTING]
    assert reconnecting[:5] == [(1, 0.01), (2, 0.02), (3, 0.04), (4, 0.04), (5, 0.04)]
    states = seen.states()
    assert states[:4] == [LinkState.OPENING, LinkState.LIVE, LinkState.LOST, LinkState.RECONNECTING]
    assert states.count(LinkState.LOST) == 1  # lost once; the failed attempts are reconnecting
    assert LinkState.BACK in states and states[-1] is LinkState.STOPPED
    assert seen.statuses[2].reason == "usb stopped sending pictures"
    # Frames go through untouched and in order, before and after the gap.
    assert all(isinstance(f, Picture) for f in seen.frames)
    numbers = [f.number for f in seen.frames]  # type: ignore[attr-defined]
    assert numbers[:3] == [1, 2, 3] and numbers == sorted(numbers) and len(numbers) > 3
    assert camera.released == link.opens  # every capture opened is released, the failed ones too


def test_a_camera_not_there_at_start_is_waited_for(quick: Backoff) -> None:
    camera = UsbCamera(fail_opens=2)
    seen = Recorder()
    link = CameraLink(camera.open, seen.frame, seen.status, backoff=quick)
    link.start()
    seen.wait_for(lambda: seen.count(LinkState.LIVE) == 1)
    link.stop()
    assert link.join(timeout=5)
    assert seen.states()[:5] == [LinkState.OPENING, LinkState.LOST, LinkState.RECONNECTING,
                                 LinkState.RECONNECTING, LinkState.LIVE]
    assert seen.statuses[1].reason == "camera cannot be opened"
    assert LinkState.BACK not in seen.states()  # never seen before: live, not back


def test_delays_start_over_after_a_steady_stretch(quick: Backoff) -> None:
    camera = UsbCamera(fail_opens=0)
    seen = Recorder()
    outages = 0

    def frame(picture: object) -> None:
        nonlocal outages
        seen.frame(picture)
        if outages < 2 and link.frames % 4 == 0 and link.frames >= 4 * (outages + 1):
            outages += 1
            camera.unplug()
            camera.plug(fail_opens=2)  # two attempts fail, the third works

    link = CameraLink(camera.open, frame, seen.status, backoff=quick, steady_s=0.0)
    link.start()
    seen.wait_for(lambda: seen.count(LinkState.BACK) == 2)
    link.stop()
    assert link.join(timeout=5)
    attempts = [(s.attempt, s.next_try_s) for s in seen.statuses if s.state is LinkState.RECONNECTING]
    assert attempts == [(1, 0.01), (2, 0.02), (3, 0.04)] * 2  # each outage starts at the first delay


def test_a_hung_read_is_reported_as_stalled_and_the_picture_back_when_it_returns() -> None:
    release = threading.Event()
    seen = Recorder()

    class HangingCapture:
        reads = 0

        def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
            return True

        def read(self) -> tuple[bool, object]:
            HangingCapture.reads += 1
            if HangingCapture.reads == 3:
                release.wait(10)  # the driver hangs inside read()
            return True, Picture(HangingCapture.reads)

        def release(self) -> None:
            pass

    link = CameraLink(HangingCapture, seen.frame, seen.status, stall_s=0.2)
    link.start()
    seen.wait_for(lambda: seen.last() is LinkState.STALLED)
    assert len(seen.frames) == 2  # nothing came while the read hung
    release.set()
    seen.wait_for(lambda: seen.last() is LinkState.BACK)
    link.stop()
    assert link.join(timeout=5)
    assert seen.states()[:4] == [LinkState.OPENING, LinkState.LIVE, LinkState.STALLED, LinkState.BACK]
    assert seen.statuses[2].reason == "no picture from camera for 0.2 s"


class TestVideoFiles:
    """A file is the stand-in for a camera: its end is not a camera that left."""

    def test_a_file_played_once_ends_without_reconnecting(self, tmp_path) -> None:  # noqa: ANN001
        from drivers.scanners.fake_camera import write_video

        path = write_video(tmp_path / "clip.avi", [np.full((48, 64, 3), i * 20, np.uint8) for i in range(6)])
        seen = Recorder()
        CameraLink(capture_opener(str(path)), seen.frame, seen.status, ending=Ending.FINISH).run()
        assert len(seen.frames) == 6
        assert seen.states() == [LinkState.OPENING, LinkState.LIVE, LinkState.ENDED]

    def test_a_file_shown_in_a_loop_plays_again(self, tmp_path) -> None:  # noqa: ANN001
        from drivers.scanners.fake_camera import write_video

        path = write_video(tmp_path / "clip.avi", [np.full((48, 64, 3), i * 20, np.uint8) for i in range(4)])
        seen = Recorder()

        def frame(picture: object) -> None:
            seen.frame(picture)
            if len(seen.frames) == 10:
                link.stop()

        link = CameraLink(capture_opener(str(path)), frame, seen.status, ending=Ending.REPLAY)
        link.run()
        assert len(seen.frames) == 10 and link.opens == 3
        assert seen.states() == [LinkState.OPENING, LinkState.LIVE, LinkState.STOPPED]

    def test_a_file_that_is_not_there_fails_at_once(self, tmp_path) -> None:  # noqa: ANN001
        seen = Recorder()
        link = CameraLink(capture_opener(str(tmp_path / "none.avi")), seen.frame, seen.status,
                          name="camera none.avi", ending=Ending.FINISH)
        link.run()
        assert seen.states() == [LinkState.OPENING, LinkState.FAILED] and link.opens == 1
        assert seen.statuses[-1].reason == "camera none.avi cannot be opened"


@pytest.fixture
def network_camera() -> Iterator[MjpegServer]:
    frames = [np.full((120, 160, 3), 40 + 10 * i, np.uint8) for i in range(10)]
    with MjpegServer(frames) as server:
        yield server


def test_network_camera_that_reboots_is_read_again_through_opencv(network_camera: MjpegServer) -> None:
    seen = Recorder()
    link = CameraLink(capture_opener(network_camera.url, read_timeout_s=1.0), seen.frame, seen.status,
                      name="dock camera", backoff=Backoff(first=0.1, cap=0.4))
    link.start()
    seen.wait_for(lambda: seen.last() is LinkState.LIVE)
    network_camera.stop()  # rebooting: connections closed, connecting refused
    seen.wait_for(lambda: any(x.state is LinkState.RECONNECTING and x.attempt == 2 for x in seen.statuses))
    before = len(seen.frames)
    network_camera.start()
    seen.wait_for(lambda: seen.last() is LinkState.BACK)
    link.stop()
    assert link.join(timeout=5)
    assert len(seen.frames) > before
    assert all(f.shape == (120, 160, 3) for f in seen.frames)  # type: ignore[attr-defined]  # OpenCV's frames, passed on as they came
    assert seen.states()[:3] == [LinkState.OPENING, LinkState.LIVE, LinkState.LOST]


def test_network_camera_that_stalls_is_stalled_then_lost_then_back(network_camera: MjpegServer) -> None:
    seen = Recorder()
    link = CameraLink(capture_opener(network_camera.url, read_timeout_s=1.0), seen.frame, seen.status,
                      stall_s=0.3, backoff=Backoff(first=0.1, cap=0.4))
    link.start()
    seen.wait_for(lambda: seen.last() is LinkState.LIVE)
    network_camera.stall()  # the connection stays open; nothing comes
    seen.wait_for(lambda: seen.last() is LinkState.RECONNECTING)
    network_camera.resume()
    seen.wait_for(lambda: seen.last() is LinkState.BACK)
    link.stop()
    assert link.join(timeout=5)
    states = seen.states()
    assert states[:5] == [LinkState.OPENING, LinkState.LIVE, LinkState.STALLED, LinkState.LOST,
                          LinkState.RECONNECTING]
    assert seen.statuses[3].reason.startswith("no picture from camera for 1.")  # the read timed out


def test_network_stream_that_ends_is_opened_again_at_the_first_delay(network_camera: MjpegServer) -> None:
    seen = Recorder()
    link = CameraLink(capture_opener(network_camera.url), seen.frame, seen.status, name="dock camera",
                      backoff=Backoff(first=0.1, cap=0.4))
    link.start()
    seen.wait_for(lambda: seen.last() is LinkState.LIVE)
    network_camera.end()  # the camera closes the connection and keeps listening
    seen.wait_for(lambda: seen.last() is LinkState.BACK)
    link.stop()
    assert link.join(timeout=5)
    assert seen.states()[:5] == [LinkState.OPENING, LinkState.LIVE, LinkState.LOST, LinkState.RECONNECTING,
                                 LinkState.BACK]
    assert seen.statuses[2].reason == "dock camera stopped sending pictures"
    assert (seen.statuses[3].attempt, seen.statuses[3].next_try_s) == (1, 0.1)
    assert network_camera.connections == 2
