"""An alert reaches its owner exactly once: e-mail through aiosmtpd and a webhook to a local
receiver, sent by real ``rma-station notify --once`` / ``webhooks --once`` processes; a second
process run (a restart) sends nothing again, and an escalation goes to the supervisors."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import select

from station.core.db import make_engine, make_session_factory, upgrade
from station.models import Operator, Role
from tests.helpers.builders import add_operator
from tests.station.analytics.dataset import build
from tests.station.integrations.conftest import SECRET
from tests.station.integrations.smtp_peer import smtp_server
from ui.cli import main

REPO = Path(__file__).resolve().parents[3]
RULES = """
version = 1
[[rule]]
id = "sku"
kind = "sku_return_rate"
max_rate_percent = 9.0
min_sold = 20
window_days = 14
owner_email = "apparel-lead@shop.example"
owner_webhook = "supply-chain"
respond_within_hours = 4
"""


def rma_station(*args: str, env: dict[str, str]) -> str:
    """Run the command in its own process, as cron or a service manager would."""
    done = subprocess.run([sys.executable, "-m", "ui.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_alert_is_mailed_and_posted_once_across_restarts(tmp_path, receiver, capsys, monkeypatch):
    db = tmp_path / "s.sqlite"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    sf = make_session_factory(engine)
    build(sf)
    with sf.begin() as s:
        boss = add_operator(s, Role.SUPERVISOR, name="Li Na")
        s.get(Operator, boss.id).email = "li.na@shop.example"
    rules = tmp_path / "alerts.toml"
    rules.write_text(textwrap.dedent(RULES), encoding="utf-8")
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    assert main(["integrations", "init", "--db", str(db)]) == 0
    assert main(["webhooks", "add", receiver.url, "--secret-env", "HOOK_SECRET", "--name", "supply-chain",
                 "--events", "alert.raised,alert.escalated,alert.closed", "--db", str(db)]) == 0
    # Another team's receiver takes alerts too, but this rule's alerts are the supply chain's alone.
    assert main(["webhooks", "add", receiver.url, "--secret-env", "HOOK_SECRET", "--name", "finance",
                 "--events", "alert.raised,alert.escalated,alert.closed", "--db", str(db)]) == 0
    assert main(["alerts", "check", "--rules", str(rules), "--date", "2026-11-15", "--db", str(db)]) == 0
    assert "NEW   [warning] sku: SKU EL-001 returned 10.0 % of 20 sold" in capsys.readouterr().out

    env = dict(os.environ, PYTHONPATH=str(REPO), HOOK_SECRET=SECRET)
    with smtp_server() as (inbox, port):
        smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--db", str(db)]
        assert "1 sent" in rma_station("notify", "--once", *smtp, env=env)
        assert "0 sent" in rma_station("notify", "--once", *smtp, env=env)  # a restart sends nothing again
        assert "1 delivered" in rma_station("webhooks", "--once", "--db", str(db), env=env)
        assert "0 delivered" in rma_station("webhooks", "--once", "--db", str(db), env=env)
    assert len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail["To"] == "apparel-lead@shop.example"
    assert mail["Subject"] == "[RMA alert] warning: SKU EL-001"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "SKU EL-001 returned 10.0 % of 20 sold" in body and "rate_pct: 10.0" in body
    assert "http" not in body
    posts = receiver.accepted()
    assert [p["event"]["type"] for p in posts] == ["com.example.alert.raised"]
    assert posts[0]["event"]["data"]["figures"]["sold"] == 20
    assert posts[0]["event"]["data"]["owner_webhook"] == "supply-chain"

    # Nobody acknowledged it within 4 hours: the next check escalates it to the supervisors.
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alerts SET respond_by = '2026-01-01 00:00:00.000000'")
    assert main(["alerts", "check", "--rules", str(rules), "--date", "2026-11-15", "--db", str(db)]) == 0
    assert "1 escalated" in capsys.readouterr().out
    with smtp_server() as (inbox, port):
        smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--db", str(db)]
        assert "1 sent" in rma_station("notify", "--once", *smtp, env=env)
        assert "0 sent" in rma_station("notify", "--once", *smtp, env=env)
    assert [(m["To"], m["Subject"]) for m in inbox.messages] == [
        ("li.na@shop.example", "[RMA alert ESCALATED] warning: SKU EL-001")]

    assert main(["alerts", "export", "--out", str(tmp_path / "trail.csv"), "--db", str(db)]) == 0
    trail = (tmp_path / "trail.csv").read_text(encoding="utf-8-sig")
    assert "raised" in trail and "alert_raised to apparel-lead@shop.example" in trail
    assert "alert.raised to supply-chain" in trail and "escalated" in trail
    with sf() as s:
        assert s.scalar(select(Operator.email).where(Operator.id == boss.id)) == "li.na@shop.example"
    engine.dispose()
