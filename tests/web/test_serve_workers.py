"""A company runs one returns service for all its docks: ``rma-station serve --workers N`` on
central PostgreSQL. Whatever must hold across processes (an API token's rate limit, a form
posted once) lives in the database, so it holds whichever worker or process answers."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from station.core.db import make_engine, make_session_factory, upgrade
from station.intake.inputs import parse_order
from station.intake.service import IntakeService
from station.intake.tokens import TokenService
from tests.conftest import REPO
from tests.helpers.builders import make_context
from tests.helpers.intake import order_payload, seed_catalogue
from tests.helpers.pg import fresh_database
from tests.web.pagehelpers import free_port
from ui.cli import main
from ui.supervisor.headless import CLI_ACTOR

_FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@pytest.fixture
def central(station_home: Path) -> Iterator[tuple[str, str]]:
    """A migrated central database with a catalogue, one order and one API token."""
    with fresh_database("rma_serve") as database:
        engine = make_engine(database.url)
        upgrade(engine)
        factory = make_session_factory(engine)
        seed_catalogue(factory)
        ctx = make_context(factory)
        IntakeService(ctx).submit_order(parse_order(order_payload(now=dt.datetime.now(dt.UTC))))
        token = TokenService(ctx).add(CLI_ACTOR, "shop")
        engine.dispose()
        yield database.url, token


@contextmanager
def service(url: str, *extra: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A real ``rma-station serve`` process on a free port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "serve", "--db", url, "--port", str(port), "--no-labels", *extra],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else "serve exited"
            try:
                if httpx.get(f"{base}/api/v1/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the service did not start in 60 s"
            time.sleep(0.2)
        yield base, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.postgres
def test_one_token_limit_holds_across_workers_and_processes(central: tuple[str, str]) -> None:
    url, token = central
    with service(url, "--workers", "2", "--rate-limit", "10") as (two_workers, process), \
            service(url, "--rate-limit", "10") as (one_worker, _):
        workers = [p for p in _children(process.pid) if "python" in Path(f"/proc/{p}/cmdline").read_text()]
        assert len(workers) >= 2, "two worker processes answer on the one port"
        codes = []
        # The limit counts per clock minute (station.intake.tokens): 30 requests that straddle
        # a minute's end would be counted in two windows, so start early in one.
        if time.time() % 60 > 40:
            time.sleep(61 - time.time() % 60)
        for n in range(30):  # a fresh connection each time, alternating between the two services
            base = two_workers if n % 2 else one_worker
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
                codes.append(http.get("/api/v1/rmas/RMA000000018").status_code)
    assert codes.count(404) == 10 and codes.count(429) == 20, codes


@pytest.mark.postgres
def test_a_form_posted_to_one_process_cannot_be_replayed_at_another(central: tuple[str, str]) -> None:
    url, _ = central
    with service(url) as (first, _), service(url) as (second, _):
        with httpx.Client(base_url=first, timeout=30) as browser:
            token = _FORM_TOKEN.search(browser.get("/returns").text)
            assert token, "the page has a form"
            form = {"form_token": token.group(1), "order_number": "SO-1001", "contact": "wang@example.com"}
            assert browser.post("/returns", data=form).status_code == 303
            cookies = dict(browser.cookies)
        with httpx.Client(base_url=second, cookies=cookies, timeout=30) as same_browser:
            again = same_browser.post("/returns", data=form)
    assert again.status_code == 403 and "can be sent once" in again.text


def test_two_workers_on_a_sqlite_file_are_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "station.sqlite"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    capsys.readouterr()
    code = main(["serve", "--db", str(db), "--workers", "2", "--no-labels", "--port", str(free_port())])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) <= 2 and "needs PostgreSQL" in err[0]
