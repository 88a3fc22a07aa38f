"""A fake ZPL printer: a real TCP listener on 127.0.0.1, shipped with the product.

Tests, demos and the settings dialog's "test print" use it the way they would use a Zebra
on port 9100: ``with FakeZebra() as zebra: TcpPrinter(...).print_zpl(...); zebra.jobs``.
It can be started late (a printer switched on after the job was queued) and can refuse
connections (switched off), on a port chosen once so the printer URI stays the same.
"""

from __future__ import annotations

import logging
import socket
import threading
from types import TracebackType

log = logging.getLogger(__name__)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class FakeZebra:
    """Collects every connection's bytes in ``jobs`` (one bytes object per connection)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.jobs: list[bytes] = []
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._received = threading.Condition()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def start(self) -> FakeZebra:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(8)
        server.settimeout(0.2)
        self._server = server
        self._thread = threading.Thread(target=self._serve, name=f"fake-zebra-{self.port}", daemon=True)
        self._thread.start()
        log.info("fake Zebra listening on %s", self.uri)
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def _serve(self) -> None:
        while self._server is not None:
            try:
                conn, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(5)
                chunks = []
                try:
                    while chunk := conn.recv(65536):
                        chunks.append(chunk)
                except OSError as exc:
                    log.warning("fake Zebra: connection error %s", exc)
            data = b"".join(chunks)
            if data:
                with self._received:
                    self.jobs.append(data)
                    self._received.notify_all()

    def wait_for_jobs(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """Block until ``count`` jobs arrived (or the timeout passed); returns them."""
        with self._received:
            self._received.wait_for(lambda: len(self.jobs) >= count, timeout=timeout)
            return list(self.jobs)

    def __enter__(self) -> FakeZebra:
        return self.start()

    def __exit__(self, *exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]) -> None:
        self.stop()
