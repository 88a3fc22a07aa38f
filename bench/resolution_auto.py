"""``python -m bench.resolution_auto RMAS WAITING [bulk|each]``: time ``resolve --auto`` alone
on ``bench_resolution.waiting_db(RMAS, WAITING)`` (a throwaway copy), without building the
1,000,000-RMA file the queue's first-page figure needs. ``each`` takes the per-RMA path."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from bench.bench_resolution import _context, waiting_db
from station.resolution.queue import ResolutionQueue


def main(argv: list[str]) -> None:
    rmas, n = int(argv[0]), int(argv[1])
    bulk = (argv[2] if len(argv) > 2 else "bulk") == "bulk"
    path, built = waiting_db(rmas, n)
    work = path.with_suffix(".run")
    shutil.copyfile(path, work)
    try:
        ctx, actor = _context(work, auto=True)
        started = time.perf_counter()
        out = ResolutionQueue(ctx).auto_resolve(actor, bulk=bulk)
        took = time.perf_counter() - started
        print({"rmas": rmas, "waiting": len(out), "issued": sum(o.issued for o in out), "seconds": round(took, 2),
               "per_rma_ms": round(took / max(1, len(out)) * 1000, 3), "built_s": round(built, 1), "bulk": bulk})
    finally:
        for p in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
            p.unlink(missing_ok=True)


if __name__ == "__main__":
    main(sys.argv[1:])
