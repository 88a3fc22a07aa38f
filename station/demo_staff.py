"""The demo's staff (badge, name, role, PIN, language) and their PIN hashes.

Light on imports (the standard library and ``station.operators.pins``, no SQLAlchemy): a
first ``--demo`` launch starts hashing these PINs on its first millisecond, on a worker
thread, while the main thread loads the models and Qt (``ui.app.run_window``), so the seed
does not wait for them. ``station.demo`` makes the operators from this list.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from station.operators.pins import hash_pin

DEMO_STAFF = (
    ("EMP1001", "Zhang Min", "clerk", "1234", "zh"),
    ("EMP1002", "Sam Carter", "clerk", "1234", "en"),
    ("EMP2001", "Li Na", "inspector", "2345", "zh"),
    ("EMP2002", "Priya Shah", "inspector", "2345", "en"),
    ("EMP3001", "Chen Jing", "supervisor", "345678", "zh"),
    ("EMP9001", "Wang Admin", "admin", "999999", "en"),
)


def hash_demo_pins() -> list[Future[str]]:
    """The PIN hashes of ``DEMO_STAFF`` (in that order), computed on a worker thread.

    Each is a full-cost scrypt hash (``station.operators.pins.hash_pin``, as for a real operator, so
    the normal sign-in verifies them). scrypt releases the GIL, so the rest of the seed (on a
    first launch, loading the models and Qt and building the database) runs beside them. One thread: the six take
    about half a second, less than the work beside them; a second thread made no measurable
    difference on a two-core station and takes a core from that work.
    """
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-pin")
    try:
        return [pool.submit(hash_pin, pin) for _badge, _name, _role, pin, _locale in DEMO_STAFF]
    finally:
        pool.shutdown(wait=False)  # the thread ends when the last hash is done
