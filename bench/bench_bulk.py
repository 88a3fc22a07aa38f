"""Bulk work at a dock and what it leaves for sync (issue 22.7): ``orders import`` of N orders,
``rmas import`` of N request lines against them, the outbox they leave, and its push to a
fresh central.

``python -m bench bulk`` measures this checkout. To put old and new code side by side in one
run, ``python bench/bench_bulk.py --tree OLD_CHECKOUT [--tree NEW_CHECKOUT] [N]`` runs the same
steps with each checkout's own ``rma-station`` (a subprocess with that checkout first on
``PYTHONPATH``) and prints one JSON line per figure and checkout. Targets: each import of
100,000 <= 30 s.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PG = os.environ.get("RMA_BENCH_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres")
SKUS = [f"BULK-{n:03d}" for n in range(50)]

_SETUP = """
import sys, uuid
from decimal import Decimal
from station.core.db import make_engine, make_session_factory, upgrade
from station.models import Product
engine = make_engine(sys.argv[1]); upgrade(engine)
with make_session_factory(engine).begin() as db:
    for sku in sys.argv[2:]:
        db.add(Product(sku=sku, gtin=None, name_en="Shirt " + sku, name_zh="衬衫", category="apparel",
                       unit_value=Decimal("99.00"), expected_weight_g=300, serialised=False, station_id="CENTRAL"))
"""

_OUTBOX = """
import sys
from sqlalchemy import text
from station.core.db import make_engine
with make_engine(sys.argv[1]).connect() as conn:
    print(conn.execute(text("SELECT count(*), coalesce(sum(length(payload)), 0) FROM outbox")).one()[0:2])
"""

_PUSH = """
import sys, time, uuid
from sqlalchemy import text
from sqlalchemy.engine import make_url
from station.core.db import make_engine
from station.sync.central_setup import init_central
from station.sync.connection import make_central_engine
from station.sync.push import Pusher
admin = make_engine(sys.argv[2], isolation_level="AUTOCOMMIT")
name = "rma_bench_bulk_" + uuid.uuid4().hex[:10]
with admin.connect() as conn:
    conn.execute(text(f'CREATE DATABASE "{name}"'))
url = make_url(sys.argv[2]).set(database=name).render_as_string(hide_password=False)
central = make_central_engine(url, station_id="BULK")
try:
    init_central(central)
    local = make_engine(sys.argv[1])
    from station.models import Product
    with local.begin() as conn:  # central has the catalogue the requests point at
        products = [dict(r._mapping) for r in conn.execute(Product.__table__.select())]
    with central.begin() as conn:
        conn.execute(Product.__table__.insert(), products)
    started = time.perf_counter()
    report = Pusher(local, central, "BULK").push_all()
    took = time.perf_counter() - started
    print(report.sent, report.conflicts + report.quarantined, round(took, 3))
finally:
    central.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
"""


def _files(folder: Path, count: int) -> tuple[Path, Path]:
    """An orders file (two lines each, delivered three days ago) and a requests file (one line
    per order), as JSON lines."""
    delivered = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    placed = delivered - dt.timedelta(days=2)
    orders, requests = folder / "orders.jsonl", folder / "requests.jsonl"
    with orders.open("w", encoding="utf-8") as out, requests.open("w", encoding="utf-8") as req:
        for i in range(count):
            number = f"BULK-{i:08d}"
            first, second = SKUS[i % len(SKUS)], SKUS[(i + 7) % len(SKUS)]
            out.write(json.dumps({
                "order_number": number, "placed_at": placed.isoformat(), "delivered_at": delivered.isoformat(),
                "currency": "CNY", "flagged": False,
                "customer": {"ref": f"C-{i}", "name": "Wang Fang", "email": f"c{i}@example.com", "phone": "",
                             "language": "zh"},
                "lines": [{"sku": first, "quantity": 2, "unit_price": "99.00", "serials": []},
                          {"sku": second, "quantity": 1, "unit_price": "99.00", "serials": []}]}) + "\n")
            req.write(json.dumps({"order_number": number, "resolution": "refund",
                                  "lines": [{"sku": first, "quantity": 1, "reason": "size"}]}) + "\n")
    return orders, requests


def _python(tree: Path, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, *args], cwd=tree, env={**env, "PYTHONPATH": str(tree)},
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{args[-1][:40]} in {tree} failed: {done.stderr.strip()[-600:]}")
    return done.stdout.strip()


def _timed_cli(tree: Path, *args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    _python(tree, "-c", "import sys; from ui.cli import main; sys.exit(main())", *args, env=env)
    return time.perf_counter() - started


def measure(tree: Path, count: int, *, push: bool = True) -> Iterator[dict[str, object]]:
    """The figures for the checkout at ``tree`` (its own station code and CLI)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "RMA_STATION_HOME": str(folder), "QT_QPA_PLATFORM": "offscreen"}
        url = f"sqlite:///{folder / 'station.sqlite'}"
        _python(tree, "-c", _SETUP, url, *SKUS, env=env)
        orders, requests = _files(folder, count)
        label = tree.name if tree != REPO else "this checkout"
        took = _timed_cli(tree, "orders", "import", str(orders), "--db", url, env=env)
        yield {"name": "bulk.orders_import", "value": round(took, 2), "unit": "s", "tree": label, "orders": count,
               "target": "<= 30 s for 100,000"}
        before = _python(tree, "-c", _OUTBOX, url, env=env)
        took = _timed_cli(tree, "rmas", "import", str(requests), "--db", url, env=env)
        yield {"name": "bulk.rmas_import", "value": round(took, 2), "unit": "s", "tree": label, "lines": count,
               "target": "<= 30 s for 100,000"}
        entries, payload_chars = (int(x) for x in _python(tree, "-c", _OUTBOX, url, env=env).strip("()").split(","))
        yield {"name": "bulk.outbox_entries", "value": entries, "unit": "entries", "tree": label,
               "payload_chars": payload_chars, "after_orders": before}
        if push:
            sent, refused, took = _python(tree, "-c", _PUSH, url, PG, env=env).split()
            yield {"name": "bulk.push", "value": round(int(sent) / float(took)), "unit": "events/s", "tree": label,
                   "sent": int(sent), "refused": int(refused), "seconds": float(took)}


def run(quick: bool = False) -> Iterator[dict[str, object]]:
    yield from measure(REPO, 200 if quick else 100_000)


def main(argv: list[str]) -> int:
    trees = [Path(argv[i + 1]).resolve() for i, a in enumerate(argv) if a == "--tree"] or [REPO]
    rest = [a for i, a in enumerate(argv) if a != "--tree" and (i == 0 or argv[i - 1] != "--tree")]
    count = int(rest[0]) if rest else 100_000
    for tree in trees:
        for fig in measure(tree, count):
            print(json.dumps(fig, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
