"""A crash harness: a station process SIGKILLed at random moments, again and again.

The child is a station at work: it receives parcels, walks inspections (now and then failing
an item and adding its photo) and syncs with a real PostgreSQL central database, through the
public services (``ReceivingService``, ``InspectionService``, ``SyncWorker``: by default in a
thread beside the work, as the dock window runs it), and writes one ``COMMITTED ...`` line
after each call that committed. The parent kills it with SIGKILL a random delay after it is
ready, checks the SQLite file (``PRAGMA integrity_check``), starts a new one on the same file
(forked from a fork server that imported the station once, so a restart skips the imports),
and repeats. At the end it syncs everything once more and counts, in the station file and
on central:

- lost: a commit the child printed that is not in the database (or an event marked sent
  that central does not have);
- doubled: a second receipt for one parcel, more units than the RMA line holds, a second
  inspection of one unit; the same on central after the final sync;
- half-done: a receipt without its units (or fewer than counted), units without their
  receipt, an RMA state that disagrees with its receipts, an inspection finished without
  its grade or its unit's state, an audit event or domain event missing for a receipt or
  inspection, a committed row whose current version has no outbox event, a photo row
  without its intact picture in the store;
- SQLite ``integrity_check`` / ``foreign_key_check`` failures (after every kill);
- ``audit verify`` failures (``station.audit.chain.verify_chain`` on the station file).

All of them must be 0. ``bench/crash_harness.py`` drives this with 200 kills and prints the
figures; ``tests/station/test_crash_harness.py`` runs 20 kills in the suite.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

STATION_ID = "CRASH01"
STATION_NO = 7
CLERK_BADGE = "EMP1001"  # the demo's operators (station.demo.DEMO_OPERATORS)
INSPECTOR_BADGE = "EMP2001"
EXTRA_RMA_BASE = 5_000_000  # RMA numbers of the harness's own parcels, clear of the demo's


@dataclass
class Figures:
    """What one harness run found; every count but ``kills`` and ``commits`` must be 0."""

    kills: int = 0
    commits: Counter = field(default_factory=Counter)
    killed_during: Counter = field(default_factory=Counter)
    """Where the kills struck: inside a receipt, an inspection, a sync round, or between them."""
    lost: int = 0
    doubled: int = 0
    half_done: int = 0
    integrity_failures: int = 0
    audit_failures: int = 0
    child_errors: int = 0
    central_doubled: int = 0
    central_missing: int = 0
    sync_failures: int = 0
    idle_rounds: int = 0
    restart_seconds: float = 0.0
    """Summed time from fork to the child's READY (opening databases, loading checklists)."""
    """Rounds the child found no parcel or unit left (more parcels are seeded than it gets to)."""
    audit_events: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    """The first problems found, in words (for the report and the test's failure message)."""

    @property
    def failures(self) -> int:
        return (self.lost + self.doubled + self.half_done + self.integrity_failures + self.audit_failures
                + self.child_errors + self.central_doubled + self.central_missing)

    def note(self, what: str) -> None:
        if len(self.problems) < 40:
            self.problems.append(what)

    def lines(self) -> list[str]:
        commits = ", ".join(f"{kind} {n}" for kind, n in sorted(self.commits.items())) or "none"
        return [
            f"kills: {self.kills} in {self.seconds:.0f} s "
            f"(restart to ready: {1000 * self.restart_seconds / max(self.kills, 1):.0f} ms on average)",
            f"commits printed by the child: {sum(self.commits.values())} ({commits})",
            "kills landed during: " + ", ".join(f"{k} {n}" for k, n in sorted(self.killed_during.items())),
            f"sync rounds that failed (retried later; not a loss): {self.sync_failures}; "
            f"idle rounds (no work left): {self.idle_rounds}",
            f"lost (printed as committed, not in the database): {self.lost}",
            f"doubled (second receipt / unit / inspection on the station): {self.doubled}",
            f"half-done (receipt without units, inspection without result, missing outbox/audit): "
            f"{self.half_done}",
            f"SQLite integrity_check / foreign_key_check failures: {self.integrity_failures}",
            f"audit verify failures ({self.audit_events} events): {self.audit_failures}",
            f"child errors (exited by itself): {self.child_errors}",
            f"central after the final sync: doubled {self.central_doubled}, missing {self.central_missing}",
        ]


