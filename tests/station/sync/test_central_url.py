"""A central URL that leaves host or database to libpq's defaults is refused, in one line.

``postgresql://`` alone is a valid libpq URL that means "the local default server and a
database named after the user": `central init` built a schema there and `sync` reported
success. The commands are run as an admin runs them, in a real process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_cli(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           # If a URL slipped through, libpq's defaults lead nowhere instead of to this machine's server.
           "PGHOST": str(tmp_path / "no-server"), "PGPORT": "1"}
    env.pop("RMA_CENTRAL_URL", None)
    return subprocess.run([sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())", *args],
                          capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)


def _assert_refused(done: subprocess.CompletedProcess[str], url: str, missing: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"rma-station: The central database URL {url} names {missing}. "
        "Write it in full, e.g. postgresql://user@central.example/rma."]
    assert done.stdout == ""


def test_admin_with_bare_postgresql_url_is_refused_by_init_sync_and_start_over(tmp_path):
    db = str(tmp_path / "dock.sqlite")
    for command in (("central", "init", "--url", "postgresql://"),
                    ("sync", "--once", "--central", "postgresql://", "--db", db),
                    ("sync", "--start-over", "--central", "postgresql://", "--db", db)):
        _assert_refused(run_cli(*command, tmp_path=tmp_path), "postgresql://", "no host and no database")


@pytest.mark.parametrize(("url", "missing"), [
    ("postgresql://rma@central.example", "no database"),
    ("postgresql:///rma", "no host"),
])
def test_admin_with_typo_in_central_url_is_refused(tmp_path, url, missing):
    _assert_refused(run_cli("sync", "--once", "--central", url, "--db", str(tmp_path / "dock.sqlite"),
                            tmp_path=tmp_path), url, missing)


def test_a_socket_directory_counts_as_a_host(tmp_path):
    from station.sync.connection import central_url

    assert central_url("postgresql://rma@/central?host=/run/postgresql").startswith("postgresql+psycopg://rma@/central")
