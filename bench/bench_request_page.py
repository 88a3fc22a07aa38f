"""The customer request page's order look-up: ``POST /returns`` through one uvicorn worker.

500,000 orders (two lines each) in a fresh SQLite station database; the service runs in a
subprocess (one worker, the page's attempt limits raised out of the way). The load generator
is async httpx on 127.0.0.1: each connection is one browser (its cookie), which loads the form
(``GET /returns``, not timed) and posts the order number and e-mail; the POST is timed: the
form-token check and its nonce insert, the two attempt counters, the order match, the redirect.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench import Figure, figure, percentile
from bench.bench_intake import _free_port, _orders
from station.core.db import make_engine, make_session_factory, upgrade

REPO = Path(__file__).resolve().parent.parent
CONNECTIONS = 4
_TOKEN = re.compile(rb'name="form_token" value="([^"]+)"')
SERVER = """
import sys, uvicorn
from station.core.context import StationContext
from station.core.db import make_engine, make_session_factory
from web.app import create_app
from web.pages import PageConfig
ctx = StationContext(make_session_factory(make_engine(sys.argv[1])))
app = create_app(ctx, pages=PageConfig(attempts_per_order=10**9, attempts_per_address=10**9, dock_address="Dock"))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def _database(orders: int) -> Path:
    work = Path(tempfile.mkdtemp(prefix="bench-page-"))
    path = work / "station.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    from tests.helpers.builders import add_product  # the same catalogue rows the tests use

    with make_session_factory(engine).begin() as db:
        for n in range(200):
            add_product(db, f"SKU-{n:03d}", value="99.00")
    engine.dispose()
    _orders(path, orders)
    return path


async def _load(port: int, total: int, first: int, orders: int) -> list[float]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait((first + i * 7919) % orders)

    async def browser() -> None:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            while not queue.empty():
                i = queue.get_nowait()
                form = await client.get("/returns")
                token = _TOKEN.search(form.content).group(1).decode()  # type: ignore[union-attr]
                started = time.perf_counter()
                r = await client.post("/returns", data={"form_token": token, "order_number": f"BO-{i:08d}",
                                                        "contact": "B@example.com"})
                latencies.append(time.perf_counter() - started)
                if r.status_code != 303:
                    raise RuntimeError(f"{r.status_code} {r.text[:300]}")

    await asyncio.gather(*(browser() for _ in range(CONNECTIONS)))
    return latencies


def run(quick: bool = False) -> Iterator[Figure]:
    orders = 20_000 if quick else int(os.environ.get("BENCH_PAGE_ORDERS", 500_000))
    lookups = 300 if quick else 3_000
    db = _database(orders)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == orders
    port = _free_port()
    log = (db.parent / "serve.log").open("w")
    env = {**os.environ, "RMA_STATION_HOME": str(db.parent), "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-c", SERVER, f"sqlite:///{db}", str(port)], env=env, cwd=REPO,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            try:
                httpx.get(f"http://127.0.0.1:{port}/returns", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        asyncio.run(_load(port, 100, 0, orders))  # warm-up
        started = time.perf_counter()
        latencies = asyncio.run(_load(port, lookups, 1, orders))
        elapsed = time.perf_counter() - started
    except Exception:
        print((db.parent / "serve.log").read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        server.terminate()
        server.wait(30)
        log.close()
        shutil.rmtree(db.parent, ignore_errors=True)
    yield figure("request page order look-up p50", percentile(latencies, 50) * 1000, "ms", orders=orders)
    yield figure("request page order look-up p99", percentile(latencies, 99) * 1000, "ms", target="<= 30",
                 connections=CONNECTIONS, lookups=lookups)
    yield figure("request page look-ups", lookups / elapsed, "look-ups/s (with the form GET between)")
