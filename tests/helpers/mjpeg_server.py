"""A network camera for tests: MJPEG over HTTP on 127.0.0.1, that a test can stall, end,
stop and restart on the same port.

Many IP cameras (and ``ffmpeg -f mpjpeg``, ``mjpg-streamer``) serve their picture as one
endless HTTP response of type ``multipart/x-mixed-replace``: a boundary line, a JPEG part,
the next boundary, and so on. This server does the same with the frames of a composed clip
(``drivers.scanners.fake_camera``), each encoded once with ``cv2.imencode``.

Like a camera, it has one clock: a ticker thread moves the picture on at ``fps`` whether or
not anybody watches, and every connection is sent the newest picture at each tick. At the
end of the clip the last picture stays in view (a camera looking at a still table keeps
sending it) unless ``loop`` is set.

What a test can do to it:

* ``stall()``: connections stay open and nothing more is sent (a camera that hangs, a
  network that stops passing packets); ``resume()`` sends again.
* ``end()``: close every open connection, keep listening (the stream ends; a new
  connection gets the picture again).
* ``stop()``: close the listening socket and every connection (the camera is unplugged or
  rebooting: connecting is refused); ``start()`` again listens on the same port.
* ``play(frames)``: show another clip from its start (the scene the camera sees now).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import cv2
import numpy as np

BOUNDARY = "rmastationframe"


def encode_frames(frames: Sequence[np.ndarray], quality: int = 90) -> list[bytes]:
    """Each frame as JPEG bytes, the way a camera compresses its picture."""
    jpegs = []
    for frame in frames:
        ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise ValueError("a frame could not be encoded as JPEG")
        jpegs.append(data.tobytes())
    return jpegs


class MjpegServer:
    """``url`` is ``http://127.0.0.1:PORT/video.mjpg``; the port is free and kept across
    ``stop``/``start``. Use as a context manager (it starts on enter, stops on exit)."""

    path = "/video.mjpg"

    def __init__(self, frames: Sequence[np.ndarray], *, fps: float = 30.0, loop: bool = False,
                 quality: int = 90) -> None:
        if not frames:
            raise ValueError("the camera needs at least one frame to show")
        self.fps = fps
        self.quality = quality
        self.port = _free_port()
        self.frames_sent = 0
        self.connections = 0
        self._jpegs = encode_frames(frames, quality)
        self._loop = loop
        self._index = 0
        self._tick = 0  # the clock: every tick is a new picture
        self._cond = threading.Condition()
        self._stalled = False
        self._closed = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    @property
    def running(self) -> bool:
        return self._server is not None

    # --- what a test does to the camera --------------------------------------------------
    def start(self) -> None:
        """Listen (again) on the same port and let the picture run."""
        if self._server is not None:
            return
        self._closed.clear()
        server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler_class())
        server.daemon_threads = True
        self._server = server
        self._threads = [threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                          name="mjpeg-accept", daemon=True),
                         threading.Thread(target=self._run_clock, name="mjpeg-clock", daemon=True)]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Close the listening socket and every connection: connecting is refused until
        ``start``."""
        server, self._server = self._server, None
        if server is None:
            return
        self._closed.set()
        server.shutdown()
        server.server_close()
        self.end()
        for thread in self._threads:
            thread.join(timeout=5)

    def end(self) -> None:
        """Close every open connection (the stream ends); new connections are served."""
        with self._cond:
            sockets, self._sockets = list(self._sockets), set()
            self._cond.notify_all()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # the client had already gone

    def stall(self) -> None:
        """Keep every connection open and send nothing."""
        with self._cond:
            self._stalled = True

    def resume(self) -> None:
        with self._cond:
            self._stalled = False
            self._cond.notify_all()

    def play(self, frames: Sequence[np.ndarray], *, loop: bool = False) -> None:
        """Show another clip from its first frame."""
        jpegs = encode_frames(frames, self.quality)
        with self._cond:
            self._jpegs, self._loop, self._index = jpegs, loop, 0

    def __enter__(self) -> MjpegServer:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    # --- the camera's insides ------------------------------------------------------------
    def _run_clock(self) -> None:
        period = 1.0 / self.fps
        while not self._closed.wait(period):
            with self._cond:
                if self._index + 1 < len(self._jpegs):
                    self._index += 1
                elif self._loop:
                    self._index = 0
                self._tick += 1
                self._cond.notify_all()

    def _next_picture(self, seen: int) -> tuple[int, bytes] | None:
        """Wait for a tick after ``seen`` (and for the end of a stall); None once closed."""
        with self._cond:
            while not self._closed.is_set():
                if not self._stalled and self._tick != seen:
                    return self._tick, self._jpegs[self._index]
                self._cond.wait(0.1)
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        camera = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                if self.path.split("?")[0] != camera.path:
                    self.send_error(404, "no such stream")
                    return
                self.send_response(200)
                self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                with camera._cond:
                    camera._sockets.add(self.connection)
                    camera.connections += 1
                seen = -1
                try:
                    while self.connection in camera._sockets:
                        picture = camera._next_picture(seen)
                        if picture is None or self.connection not in camera._sockets:
                            return
                        seen, jpeg = picture
                        self.wfile.write(f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                                         f"Content-Length: {len(jpeg)}\r\n\r\n".encode("ascii") + jpeg + b"\r\n")
                        self.wfile.flush()
                        camera.frames_sent += 1
                except OSError:
                    return  # the client hung up, or the test ended the stream
                finally:
                    with camera._cond:
                        camera._sockets.discard(self.connection)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server API
                return  # a camera keeps no access log; pytest would show it as noise

        return Handler


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
