"""Returns intake figures: POST /api/v1/rmas through one uvicorn worker, and ``rmas import``.

The database is the benchmark station database (``bench.bigdb``: 1,000,000 RMAs) plus
500,000 orders of two lines each, inserted straight through sqlite3 in SQLAlchemy's storage
format. The service runs as ``rma-station serve`` in a subprocess (one worker, rate limit
off); the load generator is async httpx on 127.0.0.1 with a fixed number of connections, each
request for a different order. Then 100,000 request lines are imported from a JSON-lines file
(one transaction), as ``rma-station rmas import`` does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench import Figure, figure, percentile
from bench.bigdb import DATA, build
from station.core.db import make_engine, upgrade

REPO = Path(__file__).resolve().parent.parent
TS = "%Y-%m-%d %H:%M:%S.%f"
# Concurrent requests are group-committed (web.app._GroupCommit): those that arrive during a
# write go in the next one, so more connections mean bigger batches, not more lock waits.
CONNECTIONS = int(os.environ.get("BENCH_INTAKE_CONNECTIONS", 8))


def _orders(path: Path, count: int, seed: int = 7) -> None:
    """Add ``count`` orders (two lines each, delivered 3 days ago) to the database at ``path``."""
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    placed, delivered = (now - dt.timedelta(days=6)).strftime(TS), (now - dt.timedelta(days=3)).strftime(TS)
    skus = [r[0] for r in conn.execute("SELECT sku FROM products ORDER BY sku LIMIT 200")]
    batch = 50_000
    for start in range(0, count, batch):
        orders, lines = [], []
        for i in range(start, min(start + batch, count)):
            oid = uuid.UUID(int=rng.getrandbits(128), version=4).hex
            orders.append((oid, f"BO-{i:08d}", placed, delivered, "CNY", f"BC-{i}", "Bench Customer",
                           "b@example.com", "", "en", 0, "x" * 64, placed, placed))
            for n in (1, 2):
                lines.append((uuid.UUID(int=rng.getrandbits(128), version=4).hex, oid, n,
                              skus[(i * 2 + n) % len(skus)], 3, 99.0, "[]"))
        conn.executemany("INSERT INTO orders (id, order_number, placed_at, delivered_at, currency, customer_ref, "
                         "customer_name, customer_email, customer_phone, customer_language, flagged, content_hash, "
                         "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", orders)
        conn.executemany("INSERT INTO order_lines (id, order_id, line_no, sku, quantity, unit_price, serials) "
                         "VALUES (?,?,?,?,?,?,?)", lines)
        conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()


def _database(rmas: int, orders: int) -> Path:
    path = DATA / f"intake-{rmas}-{orders}.sqlite"
    if not path.exists():
        base, _ = build(rmas)  # the same cached file the core benchmarks use
        tmp = path.with_suffix(".building")
        shutil.copyfile(base, tmp)
        engine = make_engine(f"sqlite:///{tmp}")
        upgrade(engine)  # the cached station file may predate the intake tables
        engine.dispose()
        _orders(tmp, orders)
        tmp.rename(path)
    work = Path(tempfile.mkdtemp(prefix="bench-intake-")) / "station.sqlite"
    shutil.copyfile(path, work)
    engine = make_engine(f"sqlite:///{work}")
    upgrade(engine)  # the cached file may predate this tree's migrations
    engine.dispose()
    return work


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())", *args],
                          capture_output=True, text=True, env=env, cwd=REPO)
    if done.returncode:
        raise RuntimeError(f"rma-station {' '.join(args)}: {done.stderr[-2000:]}")
    return done


async def _load(port: int, token: str, total: int, connections: int, first_order: int) -> list[float]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(first_order + i)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        async def worker() -> None:
            while not queue.empty():
                i = queue.get_nowait()
                body = {"order_number": f"BO-{i:08d}", "resolution": "refund",
                        "lines": [{"sku": _SKUS[(i * 2 + 1) % len(_SKUS)], "quantity": 1, "reason": "size"}]}
                started = time.perf_counter()
                r = await client.post("/api/v1/rmas", json=body)
                latencies.append(time.perf_counter() - started)
                if r.status_code != 201:
                    raise RuntimeError(f"{r.status_code} {r.text}")

        await asyncio.gather(*(worker() for _ in range(connections)))
    return latencies


_SKUS: list[str] = []


def _lookups(db: Path, orders: int, count: int) -> Iterator[Figure]:
    """The request page's order look-up: ``IntakeService.returnable_lines`` (the order, its
    lines less what is already on its way back, the policy's outright refusals) for random
    orders, some of them with requests from the HTTP phase."""
    from station.core.context import StationContext
    from station.core.db import make_session_factory
    from station.intake.service import IntakeService

    engine = make_engine(f"sqlite:///{db}")
    service = IntakeService(StationContext(make_session_factory(engine), station_id="BENCH"))
    rng = random.Random(3)
    latencies = []
    for _ in range(count):
        number = f"BO-{rng.randrange(orders):08d}"
        started = time.perf_counter()
        service.returnable_lines(number)
        latencies.append(time.perf_counter() - started)
    engine.dispose()
    yield figure("order look-up (returnable_lines) p50", percentile(latencies, 50) * 1000, "ms", lookups=count)
    yield figure("order look-up (returnable_lines) p99", percentile(latencies, 99) * 1000, "ms", target="<= 30")


def run(quick: bool = False) -> Iterator[Figure]:
    rmas, orders = (20_000, 20_000) if quick else (1_000_000, 500_000)
    requests, import_lines = (500, 2_000) if quick else (6_000, 100_000)
    # On a shared machine the full import takes long; these shrink the samples (figures say so).
    requests = int(os.environ.get("BENCH_INTAKE_REQUESTS", requests))
    import_lines = int(os.environ.get("BENCH_INTAKE_IMPORT_LINES", import_lines))
    db = _database(rmas, orders)
    with sqlite3.connect(db) as conn:
        _SKUS[:] = [r[0] for r in conn.execute("SELECT sku FROM products ORDER BY sku LIMIT 200")]
    env = {**os.environ, "RMA_STATION_HOME": str(db.parent), "PYTHONPATH": str(REPO)}
    url = f"sqlite:///{db}"
    token = _cli("api-token", "add", "--name", "bench", "--db", url, env=env).stdout.strip().splitlines()[-1]
    port = _free_port()
    log = (db.parent / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())",
                               "serve", "--port", str(port), "--rate-limit", "0", "--no-labels", "--db", url],
                              env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        asyncio.run(_load(port, token, 200, CONNECTIONS, 0))  # warm-up
        started = time.perf_counter()
        server_cpu = _cpu_seconds(server.pid)
        latencies = asyncio.run(_load(port, token, requests, CONNECTIONS, 1_000))
        elapsed = time.perf_counter() - started
        server_cpu = _cpu_seconds(server.pid) - server_cpu
    except Exception:
        print((db.parent / "serve.log").read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    yield figure("POST /api/v1/rmas p50", percentile(latencies, 50) * 1000, "ms", rmas=rmas, orders=orders)
    yield figure("POST /api/v1/rmas p99", percentile(latencies, 99) * 1000, "ms", target="<= 50",
                 connections=CONNECTIONS, requests=requests)
    yield figure("POST /api/v1/rmas throughput", requests / elapsed, "requests/s", target=">= 300",
                 load_average=os.getloadavg()[0])
    # What the server process itself spent: the ceiling one free core would give.
    yield figure("POST /api/v1/rmas server CPU per request", server_cpu / requests * 1000, "ms",
                 requests_per_cpu_second=round(requests / server_cpu) if server_cpu else None)

    yield from _lookups(db, orders, int(os.environ.get("BENCH_INTAKE_LOOKUPS", 2000)))

    lines = db.parent / "requests.jsonl"
    first = orders // 2  # orders the HTTP phase did not touch
    with lines.open("w") as fh:
        for i in range(first, first + import_lines):
            fh.write(json.dumps({"order_number": f"BO-{i:08d}", "resolution": "refund",
                                 "lines": [{"sku": _SKUS[(i * 2 + 1) % len(_SKUS)], "quantity": 1,
                                            "reason": "size"}]}) + "\n")
    started = time.perf_counter()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    _cli("rmas", "import", str(lines), "--db", url, env=env)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = after.ru_utime - cpu.ru_utime + after.ru_stime - cpu.ru_stime
    yield figure("rmas import", took, "s", lines=import_lines, target="<= 30 for 100,000 lines",
                 cpu_seconds=round(cpu_s, 1), load_average=os.getloadavg()[0])
    yield figure("rmas import rate", import_lines / took, "lines/s", target=">= 3,333")
    shutil.rmtree(db.parent, ignore_errors=True)
