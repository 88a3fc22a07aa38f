"""A customer's browser for the request page, over real HTTP, and a served site to point it at."""

from __future__ import annotations

import io
import re
import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from PIL import Image

from station.intake.inputs import parse_order
from station.intake.service import IntakeService
from tests.helpers.builders import Clock, make_context
from tests.helpers.intake import order_payload, seed_catalogue
from web.app import create_app
from web.pages import PageConfig

DOCK = "Returns dock 3\n88 Harbour Road\nShanghai 200000"
_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed_orders(ctx) -> None:  # type: ignore[no-untyped-def]
    intake = IntakeService(ctx)
    intake.submit_order(parse_order(order_payload()))
    intake.submit_order(parse_order(order_payload("SO-2002", language="zh", customer_ref="C-2")))
    intake.submit_order(parse_order(order_payload("SO-OLD", delivered_days_ago=45, customer_ref="C-3")))


@contextmanager
def serve(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """``app`` on a real uvicorn at 127.0.0.1 on a free port; yields the base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(400):
            if server.started:
                break
            time.sleep(0.025)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def site(session_factory, **limits) -> Iterator[tuple[str, object]]:  # type: ignore[no-untyped-def]
    seed_catalogue(session_factory)
    ctx = make_context(session_factory, Clock())
    seed_orders(ctx)
    app = create_app(ctx, pages=PageConfig(dock_address=DOCK, **limits))
    with serve(app) as url:
        yield url, ctx


class Customer:
    """One browser: keeps its cookies, reads the form token from each page like a form would."""

    def __init__(self, base: str, language: str = "en") -> None:
        self.http = httpx.Client(base_url=base, headers={"Accept-Language": "zh-CN,zh;q=0.9" if language == "zh"
                                                         else "en-GB,en;q=0.9"}, timeout=30)
        self.page = ""

    def close(self) -> None:
        self.http.close()

    def get(self, url: str) -> httpx.Response:
        r = self.http.get(url)
        self.page = r.text
        return r

    @property
    def token(self) -> str:
        found = _TOKEN.search(self.page)
        assert found, "the page has no form"
        return found.group(1)

    def look_up(self, order: str, contact: str) -> httpx.Response:
        self.get("/returns")
        r = self.http.post("/returns", data={"form_token": self.token, "order_number": order, "contact": contact})
        if r.status_code == 303:
            return self.get(r.headers["location"])
        self.page = r.text
        return r

    def order_action(self) -> str:
        found = re.search(r'<form method="post" action="([^"]+)"\s+enctype', self.page)
        assert found, "no request form on the page"
        return found.group(1).replace("&amp;", "&")

    def send(self, lines: dict[str, tuple[int, str, str]], photos: list[tuple[str, bytes]] = (),
             resolution: str = "refund", follow: bool = True, **extra) -> httpx.Response:
        """``lines``: SKU -> (quantity, reason, comment) filled into that SKU's row."""
        data = {"form_token": self.token, "resolution": resolution}
        for n, sku in re.findall(r'name="sku_(\d+)" value="([^"]+)"', self.page):
            qty, reason, comment = lines.get(sku, (0, "", ""))
            data |= {f"sku_{n}": sku, f"qty_{n}": str(qty), f"reason_{n}": reason, f"comment_{n}": comment}
        for sku, (qty, reason, comment) in lines.items():  # a tampered form may add what the page greyed
            if sku not in data.values():
                data |= {"sku_99": sku, "qty_99": str(qty), "reason_99": reason, "comment_99": comment}
        data |= extra
        files = [("photos", (name, body, "image/jpeg")) for name, body in photos] or [
            ("photos", ("", b"", "application/octet-stream"))]
        r = self.http.post(self.order_action(), data=data, files=files)
        if r.status_code == 303 and follow:
            return self.get(r.headers["location"])
        self.page = r.text
        return r


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buf, "JPEG")
    return buf.getvalue()


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` pixels (2.5 gigapixels)."""
    buf = io.BytesIO()
    Image.new("L", (8, 8)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    ihdr = 8 + 8  # signature, then length + "IHDR"
    data[ihdr:ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr - 4:ihdr + 13]))
    data[ihdr + 13:ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)
