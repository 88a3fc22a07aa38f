"""A fleet test in the spirit of Jepsen's bank test: three docks and one central, with faults.

Each dock is a process at work (forked from a fork server, as ``crash_harness`` does): it
receives parcels, inspects and disposes units, resolves RMAs as proposed and syncs in a
background thread, as the dock window does. Its link to central goes through a TCP proxy the
parent controls. Meanwhile the parent, at random:

- takes a dock offline (cuts its proxy) and brings it back;
- SIGKILLs a dock and starts it again on the same SQLite file;
- restarts central (every connection to it dropped at once, as a server restart does);
- once, mid-run, takes a backup of central (``CREATE DATABASE ... TEMPLATE``), and later
  restores central from that backup (the backup renamed into central's place).

Docks mostly receive their own share of the parcels, but now and then the same parcel at
two docks (a duplicate parcel), and they resolve RMAs that other docks inspected (two docks
deciding one refund offline). After the faults stop, every dock syncs until nothing is left,
a supervisor settles the open conflicts keeping central's record, and the invariants are
checked (``Invariants``): every one of them must hold.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.helpers.crash_harness import JPEG, seed_central, sqlite_integrity

DOCKS = (("DOCK01", 11), ("DOCK02", 12), ("DOCK03", 13))
CLERK, INSPECTOR = "EMP1001", "EMP2001"


# ---------------------------------------------------------------------------- the dock


def dock_main(local_url: str, central_url: str, station_id: str, station_no: int, share: int, seed: int) -> None:
    """A dock at work until it is killed: one ``DID`` line per operation that committed."""
    from sqlalchemy import select

    from station.core.context import Actor, StationContext
    from station.core.db import make_engine, make_session_factory
    from station.core.errors import StationError
    from station.core.photos import PhotoStore
    from station.inspection.service import InspectionService
    from station.models import Operator, Receipt, Rma, RmaState, Unit, UnitState
    from station.receiving.service import ReceivingService
    from station.resolution.service import ResolutionService
    from station.sync.backoff import Backoff
    from station.sync.connection import make_central_engine
    from station.sync.worker import SyncWorker
    from tests.helpers.qc import good_answer

    rng = random.Random(seed)
    engine = make_engine(local_url)
    sf = make_session_factory(engine)
    ctx = StationContext(sf, station_id=station_id, station_no=station_no)
    photos = PhotoStore(Path(local_url.removeprefix("sqlite:///")).parent / f"{station_id}-photos")
    receiving, inspection = ReceivingService(ctx), InspectionService(ctx, photos=photos)
    resolution = ResolutionService(ctx)
    with sf() as db:
        clerk = Actor.of(db.scalars(select(Operator).where(Operator.badge == CLERK)).one())
        inspector = Actor.of(db.scalars(select(Operator).where(Operator.badge == INSPECTOR)).one())

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def pick(query) -> Any:  # type: ignore[no-untyped-def]
        with sf() as db:
            found = list(db.scalars(query.limit(40)))
        return rng.choice(found) if found else None

    def receive() -> bool:
        authorised = select(Rma.number).where(Rma.state == RmaState.AUTHORISED).order_by(Rma.number)
        # Mostly this dock's share of the parcels; now and then one another dock also gets.
        number = pick(authorised) if rng.random() < 0.08 else \
            pick(authorised.where(Rma.tracking_number.like(f"%{share}")))
        if number is None:
            return False
        result = receiving.receive(clerk, number)
        say(f"DID receipt {result.rma_number} units={len(result.units)}")
        return True

    def inspect() -> bool:
        mine = select(Unit.lpn).join(Receipt, Receipt.id == Unit.receipt_id).where(Receipt.station_id == station_id)
        lpn = pick(mine.where(Unit.state == UnitState.INSPECTING)) or pick(mine.where(Unit.state == UnitState.RECEIVED))
        if lpn is None:
            return False
        view = inspection.start(inspector, lpn)
        while view.next_question is not None:
            view = inspection.answer(inspector, view.inspection_id, view.next_question.id,
                                     good_answer(view.next_question))
        for question in view.questions:
            if question.needs_photo:
                inspection.add_photo(inspector, view.inspection_id, question.id,
                                     JPEG + rng.randbytes(64) + b"\xff\xd9", "image/jpeg")
        inspection.finish(inspector, view.inspection_id)
        say(f"DID inspection {lpn}")
        return True

    def dispose() -> bool:
        mine = select(Unit.lpn).join(Receipt, Receipt.id == Unit.receipt_id).where(Receipt.station_id == station_id)
        lpn = pick(mine.where(Unit.state == UnitState.INSPECTED))
        if lpn is None:
            return False
        inspection.dispose(inspector, lpn)
        say(f"DID disposition {lpn}")
        return True

    def resolve() -> bool:
        """Resolve as proposed any RMA this dock knows to be ready, whoever received it."""
        ready = select(Rma.number).where(Rma.state == RmaState.INSPECTED).order_by(Rma.number)
        number = pick(ready)
        if number is None:
            return False
        resolution.issue(inspector, number)
        say(f"DID resolution {number}")
        return True

    class Rounds(SyncWorker):
        """The dock's sync worker, saying how each round went."""

        def run_once(self):  # type: ignore[no-untyped-def]
            outcome = super().run_once()
            say("SYNC ok" if outcome.ok else "SYNC failed")
            if outcome.history_lost is not None:
                say("SYNC history-lost")
            return outcome

    worker = Rounds(engine, make_central_engine(central_url, station_id=station_id), station_id,
                    station_no=station_no, interval=rng.uniform(0.2, 0.6), photos=photos,
                    backoff=Backoff(base=0.05, cap=0.5))
    say(f"READY {os.getpid()}")
    worker.start()
    steps = (receive, inspect, inspect, dispose, dispose, resolve)
    while True:
        step = rng.choice(steps)
        try:
            if not step():
                time.sleep(0.05)
        except StationError as exc:  # refused work (not ready, taken by another dock): a person moves on
            say(f"REFUSED {step.__name__} {type(exc).__name__}")
        time.sleep(rng.uniform(0.005, 0.03))  # a moment between two scans