# ---------------------------------------------------------------------------- the setup


def seed_central(central_url: str, *, parcels: int, seed: int) -> None:
    """Central as the web shop leaves it: the demo warehouse plus ``parcels`` authorised RMAs."""
    from sqlalchemy import select

    from station.core.db import make_engine, make_session_factory
    from station.core.identifiers import make_rma_number
    from station.demo import CUSTOMERS, REASONS, seed_demo
    from station.models import Product, RequestedResolution, Rma, RmaLine, utcnow
    from station.sync.central_setup import init_central

    engine = make_engine(central_url)
    try:
        init_central(engine)
        sf = make_session_factory(engine)
        now = utcnow()
        seed_demo(sf, station_id="CENTRAL", station_no=900, rmas=120, seed=seed, now=now)
        rng = random.Random(seed)
        with sf() as db:
            db.info["applying_sync"] = True
            with db.begin():
                products = list(db.scalars(select(Product).order_by(Product.sku)))
                for i in range(parcels):
                    name, locale = rng.choice(CUSTOMERS)
                    authorised = now - dt.timedelta(days=rng.randint(0, 5), hours=rng.randint(0, 23))
                    rma = Rma(
                        number=make_rma_number(EXTRA_RMA_BASE + i), order_number=f"SO-CR-{i:06d}",
                        customer_ref=f"C-{rng.randint(1000, 1400)}", customer_name=name,
                        customer_email="returns@example.com", customer_locale=locale,
                        reason_code=rng.choice(REASONS)[0], requested_resolution=RequestedResolution.REFUND,
                        authorised_at=authorised,
                        deadline=(authorised + dt.timedelta(days=30)).date(), carrier="SF",
                        tracking_number=f"SF{EXTRA_RMA_BASE + i:012d}", station_id="CENTRAL",
                    )
                    for no, product in enumerate(rng.sample(products, k=rng.choice([1, 1, 2, 3])), start=1):
                        qty = 1 if product.serialised else rng.choice([1, 1, 2, 3])
                        rma.lines.append(RmaLine(
                            line_no=no, product_id=product.id, sku=product.sku, quantity=qty,
                            serial=f"SN{rng.randint(10**9, 10**10 - 1)}" if product.serialised else None,
                            unit_price=product.unit_value, station_id="CENTRAL"))
                    db.add(rma)
    finally:
        engine.dispose()


def make_station(station_file: Path, central_url: str) -> str:
    """A new station SQLite file that has pulled everything from central once."""
    from station.core.db import make_engine, upgrade

    url = f"sqlite:///{station_file}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        central = central_engine(central_url)
        try:
            from station.sync.pull import Puller

            Puller(engine, central).pull_all()
        finally:
            central.dispose()
    finally:
        engine.dispose()
    return url


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
"""The start of a JPEG file: enough for the station's picture check; the rest is random."""


def photo_root(local_url: str) -> Path:
    """The station's photo store, beside its database file."""
    return Path(local_url.removeprefix("sqlite:///")).parent / "photos"


def central_engine(central_url: str):  # type: ignore[no-untyped-def]
    """The station's engine on central, the way ``rma-station sync`` opens it."""
    from station.sync.connection import make_central_engine

    return make_central_engine(central_url, station_id=STATION_ID)


# ---------------------------------------------------------------------------- the child


