"""A TCP proxy the test controls, standing between a station and PostgreSQL.

``cut()`` drops every open connection and refuses new ones (the network is down);
``cut_after(n)`` lets ``n`` more bytes through towards the server and then cuts, which lands
the outage in the middle of a batch; ``restore()`` brings the network back.
"""

from __future__ import annotations

import socket
import threading


class Proxy:
    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.budget: int | None = None
        self.cuts = 0
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, upstream: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if upstream and self.budget is not None:
                    with self._lock:
                        self.budget -= len(data)
                        over = self.budget <= 0
                    if over:
                        self.cut()
                        return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        with self._lock:
            self.up = False
            self.budget = None
            pairs, self._pairs = self._pairs, []
            self.cuts += 1
        for pair in pairs:
            for s in pair:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass

    def cut_after(self, nbytes: int) -> None:
        with self._lock:
            self.budget = nbytes

    def restore(self) -> None:
        with self._lock:
            self.up = True
            self.budget = None

    def close(self) -> None:
        self.cut()
        self.listener.close()

    def url_for(self, url: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)
