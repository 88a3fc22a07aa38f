"""Back-off, status words and credentials: the small parts the worker stands on."""

from __future__ import annotations

import datetime as dt
import random

import keyring
import pytest
from keyring.backend import KeyringBackend

from station.core.errors import ConfigError
from station.sync.backoff import Backoff
from station.sync.connection import central_url
from station.sync.status import SyncStatus


def test_backoff_grows_to_its_cap_with_jitter_and_resets():
    backoff = Backoff(base=1.0, cap=60.0, rng=random.Random(3))
    waits = [backoff.failed() for _ in range(12)]
    assert all(1.0 <= w <= min(60.0, 2 ** n) for n, w in enumerate(waits, start=1))
    assert max(waits[6:]) > 8  # it grows...
    assert len({round(w, 3) for w in waits}) == len(waits)  # ...and never in lockstep
    backoff.succeeded()
    assert backoff.failures == 0 and backoff.failed() <= 2.0


def _status(**kw) -> SyncStatus:
    base = dict(queue_length=0, quarantined=0, last_success_at=None, last_attempt_at=None, last_error="",
                last_error_at=None, failures_in_a_row=0, next_attempt_at=None, pull_cursor=0, conflicts_seen=0)
    return SyncStatus(**{**base, **kw})


def test_status_words():
    now = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    ok = _status(last_attempt_at=now, last_success_at=now - dt.timedelta(minutes=3), queue_length=1)
    assert ok.words(now) == "Synced 3 min ago - 1 change waiting."
    down = _status(last_attempt_at=now, last_success_at=now - dt.timedelta(hours=2), queue_length=37,
                   quarantined=1, failures_in_a_row=4, last_error="The central database cannot be reached.",
                   next_attempt_at=now + dt.timedelta(seconds=20))
    assert down.words(now) == ("Offline (last synced 2 h ago) - 37 changes waiting, 1 set aside. "
                               "The central database cannot be reached. Retrying in 20 s.")


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):  # type: ignore[no-untyped-def]
        return self.store.get((service, username))

    def set_password(self, service, username, password):  # type: ignore[no-untyped-def]
        self.store[(service, username)] = password

    def delete_password(self, service, username):  # type: ignore[no-untyped-def]
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def test_password_from_environment_then_keyring(monkeypatch, memory_keyring):
    monkeypatch.delenv("RMA_CENTRAL_PASSWORD", raising=False)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with pytest.raises(ConfigError, match="No central database"):
        central_url(None)
    url = "postgresql://sync@central.example:5432/rma"
    assert central_url(url) == "postgresql+psycopg://sync@central.example:5432/rma"
    memory_keyring.set_password("rma-station", "sync@central.example", "from-keyring")
    assert central_url(url) == "postgresql+psycopg://sync:from-keyring@central.example:5432/rma"
    monkeypatch.setenv("PGPASSWORD", "from-pg")
    assert ":from-pg@" in central_url(url)
    monkeypatch.setenv("RMA_CENTRAL_PASSWORD", "from-env")
    monkeypatch.setenv("RMA_CENTRAL_URL", url)
    assert ":from-env@" in central_url(None)