def _dock_entry(args: tuple[Any, ...], out: str, log: str, home: str) -> None:
    os.environ["RMA_STATION_HOME"] = home
    err = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(err, 2)
    sys.stdout = open(out, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives until the kill
    dock_main(*args)


PRELOAD = ["tests.helpers.fleet", "tests.helpers.qc", "station.receiving.service", "station.inspection.service",
           "station.resolution.service", "station.sync.worker", "station.sync.connection", "psycopg", "sqlite3"]


# ---------------------------------------------------------------------------- the parent


@dataclass
class Faults:
    offline: int = 0
    kills: int = 0
    central_restarts: int = 0
    backups: int = 0
    restores: int = 0


@dataclass
class Invariants:
    """What must hold after everything synced; each list holds the violations found."""

    issued_twice: list[str] = field(default_factory=list)
    """RMAs with more than one ``resolution.issued`` in central's event feed."""
    resolved_without_event: list[str] = field(default_factory=list)
    effective_twice: list[str] = field(default_factory=list)
    """RMAs with more than one effective resolution on central."""
    numbers_clash: list[str] = field(default_factory=list)
    receipts_twice: list[str] = field(default_factory=list)
    units_twice: list[str] = field(default_factory=list)
    dock_differs: list[str] = field(default_factory=list)
    audit_broken: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    left_pending: list[str] = field(default_factory=list)

    def violations(self) -> dict[str, list[str]]:
        return {k: v for k, v in vars(self).items() if v}


@dataclass
class FleetFigures:
    seconds: float = 0.0
    faults: Faults = field(default_factory=Faults)
    work: Counter = field(default_factory=Counter)
    """Operations the docks committed (receipts, inspections, dispositions, resolutions) and refused."""
    sync_rounds: int = 0
    sync_failed: int = 0
    """Rounds that failed during the faults (retried later; not a loss)."""
    history_lost: int = 0
    conflicts_settled: int = 0
    fence_steps: Counter = field(default_factory=Counter)
    """Central's fence log after a restore: fenced, rejoined, released, lifted (``station.sync.fence``)."""
    resolved_rmas: int = 0
    checked: Counter = field(default_factory=Counter)
    """How many records each invariant looked at."""
    invariants: Invariants = field(default_factory=Invariants)

    def lines(self) -> list[str]:
        f = self.faults
        work = ", ".join(f"{k} {n}" for k, n in sorted(self.work.items())) or "none"
        bad = self.invariants.violations()
        return [
            f"run: {self.seconds:.0f} s, 3 docks + central",
            f"faults: {f.offline} dock outages, {f.kills} SIGKILLs, {f.central_restarts} central restarts, "
            f"{f.backups} backup(s) taken, {f.restores} restore(s) from backup",
            f"work committed at the docks: {work}",
            f"sync rounds: {self.sync_rounds} ({self.sync_failed} failed and retried); "
            f"{self.history_lost} round(s) found central had lost history (the restore) and re-sent it",
            "central's fence after the restore: " + (", ".join(f"{k} {n}" for k, n in sorted(self.fence_steps.items()))
                                                     or "never fenced"),
            f"after the faults: {self.conflicts_settled} conflict(s) settled keeping central's record",
            "checked: " + ", ".join(f"{k} {n}" for k, n in sorted(self.checked.items())),
            f"resolved RMAs on central: {self.resolved_rmas}",
            "invariants: " + ("all hold" if not bad else
                              "; ".join(f"{k}: {len(v)} (e.g. {v[0]})" for k, v in bad.items())),
        ]


class Fleet:
    """The parent: central, three docks behind proxies, the faults, and the final check."""

    def __init__(self, central_url: str, workdir: Path, *, seed: int = 1, parcels: int = 120) -> None:
        from sqlalchemy.engine import make_url

        from tests.station.sync.proxy import Proxy

        self.central_url = central_url
        self.central_name = make_url(central_url).database
        self.workdir = workdir
        self.rng = random.Random(seed)
        self.parcels = parcels
        self.figures = FleetFigures()
        self.proxies = {sid: Proxy() for sid, _ in DOCKS}
        self.children: dict[str, Any] = {}
        self.backup: str | None = None
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        self.forks = ctx

    # -- set-up -------------------------------------------------------------------------------

    def dock_url(self, station_id: str) -> str:
        return f"sqlite:///{self.workdir / f'{station_id}.sqlite'}"

    def via_proxy(self, station_id: str) -> str:
        from sqlalchemy.engine import make_url

        port = self.proxies[station_id].port
        return make_url(self.central_url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)

    def set_up(self) -> None:
        from station.core.db import make_engine, upgrade

        self.workdir.mkdir(parents=True, exist_ok=True)
        seed_central(self.central_url, parcels=self.parcels, seed=self.rng.randrange(2**31))
        for station_id, _ in DOCKS:
            engine = make_engine(self.dock_url(station_id))
            upgrade(engine)
            engine.dispose()
        self.final_rounds(rounds=1)  # every dock pulls the warehouse once before work starts

    def start(self, station_id: str) -> None:
        number = dict(DOCKS)[station_id]
        share = [sid for sid, _ in DOCKS].index(station_id)
        args = (self.dock_url(station_id), self.via_proxy(station_id), station_id, number, share,
                self.rng.randrange(2**31))
        child = self.forks.Process(target=_dock_entry, daemon=True, args=(
            args, str(self.workdir / f"{station_id}.out"), str(self.workdir / f"{station_id}.log"),
            str(self.workdir / "home")))
        child.start()
        self.children[station_id] = child

    # -- faults -------------------------------------------------------------------------------

    def _admin(self):  # type: ignore[no-untyped-def]
        from tests.helpers.pg import _admin

        return _admin()

    @contextmanager
    def central_down(self) -> Any:
        """Every dock cut off and every connection to central dropped (a server restart)."""
        for proxy in self.proxies.values():
            proxy.cut()
        admin = self._admin()
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE datname = %s AND pid <> pg_backend_pid()", (self.central_name,))
            yield admin
        finally:
            admin.dispose()
            for station_id, proxy in self.proxies.items():
                if not getattr(proxy, "offline_by_test", False):
                    proxy.restore()

    def restart_central(self) -> None:
        with self.central_down():
            time.sleep(self.rng.uniform(0.05, 0.3))
        self.figures.faults.central_restarts += 1

    def take_backup(self) -> None:
        self.backup = f"{self.central_name}_backup"
        with self.central_down() as admin, admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.backup}" TEMPLATE "{self.central_name}"')
        self.figures.faults.backups += 1

    def restore_backup(self) -> None:
        assert self.backup is not None
        with self.central_down() as admin, admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{self.central_name}" WITH (FORCE)')
            conn.exec_driver_sql(f'ALTER DATABASE "{self.backup}" RENAME TO "{self.central_name}"')
        self.backup = None
        self.figures.faults.restores += 1

    def toggle_offline(self, station_id: str) -> None:
        proxy = self.proxies[station_id]
        if getattr(proxy, "offline_by_test", False):
            proxy.offline_by_test = False
            proxy.restore()
        else:
            proxy.offline_by_test = True
            proxy.cut()
            self.figures.faults.offline += 1

    def kill(self, station_id: str) -> None:
        child = self.children.pop(station_id)
        if child.is_alive():
            os.kill(child.pid, signal.SIGKILL)
            self.figures.faults.kills += 1
        child.join(30)
        problems = sqlite_integrity(self.workdir / f"{station_id}.sqlite")
        self.figures.invariants.integrity += [f"{station_id} after a kill: {p}" for p in problems]
        self.start(station_id)

    def run(self, seconds: float, *, restore: bool = True) -> FleetFigures:
        """Work and faults for ``seconds``, then the final sync and the check."""
        began = time.monotonic()
        self.set_up()
        for station_id, _ in DOCKS:
            self.start(station_id)
        backup_at, restore_at = seconds * 0.3, seconds * 0.6
        while (elapsed := time.monotonic() - began) < seconds:
            time.sleep(self.rng.uniform(0.2, 0.8))
            if restore and self.figures.faults.backups == 0 and elapsed > backup_at:
                self.take_backup()
                continue
            if restore and self.backup is not None and elapsed > restore_at:
                self.restore_backup()
                continue
            roll, station_id = self.rng.random(), self.rng.choice([sid for sid, _ in DOCKS])
            if roll < 0.45:
                self.toggle_offline(station_id)
            elif roll < 0.8:
                self.kill(station_id)
            else:
                self.restart_central()
        self.stop_docks()
        self.final_rounds()
        self.settle_conflicts()
        self.final_rounds()
        self.figures.seconds = time.monotonic() - began
        self.check()
        return self.figures

    def stop_docks(self) -> None:
        for station_id, child in list(self.children.items()):
            if child.is_alive():
                os.kill(child.pid, signal.SIGKILL)
            child.join(30)
            del self.children[station_id]
        for proxy in self.proxies.values():
            proxy.offline_by_test = False
            proxy.restore()
        for station_id, _ in DOCKS:
            out = self.workdir / f"{station_id}.out"
            for line in out.read_text(encoding="utf-8").splitlines() if out.exists() else ():
                parts = line.split()
                if parts and parts[0] in ("DID", "REFUSED"):
                    self.figures.work[parts[1] if parts[0] == "DID" else f"refused {parts[1]}"] += 1
                elif parts[:2] == ["SYNC", "history-lost"]:
                    self.figures.history_lost += 1
                elif parts and parts[0] == "SYNC":
                    self.figures.sync_rounds += 1
                    self.figures.sync_failed += parts[1] == "failed"

    # -- the end ------------------------------------------------------------------------------

    @contextmanager
    def _dock(self, station_id: str) -> Any:
        from station.core.db import make_engine
        from station.core.photos import PhotoStore
        from station.sync.connection import make_central_engine
        from station.sync.worker import SyncWorker

        saved = os.environ.get("RMA_STATION_HOME")
        os.environ["RMA_STATION_HOME"] = str(self.workdir / "home")
        engine = make_engine(self.dock_url(station_id))
        central = make_central_engine(self.central_url, station_id=station_id)
        worker = SyncWorker(engine, central, station_id, station_no=dict(DOCKS)[station_id],
                            photos=PhotoStore(self.workdir / f"{station_id}-photos"))
        try:
            yield engine, central, worker
        finally:
            engine.dispose()
            central.dispose()
            if saved is None:
                os.environ.pop("RMA_STATION_HOME", None)
            else:
                os.environ["RMA_STATION_HOME"] = saved

    def final_rounds(self, rounds: int = 3) -> None:
        """Every dock syncs ``rounds`` times in turn (so each pulls what the others pushed)."""
        for _ in range(rounds):
            for station_id, _ in DOCKS:
                with self._dock(station_id) as (_, _, worker):
                    outcome = worker.run_once()
                    self.figures.sync_rounds += 1
                    self.figures.history_lost += outcome.history_lost is not None
                    if not outcome.ok:
                        self.figures.invariants.left_pending.append(f"{station_id}: {outcome.error}")

    def settle_conflicts(self) -> None:
        """A supervisor settles every open conflict keeping central's record."""
        from station.sync.conflicts import list_conflicts, resolve_conflict
        from station.sync.connection import make_central_engine

        central = make_central_engine(self.central_url, station_id="SUPERVISOR")
        try:
            for conflict in list_conflicts(central, limit=10_000):
                resolve_conflict(central, conflict.id, keep="central", by="EMP3001",
                                 note="fleet test: keep what central holds")
                self.figures.conflicts_settled += 1
        finally:
            central.dispose()

    def check(self) -> None:
        from tests.helpers.fleet_checks import check_fleet

        check_fleet(self)
