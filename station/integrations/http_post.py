"""A small keep-alive HTTP(S) POST client on ``http.client`` (no extra dependency).

Each thread keeps one open connection per host, so a burst of webhooks to one receiver costs
one TCP (and TLS) handshake per worker, not one per event. A connection the server closed
while idle is retried once on a fresh connection; anything else is reported, not raised, so
the dispatcher records it as a failed attempt.

A caller that passes ``address_for`` decides where each request may go: it is asked for the
(checked) IP address before every request, the connection is made to exactly that address
while TLS and the ``Host`` header still use the URL's host name, and a connection pinned to
another address is dropped. So a host name whose DNS answer changes after it was checked
(DNS rebinding) cannot move a delivery onto a private address.
"""

from __future__ import annotations

import http.client
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PostResult:
    status: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class KeepAlivePoster:
    def __init__(self, timeout: float = 5.0) -> None:
        self.timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[http.client.HTTPConnection] = []

    def _connection(self, scheme: str, netloc: str, address: str | None) -> http.client.HTTPConnection:
        pool: dict[tuple[str, str], http.client.HTTPConnection] = self._local.__dict__.setdefault("pool", {})
        conn = pool.get((scheme, netloc))
        if conn is not None and getattr(conn, "pinned_address", None) != address:
            self._drop(scheme, netloc)
            conn = None
        if conn is None:
            cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            conn = cls(netloc, timeout=self.timeout)
            conn.pinned_address = address  # type: ignore[attr-defined]
            if address is not None:
                pinned: str = address

                # http.client connects through this hook; TLS (SNI, certificate) and Host keep the name.
                def create(where: tuple[str, int], timeout: float | None = None,
                           source: tuple[str, int] | None = None) -> socket.socket:
                    return socket.create_connection((pinned, where[1]), timeout, source)

                conn._create_connection = create  # type: ignore[attr-defined]
            pool[(scheme, netloc)] = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def _drop(self, scheme: str, netloc: str) -> None:
        conn = self._local.__dict__.get("pool", {}).pop((scheme, netloc), None)
        if conn is not None:
            conn.close()

    def post(self, url: str, body: bytes, headers: dict[str, str], *,
             address_for: Callable[[], str] | None = None) -> PostResult:
        """POST ``body``; ``address_for`` returns the checked address to connect to, or raises
        a ``StationError`` saying why not (reported, nothing sent)."""
        from station.core.errors import StationError

        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            address = address_for() if address_for is not None else None
        except StationError as exc:
            return PostResult(None, exc.message)
        for attempt in (1, 2):
            conn = self._connection(parts.scheme, parts.netloc, address)
            reused = conn.sock is not None
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.will_close:
                    self._drop(parts.scheme, parts.netloc)
                return PostResult(response.status)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self._drop(parts.scheme, parts.netloc)
                if reused and attempt == 1:
                    continue  # the server closed an idle keep-alive connection: retry once
                return PostResult(None, f"{type(exc).__name__}: {exc}")
            except (OSError, http.client.HTTPException, ValueError) as exc:  # ValueError: a bad header value
                self._drop(parts.scheme, parts.netloc)
                return PostResult(None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        return PostResult(None, "connection closed")

    def close(self) -> None:
        """Close every connection any thread opened (call when the workers are done)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local.__dict__["pool"] = {}