def child_main(local_url: str, central_url: str, seed: int, background_sync: bool) -> None:
    """A station at work until it is killed; one ``COMMITTED`` line after each commit.

    With ``background_sync`` a ``SyncWorker`` thread syncs beside the receipts and inspections
    (as the dock window runs it); otherwise sync rounds take turns with them on one thread.
    """
    from sqlalchemy import select

    from station.core.context import Actor, StationContext
    from station.core.db import make_engine, make_session_factory
    from station.core.photos import PhotoStore
    from station.inspection.service import InspectionService
    from station.models import Operator, Receipt, Rma, RmaState, Unit, UnitState
    from station.receiving.service import ReceivingService
    from station.sync.worker import SyncWorker
    from tests.helpers.qc import good_answer

    rng = random.Random(seed)
    engine = make_engine(local_url)
    sf = make_session_factory(engine)
    ctx = StationContext(sf, station_id=STATION_ID, station_no=STATION_NO)
    photos = PhotoStore(photo_root(local_url))
    receiving, inspection = ReceivingService(ctx), InspectionService(ctx, photos=photos)
    central = central_engine(central_url)
    with sf() as db:
        clerk = Actor.of(db.scalars(select(Operator).where(Operator.badge == CLERK_BADGE)).one())
        inspector = Actor.of(db.scalars(select(Operator).where(Operator.badge == INSPECTOR_BADGE)).one())

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def think() -> None:
        """A moment between two scans. Without it the clerk's back-to-back writes starve the
        sync thread of SQLite's write lock (its busy handler sleeps and retries; a writer that
        never pauses always wins), which no person at a dock does."""
        time.sleep(rng.uniform(0.002, 0.02))

    def ids(query) -> list:  # type: ignore[no-untyped-def]
        with sf() as db:
            return list(db.scalars(query))

    def receive() -> bool:
        numbers = ids(select(Rma.number).where(Rma.state == RmaState.AUTHORISED).order_by(Rma.number).limit(50))
        if not numbers:
            return False
        number = rng.choice(numbers)
        say(f"BEGIN receipt {number}")
        with sf() as db:
            tracking = db.scalar(select(Rma.tracking_number).where(Rma.number == number))
        result = receiving.receive(clerk, tracking if tracking and rng.random() < 0.3 else number)
        lpns = ",".join(u.lpn for u in result.units)
        say(f"COMMITTED receipt {result.rma_number} receipt={result.receipt_id} units={len(result.units)} "
            f"outcome={result.outcome.value} lpns={lpns}")
        think()
        return True

    def inspect() -> bool:
        mine = select(Unit.lpn).join(Receipt, Receipt.id == Unit.receipt_id).where(Receipt.station_id == STATION_ID)
        lpns = ids(mine.where(Unit.state == UnitState.INSPECTING)) or \
            ids(mine.where(Unit.state == UnitState.RECEIVED).order_by(Unit.lpn).limit(50))
        if not lpns:
            return False
        lpn = rng.choice(lpns)
        say(f"BEGIN inspection {lpn}")
        view = inspection.start(inspector, lpn)
        say(f"COMMITTED inspection.start {lpn} inspection={view.inspection_id}")
        think()
        while view.next_question is not None:
            question = view.next_question
            value = good_answer(question)
            if question.photo_on_fail and question.kind.value == "pass_fail" and rng.random() < 0.15:
                value = "fail"  # a scuffed or broken unit: the checklist then wants a photo
            view = inspection.answer(inspector, view.inspection_id, question.id, value)
            say(f"COMMITTED inspection.answer {lpn} inspection={view.inspection_id} item={question.id}")
            think()
        for question in view.questions:  # also after a restart: the photos a failure still lacks
            if question.needs_photo:
                picture = JPEG + rng.randbytes(256) + b"\xff\xd9"
                photo = inspection.add_photo(inspector, view.inspection_id, question.id, picture, "image/jpeg")
                say(f"COMMITTED photo {lpn} inspection={view.inspection_id} item={question.id} sha={photo.sha256}")
                think()
        result = inspection.finish(inspector, view.inspection_id)
        say(f"COMMITTED inspection.finish {lpn} inspection={view.inspection_id} grade={result.grade.value}")
        think()
        return True

    class Rounds(SyncWorker):
        """The station's sync worker, saying when a round starts and what it committed."""

        def run_once(self):  # type: ignore[no-untyped-def]
            say("SYNC-BEGIN")
            began = time.monotonic()
            outcome = super().run_once()
            if outcome.ok:
                say(f"COMMITTED sync - sent={outcome.push.sent} duplicates={outcome.push.duplicates} "
                    f"pulled={outcome.pull.applied} seconds={time.monotonic() - began:.2f}")
            else:
                say(f"SYNC-FAILED {outcome.error}")
            return outcome

    worker = Rounds(engine, central, STATION_ID, interval=rng.uniform(0.2, 1.0),
                    batch_size=rng.choice([5, 20, 100, 1000]), photos=photos)
    say(f"READY {os.getpid()}")
    if background_sync:  # as the dock window runs it: a thread beside the clerk's work
        worker.start()
    while True:
        roll = rng.random()
        if roll < 0.55:
            done = receive()
        elif roll < 0.88 or background_sync:
            done = inspect()
        else:
            worker.run_once()
            done = True
        if not done and not receive() and not inspect():
            say("IDLE")
            if background_sync:
                worker.wake()
                time.sleep(0.2)
            else:
                worker.run_once()


