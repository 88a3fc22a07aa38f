"""Where the central database is and how to log in to it.

The URL comes from ``--central URL``, else ``RMA_CENTRAL_URL``, else the ``central.db_url``
setting. The password never comes from a file in the repository or the settings file: it is
taken from the URL given on the command line or in the environment, else ``RMA_CENTRAL_PASSWORD``,
else ``PGPASSWORD``, else the OS keyring (service ``rma-station``, user ``user@host``).

The engine is set up for a network that fails: a short connect timeout, TCP keepalives and
``tcp_user_timeout`` so a cable pulled mid-batch surfaces as an error in seconds instead of a
push that hangs forever, and a statement timeout so a stuck lock cannot freeze the worker.
"""

from __future__ import annotations

import logging
import os

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from station.core.errors import ConfigError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "rma-station"
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 120_000


def keyring_user(url: URL) -> str:
    """The keyring entry name for a central URL: ``user@host``."""
    return f"{url.username}@{url.host}"


def central_url(explicit: str | None = None, configured: str | None = None) -> str:
    """The central URL with its password, from the sources above in order; raises if none."""
    raw = explicit or os.environ.get("RMA_CENTRAL_URL") or configured
    if not raw:
        raise ConfigError("No central database is configured.",
                          next_step="Pass --central URL or set RMA_CENTRAL_URL.")
    url = parse_central_url(raw)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.password is None:
        password = _password_for(url)
        if password:
            url = url.set(password=password)
    return url.render_as_string(hide_password=False)


def parse_central_url(raw: str) -> URL:
    """The URL parsed and checked (``check_central_url``), or ``ConfigError`` saying why not."""
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise ConfigError(f"The central database URL is not valid: {exc}.") from exc
    check_central_url(url)
    return url


def central_url_refusal(configured: str | None = None) -> str:
    """Why the central URL this station would use is refused, in words; ``""`` when it is
    fine or none is set (a station working alone). The window's status bar and its banner use
    this, so a typo in the settings is shown instead of turning sync off silently. Checks only
    the URL (no keyring lookup, no network)."""
    raw = os.environ.get("RMA_CENTRAL_URL") or configured
    if not raw:
        return ""
    try:
        parse_central_url(raw)
    except ConfigError as exc:
        return str(exc)
    return ""


def check_central_url(url: URL) -> None:
    """Refuse a server URL that leaves the host or the database to defaults.

    libpq fills a missing host with the local socket and a missing database with the user's
    name, so ``postgresql://`` quietly means "whatever server this machine has": a station that
    synced once with such a URL stored another server's cursor. Every command and the window
    take their URL through ``central_url``, which calls this. A host may also come as
    ``?host=/path/to/socket``; SQLite files (tests, demos) name only a path.
    """
    if url.get_backend_name() == "sqlite":
        return
    host = url.host or url.query.get("host")
    missing = [what for what, value in (("host", host), ("database", url.database)) if not value]
    if missing:
        shown = url.render_as_string(hide_password=True)
        raise ConfigError(f"The central database URL {shown} names no {' and no '.join(missing)}.",
                          next_step="Write it in full, e.g. postgresql://user@central.example/rma.")


def _password_for(url: URL) -> str | None:
    for name in ("RMA_CENTRAL_PASSWORD", "PGPASSWORD"):
        if os.environ.get(name):
            return os.environ[name]
    if not url.username:
        return None
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, keyring_user(url))
    except Exception as exc:  # noqa: BLE001 - no keyring backend is normal on a headless box
        log.info("no keyring password for %s: %s", keyring_user(url), exc)
        return None


def store_password(url: str, password: str) -> None:
    """Keep the central password in the OS keyring (``rma-station central password``)."""
    import keyring

    keyring.set_password(KEYRING_SERVICE, keyring_user(make_url(url)), password)


def make_central_engine(url: str, *, station_id: str = "", pool_size: int = 2) -> Engine:
    """An engine for the central database that notices a dead network within seconds."""
    connect_args: dict[str, object] = {}
    if url.startswith("postgresql"):
        connect_args = {
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": f"rma-station sync {station_id}".strip()[:63],
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 3,
            "keepalives_count": 3,
            "tcp_user_timeout": 20_000,
            "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout=30000",
        }
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=2,
                         connect_args=connect_args)
