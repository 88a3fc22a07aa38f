"""The status bar tells the dock whether its work is reaching the central database."""

from __future__ import annotations

import socket

from tests.ui.conftest import sign_in


def _dead_port() -> int:
    """A local port nothing listens on: a central database that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_station_without_central_database_works_alone(station, monkeypatch):
    monkeypatch.delenv("RMA_CENTRAL_URL", raising=False)
    assert station.dock.start_sync() is False
    station.window.status.refresh()
    assert station.window.status.sync.text().startswith("Sync queue")


def test_central_database_down_shows_offline_with_the_reason(station, monkeypatch, qtbot):
    monkeypatch.setenv("RMA_CENTRAL_URL", f"postgresql://rma@127.0.0.1:{_dead_port()}/rma")
    sign_in(station, "EMP1001", "1234")
    assert station.dock.start_sync() is True
    bar = station.window.status

    def shows_offline() -> bool:
        bar.refresh()
        return bar.sync.text().startswith("Offline")

    qtbot.waitUntil(shows_offline, timeout=20_000)
    assert "Offline (never synced)" in bar.sync.toolTip()
    assert "central database" in bar.sync.toolTip().lower()
    assert "font-weight: 600" in bar.sync.styleSheet()