# ---------------------------------------------------------------------------- the parent


@dataclass
class Printed:
    kind: str
    key: str
    attrs: dict[str, str]


def parse(line: str) -> Printed | None:
    parts = line.split()
    if len(parts) < 3 or parts[0] != "COMMITTED":
        return None
    attrs = dict(p.split("=", 1) for p in parts[3:] if "=" in p)
    return Printed(parts[1], parts[2], attrs)


PRELOAD = ["tests.helpers.crash_harness", "tests.helpers.qc", "station.receiving.service", "station.inspection.service",
           "station.sync.worker", "station.sync.connection", "station.core.db", "psycopg", "sqlite3"]
"""Imported once by the fork server, so a restarted station is running in milliseconds rather
than after a fresh interpreter's ~0.6 s of imports (and kills land in work, not in start-up)."""


def _forks():  # type: ignore[no-untyped-def]
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _child_entry(local_url: str, central_url: str, seed: int, background_sync: bool, out: str, log: str,
                 home: str) -> None:
    """The child's first step after the fork: its home, its stderr log, its line file."""
    os.environ["RMA_STATION_HOME"] = home
    err = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(err, 2)
    sys.stdout = open(out, "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives until the kill
    child_main(local_url, central_url, seed, background_sync)


def _run_child(forks, local_url: str, central_url: str, seed: int, max_delay: float,  # type: ignore[no-untyped-def]
               workdir: Path, background_sync: bool) -> tuple[list[str], int | None, bool, float]:
    """Fork a child, SIGKILL it ``uniform(0, max_delay)`` s after it is ready; its lines and exit code.

    The child writes its lines to a file (one ``write`` each): what it wrote before the kill is
    there afterwards, exactly as a clerk would have seen it on screen."""
    out = workdir / "child-out.txt"
    out.write_text("")
    child = forks.Process(target=_child_entry, daemon=True, args=(
        local_url, central_url, seed, background_sync, str(out), str(workdir / "child-stderr.log"),
        str(workdir / "home")))
    child.start()
    began = time.monotonic()
    deadline = began + 60
    while child.is_alive() and not out.read_text(encoding="utf-8").startswith("READY") \
            and time.monotonic() < deadline:
        time.sleep(0.005)
    killed = False
    ready_s = time.monotonic() - began
    if child.is_alive():
        time.sleep(random.Random(seed).uniform(0, max_delay))
        child.kill()
        killed = True
    child.join(30)
    text = out.read_text(encoding="utf-8")
    return text.split("\n")[:-1], child.exitcode, killed, ready_s  # a torn last line (no newline) was not shown


def _struck(lines: list[str]) -> str:
    """What the child was doing when it was killed: the clerk's operation, a sync round, or both."""
    work = [l.split() for l in lines if not l.startswith(("SYNC-", "COMMITTED sync", "IDLE"))]
    syncs = [l for l in lines if l.startswith(("SYNC-", "COMMITTED sync"))]
    syncing = bool(syncs) and syncs[-1] == "SYNC-BEGIN"
    last = work[-1] if work else ["START"]
    if last[0] == "BEGIN":
        doing = last[1]
    elif last[0] == "COMMITTED" and last[1] in ("inspection.start", "inspection.answer"):
        doing = "inspection"
    elif last[0] in ("START", "READY") and not syncing:
        doing = "start-up"
    else:
        doing = ""
    if syncing:
        return f"{doing} + sync" if doing else "sync"
    return doing or "between operations"


def sqlite_integrity(path: Path) -> list[str]:
    """What ``integrity_check`` and ``foreign_key_check`` say is wrong (empty: nothing)."""
    conn = sqlite3.connect(path)  # opening after a kill also replays the WAL
    try:
        found = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        found += [f"foreign key: {r}" for r in conn.execute("PRAGMA foreign_key_check")]
    finally:
        conn.close()
    return found


def run(central_url: str, workdir: Path, *, kills: int, seed: int = 1, max_delay: float = 1.0,
        parcels_per_kill: int = 20, background_sync: bool = True,
        progress=None) -> Figures:  # type: ignore[no-untyped-def]
    """The whole harness: seed, ``kills`` kill/restart cycles, final sync, the counts."""
    figures = Figures()
    started = time.monotonic()
    workdir.mkdir(parents=True, exist_ok=True)
    station_file = workdir / "station.sqlite"
    log = workdir / "child-stderr.log"
    if station_file.exists():  # an old station's outbox would push into this run's central
        raise FileExistsError(f"{station_file} is left from an earlier run; give an empty directory.")
    seed_central(central_url, parcels=max(40, kills * parcels_per_kill), seed=seed)
    local_url = make_station(station_file, central_url)
    rng = random.Random(seed)
    forks = _forks()
    printed: list[Printed] = []
    while figures.kills < kills:
        lines, code, killed, ready_s = _run_child(forks, local_url, central_url, rng.randrange(2**31),
                                                  max_delay, workdir, background_sync)
        for line in lines:
            entry = parse(line)
            if entry is not None:
                printed.append(entry)
                figures.commits[entry.kind] += 1
            elif line.startswith("SYNC-FAILED"):
                figures.sync_failures += 1
            elif line == "IDLE":
                figures.idle_rounds += 1
        if killed and code == -signal.SIGKILL:
            figures.kills += 1
            figures.killed_during[_struck(lines)] += 1
            figures.restart_seconds += ready_s
        else:
            figures.child_errors += 1
            figures.note(f"child exited by itself with code {code} (see {log})")
            if figures.child_errors > 3:
                break
        for problem in sqlite_integrity(station_file):
            figures.integrity_failures += 1
            figures.note(f"after kill {figures.kills}: {problem}")
        if progress is not None:
            progress(figures)
    final_sync(local_url, central_url, figures)
    check(local_url, central_url, printed, figures)
    figures.seconds = time.monotonic() - started
    return figures


def final_sync(local_url: str, central_url: str, figures: Figures) -> None:
    """Push everything still pending, then pull (what the restarted station does next)."""
    from station.core.db import make_engine
    from station.core.photos import PhotoStore
    from station.sync.worker import SyncWorker

    engine, central = make_engine(local_url), central_engine(central_url)
    try:
        for _ in range(3):
            outcome = SyncWorker(engine, central, STATION_ID, photos=PhotoStore(photo_root(local_url))).run_once()
            if outcome.ok:
                return
            figures.sync_failures += 1
            figures.note(f"final sync failed: {outcome.error}")
            time.sleep(1)
        figures.child_errors += 1
    finally:
        engine.dispose()
        central.dispose()


# ---------------------------------------------------------------------------- the counts


def check(local_url: str, central_url: str, printed: list[Printed], figures: Figures) -> None:
    from station.core.db import make_engine, make_session_factory

    engine, central = make_engine(local_url), central_engine(central_url)
    try:
        with make_session_factory(engine)() as db:
            _check_lost(db, printed, figures)
            _check_station(db, figures)
            _check_photos(db, photo_root(local_url), figures)
            _check_outbox(db, figures)
            _check_audit(db, figures)
            db.rollback()
        _check_central(engine, central, figures)
    finally:
        engine.dispose()
        central.dispose()


def _check_lost(db, printed: list[Printed], figures: Figures) -> None:  # type: ignore[no-untyped-def]
    import uuid

    from sqlalchemy import select

    from station.models import Inspection, Photo, Receipt, Rma, Unit

    for entry in printed:
        missing = ""
        if entry.kind == "receipt":
            receipt = db.get(Receipt, uuid.UUID(entry.attrs["receipt"]))
            if receipt is None:
                missing = "receipt row"
            else:
                number = db.scalar(select(Rma.number).where(Rma.id == receipt.rma_id))
                lpns = {u.lpn for u in receipt.units}
                wanted = set(filter(None, entry.attrs["lpns"].split(",")))
                if number != entry.key or lpns != wanted:
                    missing = f"units {sorted(wanted - lpns)} / RMA {number}"
        elif entry.kind.startswith("inspection.") or entry.kind == "photo":
            found = db.get(Inspection, uuid.UUID(entry.attrs["inspection"]))
            lpn = db.scalar(select(Unit.lpn).where(Unit.id == found.unit_id)) if found else None
            if found is None or lpn != entry.key:
                missing = "inspection row"
            elif entry.kind == "inspection.answer" and entry.attrs["item"] not in (found.answers or {}):
                missing = f"answer {entry.attrs['item']}"
            elif entry.kind == "photo" and db.scalar(select(Photo.sha256).where(
                    Photo.inspection_id == found.id, Photo.item_id == entry.attrs["item"])) != entry.attrs["sha"]:
                missing = f"photo for {entry.attrs['item']}"
            elif entry.kind == "inspection.finish" and (
                    found.finished_at is None or found.grade is None or found.grade.value != entry.attrs["grade"]):
                missing = "finished grade"
        if missing:
            figures.lost += 1
            figures.note(f"lost: {entry.kind} {entry.key}: {missing}")


def _check_station(db, figures: Figures) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from station.models import AuditEvent, DomainEvent, Inspection, Receipt, Rma, RmaLine, RmaState, Unit, UnitState

    def half(what: str) -> None:
        figures.half_done += 1
        figures.note(f"half-done: {what}")

    def doubled(what: str) -> None:
        figures.doubled += 1
        figures.note(f"doubled: {what}")

    receipts = list(db.scalars(select(Receipt).where(Receipt.station_id == STATION_ID)))
    audited = {(a, e) for a, e in db.execute(select(AuditEvent.action, AuditEvent.entity_id))}
    received_events = {str(p.get("receipt_id")) for p in db.scalars(
        select(DomainEvent.payload).where(DomainEvent.name == "rma.received"))}
    inspected_events = Counter(p.get("lpn") for p in db.scalars(
        select(DomainEvent.payload).where(DomainEvent.name == "unit.inspected")))
    per_rma = Counter(r.rma_id for r in receipts)
    for rma_id, n in per_rma.items():
        if n > 1:
            doubled(f"{n} receipts for RMA {rma_id}")
    for receipt in receipts:
        rma = db.get(Rma, receipt.rma_id)
        wanted = sum(line.quantity for line in rma.lines)
        got = sum(u.quantity for u in receipt.units)
        if got < wanted:
            half(f"receipt {receipt.id} of {rma.number} has {got} of {wanted} units")
        if rma.state == RmaState.AUTHORISED:
            half(f"RMA {rma.number} has a receipt but is still authorised")
        if ("parcel.received", str(receipt.id)) not in audited:
            half(f"receipt {receipt.id} has no parcel.received audit event")
        if str(receipt.id) not in received_events:
            half(f"receipt {receipt.id} has no rma.received domain event")
    # RMAs moved on without a receipt (the state change committed without the parcel).
    for rma in db.scalars(select(Rma).where(Rma.state.in_([RmaState.RECEIVED, RmaState.PARTIALLY_RECEIVED]))):
        if not rma.receipts:
            half(f"RMA {rma.number} is {rma.state.value} without a receipt")
    units_per_line = dict(db.execute(select(Unit.rma_line_id, func.sum(Unit.quantity))
                                     .where(Unit.rma_line_id.is_not(None)).group_by(Unit.rma_line_id)).all())
    for line_id, sold in db.execute(select(RmaLine.id, RmaLine.quantity)):
        if units_per_line.get(line_id, 0) > sold:
            doubled(f"RMA line {line_id}: {units_per_line[line_id]} units for {sold} sold")
    lpns = Counter(db.scalars(select(Unit.lpn)))
    for lpn, n in lpns.items():
        if n > 1:
            doubled(f"LPN {lpn} {n} times")
    receipt_ids = set(db.scalars(select(Receipt.id)))
    for unit in db.scalars(select(Unit).where(Unit.station_id == STATION_ID)):
        if unit.receipt_id not in receipt_ids:
            half(f"unit {unit.lpn} without its receipt")
    inspections = list(db.scalars(select(Inspection).where(Inspection.station_id == STATION_ID)))
    finished = Counter(i.unit_id for i in inspections if i.finished_at is not None)
    open_ = Counter(i.unit_id for i in inspections if i.finished_at is None)
    for unit_id, n in (finished + open_).items():
        if finished[unit_id] > 1 or open_[unit_id] > 1 or (finished[unit_id] and open_[unit_id]):
            doubled(f"unit {unit_id}: {finished[unit_id]} finished and {open_[unit_id]} open inspections")
    for i in inspections:
        unit = db.get(Unit, i.unit_id)
        if ("inspection.started", str(i.id)) not in audited:
            half(f"inspection {i.id} has no inspection.started audit event")
        if i.finished_at is None:
            if unit.state != UnitState.INSPECTING:
                half(f"open inspection {i.id} but unit {unit.lpn} is {unit.state.value}")
            continue
        if i.grade is None or i.computed_grade is None or unit.grade != i.grade or not i.recommended_disposition:
            half(f"inspection {i.id} finished without its grade")
        if unit.state not in (UnitState.INSPECTED, UnitState.QUARANTINED):
            half(f"inspection {i.id} finished but unit {unit.lpn} is {unit.state.value}")
        if ("inspection.finished", str(i.id)) not in audited:
            half(f"inspection {i.id} has no inspection.finished audit event")
        if inspected_events[unit.lpn] != 1:
            half(f"unit {unit.lpn} has {inspected_events[unit.lpn]} unit.inspected events")
    inspected_units = set(finished) | set(open_)
    for unit in db.scalars(select(Unit).where(Unit.station_id == STATION_ID, Unit.state.in_(
            [UnitState.INSPECTING, UnitState.INSPECTED]))):
        if unit.id not in inspected_units:
            half(f"unit {unit.lpn} is {unit.state.value} without an inspection")


def _check_photos(db, root: Path, figures: Figures) -> None:  # type: ignore[no-untyped-def]
    """Every photo row of this station has its picture in the store, intact."""
    from sqlalchemy import select

    from station.core.photos import PhotoStore
    from station.models import Photo

    store = PhotoStore(root)
    for photo_id, sha in db.execute(select(Photo.id, Photo.sha256).where(Photo.station_id == STATION_ID)):
        if not store.verify(sha):
            figures.half_done += 1
            figures.note(f"half-done: photo {photo_id} has no intact picture {sha}")


def _check_outbox(db, figures: Figures) -> None:  # type: ignore[no-untyped-def]
    """Every row this station wrote or changed waits in the outbox (its entry sends the state it
    has then) or went with an entry that carried its current version."""
    from sqlalchemy import select

    from station.models import SYNCED_MODELS, OutboxEvent, OutboxState

    versions: dict = {}
    waiting: set = set()
    for entity_id, version, state in db.execute(
            select(OutboxEvent.entity_id, OutboxEvent.entity_version, OutboxEvent.state)):
        versions.setdefault(entity_id, set()).add(version)
        if state == OutboxState.PENDING:
            waiting.add(entity_id)
    for model in SYNCED_MODELS:
        for row_id, station_id, version in db.execute(select(model.id, model.station_id, model.version)):
            if station_id != STATION_ID and row_id not in versions:
                continue  # pulled from central and never changed here
            if row_id not in waiting and version not in versions.get(row_id, ()):
                figures.half_done += 1
                figures.note(f"half-done: {model.__name__} {row_id} v{version} has no outbox event")


def _check_audit(db, figures: Figures) -> None:  # type: ignore[no-untyped-def]
    from station.audit import chain as audit

    result = audit.verify_chain(db)
    figures.audit_events = result.events
    figures.audit_failures = len(result.breaks)
    for b in result.breaks[:5]:
        figures.note(f"audit: event {b.seq} {b.problem}")


def _check_central(local, central, figures: Figures) -> None:  # type: ignore[no-untyped-def]
    """After the final sync: central holds this station's rows exactly once, as written."""
    from sqlalchemy import Table, func, select

    from station.models import Inspection, OutboxEvent, OutboxState, Photo, Receipt, Unit
    from station.sync.central_schema import applied_events, photo_blobs

    tables: list[Table] = [Receipt.__table__, Unit.__table__, Inspection.__table__, Photo.__table__]  # type: ignore[list-item]
    for table in tables:
        with local.connect() as conn:
            mine = {r.id: dict(r._mapping) for r in conn.execute(select(table).where(table.c.station_id == STATION_ID))}
        with central.connect() as conn:
            theirs = {r.id: dict(r._mapping) for r in conn.execute(select(table).where(table.c.station_id == STATION_ID))}
            if table is Receipt.__table__:
                twice = conn.execute(select(table.c.rma_id, func.count()).where(table.c.rma_id.is_not(None))
                                     .group_by(table.c.rma_id).having(func.count() > 1)).all()
            elif table is Unit.__table__:
                twice = conn.execute(select(table.c.rma_line_id, func.sum(table.c.quantity))
                                     .group_by(table.c.rma_line_id)).all()
                twice = [t for t in twice if t[0] is not None and t[1] > _line_quantity(conn, t[0])]
            elif table is Inspection.__table__:
                twice = conn.execute(select(table.c.unit_id, func.count()).where(table.c.finished_at.is_not(None))
                                     .group_by(table.c.unit_id).having(func.count() > 1)).all()
            else:
                twice = conn.execute(select(table.c.inspection_id, table.c.item_id, table.c.sha256, func.count())
                                     .group_by(table.c.inspection_id, table.c.item_id, table.c.sha256)
                                     .having(func.count() > 1)).all()
                blobs = set(conn.scalars(select(photo_blobs.c.sha256)))
                for row in mine.values():
                    if row["sha256"] not in blobs:
                        figures.central_missing += 1
                        figures.note(f"central missing: the picture {row['sha256']}")
        for row in twice:
            figures.central_doubled += 1
            figures.note(f"central doubled: {table.name} {row}")
        for key in mine.keys() - theirs.keys():
            figures.central_missing += 1
            figures.note(f"central missing: {table.name} {key}")
        for key in theirs.keys() - mine.keys():
            figures.central_doubled += 1
            figures.note(f"central has a {table.name} row the station does not: {key}")
        for key in mine.keys() & theirs.keys():
            if mine[key] != theirs[key]:
                figures.central_missing += 1
                figures.note(f"central {table.name} {key} differs from the station's")
    with local.connect() as conn:
        sent = set(conn.scalars(select(OutboxEvent.event_id).where(OutboxEvent.state == OutboxState.SENT)))
        left = conn.scalar(select(func.count()).select_from(OutboxEvent).where(
            OutboxEvent.state != OutboxState.SENT))
    with central.connect() as conn:
        on_central = set(conn.scalars(select(applied_events.c.event_id)))
    for event_id in sent - on_central:
        figures.lost += 1
        figures.note(f"lost: outbox event {event_id} marked sent but not on central")
    if left:
        figures.central_missing += left
        figures.note(f"{left} outbox event(s) still not sent after the final sync")


def _line_quantity(conn, line_id) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from station.models import RmaLine

    return int(conn.scalar(select(RmaLine.quantity).where(RmaLine.id == line_id)) or 0)

