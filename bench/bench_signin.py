"""Sign-in figures: a real ``AuthService.sign_in`` call, and what one PIN guess costs.

- ``signin.sign_in``: badge + correct PIN through ``AuthService.sign_in`` on a migrated SQLite
  file (throttle look-ups, scrypt at today's cost, the audit event committed), p50 and p95.
- ``signin.sign_in_rehash``: the first sign-in of a PIN hashed at the old cost (n=2^14): it
  verifies the old hash and writes one at today's cost.
- ``signin.scrypt_guess``: one ``verify_pin`` at today's cost and at the old one, on one core;
  its inverse is an offline guesser's rate per core (docs/security.md (Sign-in and PINs)).

Run alone: ``.venv/bin/python bench/bench_signin.py`` (or ``python -m bench signin``).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import Figure, figure, median, percentile  # noqa: E402


def _timed(fn, runs: int, cpu: list[float] | None = None) -> list[float]:  # noqa: ANN001
    """Wall milliseconds per call; with ``cpu``, this thread's CPU milliseconds too (on a
    shared machine the wall time includes waiting for a core, the CPU time does not)."""
    out = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.thread_time()
        fn()
        out.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.thread_time() - start_cpu) * 1000)
    return out


def run(quick: bool = False) -> Iterator[Figure]:
    from sqlalchemy import update

    from station.core.context import StationContext
    from station.core.db import open_database
    from station.models import Operator, Role
    from station.operators.pins import SCRYPT_N, hash_pin, verify_pin
    from station.operators.service import AuthService

    runs = 5 if quick else 40
    with tempfile.TemporaryDirectory() as tmp:
        engine, factory = open_database(f"sqlite:///{Path(tmp) / 'station.sqlite'}", create=True)
        auth = AuthService(StationContext(factory))
        auth.create_operator(None, badge="EMP9001", name="Wang Admin", role=Role.ADMIN, pin="999999")
        auth.sign_in("EMP9001", "999999")  # warm: statement cache, decoy hash not needed
        cpu: list[float] = []
        samples = _timed(lambda: auth.sign_in("EMP9001", "999999"), runs, cpu)
        load = round(os.getloadavg()[0], 2)
        yield figure("signin.sign_in_p50", median(samples), "ms", runs=runs, scrypt_n=SCRYPT_N,
                     cpu_ms=round(median(cpu), 1), load=load)
        yield figure("signin.sign_in_p95", percentile(samples, 95), "ms", runs=runs, scrypt_n=SCRYPT_N,
                     cpu_ms=round(percentile(cpu, 95), 1), load=load)

        old = hash_pin("999999", n=2**14)
        rehash = []
        for _ in range(3 if quick else 10):
            with factory.begin() as db:
                db.execute(update(Operator).values(pin_hash=old))
            rehash += _timed(lambda: auth.sign_in("EMP9001", "999999"), 1)
        yield figure("signin.sign_in_rehash_p50", median(rehash), "ms", runs=len(rehash), from_n=2**14)
        engine.dispose()

    for n in (SCRYPT_N, 2**14):
        stored = hash_pin("999999", n=n)
        cpu = []
        guesses = _timed(lambda: verify_pin("123456", stored), runs, cpu)  # noqa: B023
        per_guess = median(guesses)
        yield figure(f"signin.scrypt_guess_n{n}", per_guess, "ms", cpu_ms=round(median(cpu), 1),
                     guesses_per_s_per_core=round(1000 / per_guess, 1),
                     exhaust_4_digits_core_h=round(1e4 * per_guess / 3.6e6, 2),
                     exhaust_6_digits_core_h=round(1e6 * per_guess / 3.6e6, 1))


if __name__ == "__main__":
    import json

    for fig in run(quick="--quick" in sys.argv):
        print(json.dumps(fig), flush=True)
