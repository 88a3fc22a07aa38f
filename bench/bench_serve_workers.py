"""The returns service on central PostgreSQL with 1 and with 2 workers (``serve --workers N``).

A fresh PostgreSQL database with a catalogue, 2,000 orders and one API token (no rate limit);
the real ``rma-station serve`` runs in a subprocess. The load generator is async httpx on
127.0.0.1 with 8 connections: the shop's systems sending orders (``POST /api/v1/orders``, a
write: the token's counter and the order) and polling RMA status (``GET /api/v1/rmas/N``, the
token's counter and a read). Requests/s for each, per worker count. On a 2-core machine the
load generator shares the cores with the workers and PostgreSQL, so this is a floor.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench import Figure, figure
from bench.bench_intake import _free_port

REPO = Path(__file__).resolve().parent.parent
CONNECTIONS = 8


def _central(url: str) -> str:
    """Migrate, seed the catalogue and one token; the token."""
    from station.core.db import make_engine, make_session_factory, upgrade
    from station.intake.tokens import TokenService
    from tests.helpers.builders import make_context
    from tests.helpers.intake import seed_catalogue
    from ui.supervisor.headless import CLI_ACTOR

    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    seed_catalogue(factory)
    token = TokenService(make_context(factory)).add(CLI_ACTOR, "bench")
    engine.dispose()
    return token


def _order(n: int) -> dict[str, object]:
    from tests.helpers.intake import order_payload

    return order_payload(f"WK-{n:07d}", now=dt.datetime.now(dt.UTC), customer_ref=f"C-{n}")


async def _drive(base: str, token: str, requests: list[tuple[str, str, object]]) -> float:
    """Send ``requests`` over CONNECTIONS keep-alive connections; their rate per second."""
    queue: asyncio.Queue[tuple[str, str, object]] = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)

    async def connection() -> None:
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"},
                                     timeout=60) as client:
            while not queue.empty():
                method, path, body = queue.get_nowait()
                r = await client.request(method, path, json=body)
                if r.status_code >= 500 or r.status_code == 429:
                    raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:300]}")

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(CONNECTIONS)))
    return len(requests) / (time.perf_counter() - started)


def _serve(url: str, workers: int, home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "RMA_STATION_HOME": str(home), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--db", url, "--port", str(port),
                                "--workers", str(workers), "--rate-limit", "0", "--no-labels"],
                               env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/api/v1/openapi.json", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError(f"serve --workers {workers} did not start")


def run(quick: bool = False) -> Iterator[Figure]:
    import tempfile

    from tests.helpers.pg import fresh_database

    per_kind = 200 if quick else 2_000
    with fresh_database("bench_serve") as database, tempfile.TemporaryDirectory() as home:
        token = _central(database.url)
        for workers in (1, 2):
            process, base = _serve(database.url, workers, Path(home))
            try:
                first = workers * per_kind
                writes = [("POST", "/api/v1/orders", _order(first + n)) for n in range(per_kind)]
                asyncio.run(_drive(base, token, writes[: per_kind // 10]))  # warm-up
                write_rate = asyncio.run(_drive(base, token, writes[per_kind // 10:]))
                reads = [("GET", f"/api/v1/rmas/RMA{n:09d}", None) for n in range(per_kind)]
                read_rate = asyncio.run(_drive(base, token, reads))
            finally:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(30)
            yield figure(f"serve --workers {workers}: orders sent", write_rate, "requests/s",
                         connections=CONNECTIONS, requests=len(writes) - per_kind // 10)
            yield figure(f"serve --workers {workers}: RMA status polled", read_rate, "requests/s",
                         connections=CONNECTIONS, requests=len(reads))
