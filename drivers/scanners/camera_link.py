"""A camera that comes back: one capture at a time, read in a loop, reopened with backoff.

A dock camera is unplugged and plugged back, a network camera reboots, a stream stalls
because a switch drops packets. Whoever reads the camera should not have to care: the link
owns the capture (made by ``open_capture``, any object with ``isOpened()``, ``read() -> (ok,
frame)`` and ``release()``, as ``cv2.VideoCapture`` has), hands every frame to ``on_frame``
and, when the picture goes, reopens it -- after 0.5, 1, 2, 4, 8, 8... seconds -- until it is
stopped. It says what is happening through ``on_status`` with a ``LinkStatus``, so the
screen can put it in words the moment it happens:

* ``LIVE`` (first picture), ``STALLED`` (no picture for ``stall_s`` while a read waits:
  noticed by a watchdog thread, because the read itself may be stuck inside FFmpeg),
  ``LOST`` (the stream ended, a read failed or timed out, or the camera cannot be opened),
  ``RECONNECTING`` (which attempt comes next and in how many seconds), ``BACK`` (pictures
  again), ``ENDED`` (a video file played to its end), ``FAILED`` (a file that cannot be
  played: retrying would not help), ``STOPPED``.

The delays grow while the camera stays away and start again from the first after the
picture has been steady for ``steady_s``, so a camera that flaps is not hammered and one
that drops out once a day is retried at once.

A video file (the stand-in for a camera on machines without one) is not a camera that
left: at its end the link stops (``Ending.FINISH``) or plays it again (``Ending.REPLAY``).

The frame is opaque here: the link never looks inside it (a capture may hand out lazy
frames). A read that blocks forever cannot be interrupted from outside; ``capture_opener``
therefore gives stream URLs FFmpeg's open and read timeouts, so a stalled read returns.

Pure stdlib plus OpenCV for the default opener: no Qt (the UI runs ``run`` on its worker
thread and turns ``LinkStatus`` into words).
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)


class CaptureLike(Protocol):
    """What the link needs of a capture (``cv2.VideoCapture`` has it)."""

    def isOpened(self) -> bool: ...  # noqa: N802 - OpenCV's name

    def read(self) -> tuple[bool, Any]: ...

    def release(self) -> None: ...


class LinkState(enum.Enum):
    OPENING = "opening"
    LIVE = "live"
    STALLED = "stalled"
    LOST = "lost"
    RECONNECTING = "reconnecting"
    BACK = "back"
    ENDED = "ended"
    FAILED = "failed"
    STOPPED = "stopped"


#: States in which pictures are arriving.
PICTURE_STATES = (LinkState.LIVE, LinkState.BACK)


@dataclass(frozen=True)
class LinkStatus:
    """One change of the link's state, for the screen and the log.

    ``attempt`` and ``next_try_s``: with ``RECONNECTING``, the number of the try to come
    (1 is the first after the picture went) and the seconds until it. ``reason`` says in
    words what happened (``LOST``, ``STALLED``, ``FAILED``).
    """

    state: LinkState
    attempt: int = 0
    next_try_s: float = 0.0
    reason: str = ""

    @property
    def picture(self) -> bool:
        return self.state in PICTURE_STATES


class Ending(enum.Enum):
    """What the link does when ``read`` says there are no more frames."""

    RECONNECT = "reconnect"  # a camera or a stream: it went away; open it again, with backoff
    FINISH = "finish"        # a video file played once: the link is done
    REPLAY = "replay"        # a video file shown in a loop: open it again at once


class Backoff:
    """Delays between attempts: ``first``, doubled each time up to ``cap``; ``reset`` starts
    over."""

    def __init__(self, first: float = 0.5, factor: float = 2.0, cap: float = 8.0) -> None:
        if first <= 0 or factor < 1 or cap < first:
            raise ValueError("backoff needs first > 0, factor >= 1 and cap >= first")
        self.first, self.factor, self.cap = first, factor, cap
        self._next = first

    def next_delay(self) -> float:
        delay = self._next
        self._next = min(self.cap, self._next * self.factor)
        return delay

    def reset(self) -> None:
        self._next = self.first


class CameraLink:
    """Reads ``open_capture()``'s frames into ``on_frame`` until stopped, reopening the capture
    when its picture goes (see the module docstring).

    ``run`` reads on the calling thread (a Qt worker's thread, say) and returns when stopped
    or when a file has ended; ``start`` runs it on a thread of its own. ``on_frame`` and
    ``on_status`` are called on the reading thread, except ``STALLED``, which the watchdog
    reports from its thread while the read waits. ``pace`` hands a file's frames out no
    faster than its own frame rate (a stand-in that plays like a camera).
    """

    def __init__(
        self,
        open_capture: Callable[[], CaptureLike],
        on_frame: Callable[[Any], None],
        on_status: Callable[[LinkStatus], None] | None = None,
        *,
        name: str = "camera",
        ending: Ending = Ending.RECONNECT,
        pace: bool = False,
        stall_s: float = 0.75,
        steady_s: float = 10.0,
        backoff: Backoff | None = None,
    ) -> None:
        self.open_capture = open_capture
        self.on_frame = on_frame
        self.on_status = on_status
        self.name = name
        self.ending = ending
        self.pace = pace
        self.stall_s = stall_s
        self.steady_s = steady_s
        self.backoff = backoff or Backoff()
        self.status = LinkStatus(LinkState.OPENING)
        self.frames = 0  # handed to on_frame, over every capture
        self.opens = 0   # captures asked of open_capture, the failed ones included
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._reading_since: float | None = None
        self._thread: threading.Thread | None = None

    # --- control ---------------------------------------------------------------------------
    def start(self) -> threading.Thread:
        """Run the link on a thread of its own (a daemon: a read stuck in a driver must not
        keep the process alive)."""
        self._thread = threading.Thread(target=self.run, name=f"{self.name}-link", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self) -> None:
        """Ask the link to stop; it does after the read under way returns (see ``join``)."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for ``start``'s thread; True when it has ended."""
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # --- the loop --------------------------------------------------------------------------
    def run(self) -> None:
        """Read until stopped, or until a file has ended or cannot be played. A link runs once
        (a stopped link stays stopped: make a new one to read again)."""
        watchdog = threading.Thread(target=self._watch, name=f"{self.name}-watchdog", daemon=True)
        watchdog.start()
        try:
            self._report(LinkStatus(LinkState.OPENING))
            self._connect_forever()
        except Exception:  # noqa: BLE001 - a broken capture must end in a state, not a dead thread
            log.exception("%s: the camera link failed", self.name)
            self._report(LinkStatus(LinkState.FAILED, reason="the camera link failed (see the log)"))
        finally:
            if self.status.state not in (LinkState.ENDED, LinkState.FAILED):
                self._report(LinkStatus(LinkState.STOPPED))
            self._stop.set()  # ends the watchdog
            watchdog.join(timeout=1)

    def _connect_forever(self) -> None:
        attempt = 0        # tries since the picture was last steady
        seen = False       # has any picture arrived yet (LIVE first, BACK after)
        while not self._stop.is_set():
            capture = self._open()
            frames, reason, steady = (0, f"{self.name} cannot be opened", False) if capture is None \
                else self._read_all(capture, seen)
            if self._stop.is_set():
                return
            seen = seen or frames > 0
            if steady:
                attempt = 0
                self.backoff.reset()
            if self.ending is not Ending.RECONNECT:
                if frames == 0:
                    self._report(LinkStatus(LinkState.FAILED, reason=reason if capture is None
                                            else f"{self.name} has no frames"))
                    return
                if self.ending is Ending.FINISH:
                    self._report(LinkStatus(LinkState.ENDED, reason=reason))
                    return
                continue  # REPLAY: open the file again at once
            if frames or attempt == 0:
                self._report(LinkStatus(LinkState.LOST, reason=reason))
            attempt += 1
            delay = self.backoff.next_delay()
            log.info("%s: %s; attempt %d in %.1f s", self.name, reason, attempt, delay)
            self._report(LinkStatus(LinkState.RECONNECTING, attempt, delay, reason))
            if self._stop.wait(delay):
                return

    def _open(self) -> CaptureLike | None:
        self.opens += 1
        try:
            capture = self.open_capture()
        except Exception as exc:  # noqa: BLE001 - an opener that raises is a camera not there
            log.info("%s: opening failed: %s", self.name, exc)
            return None
        if capture is not None and capture.isOpened():
            return capture
        if capture is not None:
            capture.release()
        return None

    def _read_all(self, capture: CaptureLike, seen: bool) -> tuple[int, str, bool]:
        """Read until the stream ends or the link stops: (frames read, why it ended, whether
        the picture was steady for ``steady_s``)."""
        frames, steady, first_at = 0, False, 0.0
        interval = _frame_interval(capture) if self.pace else 0.0
        try:
            while not self._stop.is_set():
                started = time.monotonic()
                with self._lock:
                    self._reading_since = started
                try:
                    ok, frame = capture.read()
                except Exception as exc:  # noqa: BLE001 - a driver error is a lost picture
                    log.info("%s: read failed: %s", self.name, exc)
                    ok, frame = False, None
                with self._lock:
                    waited = time.monotonic() - (self._reading_since or 0.0)
                    self._reading_since = None
                if self._stop.is_set():
                    break
                if not ok:
                    reason = (f"no picture from {self.name} for {waited:.1f} s" if waited >= self.stall_s
                              else f"{self.name} stopped sending pictures")
                    return frames, reason, steady
                now = time.monotonic()
                if frames == 0:
                    first_at = now
                    self._report(LinkStatus(LinkState.BACK if seen and self.ending is Ending.RECONNECT
                                            else LinkState.LIVE))
                elif self.status.state is LinkState.STALLED:
                    self._report(LinkStatus(LinkState.BACK))
                frames += 1
                self.frames += 1
                steady = steady or now - first_at >= self.steady_s
                self.on_frame(frame)
                if interval:
                    self._stop.wait(max(0.0, interval - (time.monotonic() - started)))
            return frames, "stopped", steady
        finally:
            capture.release()

    def _watch(self) -> None:
        """Report a stall while a read waits (the read may not return for a while)."""
        tick = min(0.1, self.stall_s / 4)
        while not self._stop.wait(tick):
            with self._lock:
                since = self._reading_since
                stalled = (since is not None and self.status.state in PICTURE_STATES
                           and time.monotonic() - since >= self.stall_s)
                if stalled:
                    self._set(LinkStatus(LinkState.STALLED,
                                         reason=f"no picture from {self.name} for {self.stall_s:.1f} s"))

    def _report(self, status: LinkStatus) -> None:
        with self._lock:
            self._set(status)

    def _set(self, status: LinkStatus) -> None:
        """Record and announce a status (the lock is held: statuses arrive in order)."""
        if status == self.status and status.state is not LinkState.OPENING:
            return
        self.status = status
        if status.state in (LinkState.STALLED, LinkState.LOST, LinkState.FAILED):
            log.warning("%s: %s (%s)", self.name, status.state.value, status.reason)
        if self.on_status is not None:
            try:
                self.on_status(status)
            except Exception:  # noqa: BLE001 - a listener's bug must not stop the camera
                log.exception("%s: a status listener failed", self.name)


def _frame_interval(capture: Any) -> float:
    """Seconds per frame of a file (``cv2.VideoCapture``'s FPS; 25 when it does not say)."""
    get = getattr(capture, "get", None)
    fps = 0.0
    if callable(get):
        import cv2

        fps = float(get(cv2.CAP_PROP_FPS) or 0.0)
    return 1.0 / (fps if fps > 0 else 25.0)


def is_video_file(target: int | str) -> bool:
    """A path, not a device index or a URL: a stand-in that plays, not a camera that leaves."""
    return isinstance(target, str) and "://" not in target


def capture_opener(target: int | str, *, resolution: tuple[int, int] | None = None,
                   open_timeout_s: float = 3.0, read_timeout_s: float = 2.0,
                   lazy_frames: bool = False) -> Callable[[], Any]:
    """A factory of ``cv2.VideoCapture`` for the link.

    A stream URL is opened with FFmpeg's open and read timeouts, so a stalled read returns
    (and the link reconnects) instead of waiting FFmpeg's default 30 s; a device gets the
    resolution asked for; a file opens as it is. ``lazy_frames``: the capture hands out
    ``Frame``s (``drivers.scanners.video_frames``), JPEG pictures decoded only as far as
    asked, for the arrival watcher.
    """

    def open_capture() -> Any:
        import cv2

        if isinstance(target, str) and "://" in target:
            capture = cv2.VideoCapture(target, cv2.CAP_FFMPEG, [
                cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, int(open_timeout_s * 1000),
                cv2.CAP_PROP_READ_TIMEOUT_MSEC, int(read_timeout_s * 1000)])
        else:
            capture = cv2.VideoCapture(target)
            if resolution and not is_video_file(target) and capture.isOpened():
                capture.set(cv2.CAP_PROP_FRAME_WIDTH, resolution[0])
                capture.set(cv2.CAP_PROP_FRAME_HEIGHT, resolution[1])
        if lazy_frames:
            from drivers.scanners.video_frames import VideoFrames

            return VideoFrames(target, capture=capture)
        return capture

    return open_capture
