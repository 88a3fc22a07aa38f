"""The headless commands: integrations init, webhooks add/--once/dead-letters, events feed,
notify --once/--status, against a station SQLite file, a local receiver and aiosmtpd."""

from __future__ import annotations

import json

import pytest

from station.core.db import make_engine, make_session_factory, upgrade
from station.models import Role
from station.receiving.service import ReceivingService
from tests.helpers.builders import add_operator, add_product, add_rma, make_context
from tests.station.integrations.conftest import SECRET
from tests.station.integrations.smtp_peer import smtp_server
from ui.cli import main


@pytest.fixture
def station_db(tmp_path):
    path = tmp_path / "s.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    sf = make_session_factory(engine)
    with sf.begin() as db:
        clerk = add_operator(db, Role.CLERK)
        jeans = add_product(db, "AP-JN-32", name_en="Slim jeans", name_zh="修身牛仔裤", value="299.00")
        numbers = [add_rma(db, [(jeans, 1)], price="299.00").number for _ in range(2)]
    for n in numbers:
        ReceivingService(make_context(sf)).receive(clerk, n)
    engine.dispose()
    return str(path), numbers


def test_headless_commands_end_to_end(station_db, receiver, capsys, monkeypatch):
    db, numbers = station_db
    assert main(["events", "feed", "--db", db]) == 2  # no ledger yet: told what to run
    assert "integrations init" in capsys.readouterr().err
    assert main(["integrations", "init", "--db", db]) == 0
    assert "integration_event_log" in capsys.readouterr().out
    assert main(["integrations", "init", "--db", db]) == 0
    assert "already in place" in capsys.readouterr().out

    monkeypatch.setenv("HOOK_SECRET", SECRET)
    assert main(["webhooks", "add", receiver.url, "--secret-env", "HOOK_SECRET", "--name", "orders",
                 "--from-start", "--db", db]) == 0
    assert main(["webhooks", "--once", "--db", db]) == 0
    assert "2 delivered, 0 to retry, 0 dead-lettered" in capsys.readouterr().out
    assert sorted(r["event"]["subject"] for r in receiver.accepted()) == sorted(numbers)  # sent concurrently
    assert main(["webhooks", "dead-letters", "--db", db]) == 0
    assert "No dead letters." in capsys.readouterr().out

    assert main(["events", "feed", "--after", "0", "--db", db]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(x["cursor"], x["type"], x["subject"]) for x in lines] == [
        (1, "com.example.rma.received", numbers[0]), (2, "com.example.rma.received", numbers[1])]
    assert main(["events", "feed", "--after", "2", "--db", db]) == 0
    assert capsys.readouterr().out == ""

    with smtp_server() as (inbox, port):
        assert main(["notify", "--once", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--db", db]) == 0
        assert "2 sent" in capsys.readouterr().out
        assert main(["notify", "--once", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--db", db]) == 0
        assert "0 sent" in capsys.readouterr().out
    assert len(inbox.messages) == 2
    assert main(["notify", "--status", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out) == {"sent": 2}


def test_each_feed_line_is_a_cloudevent_the_sdk_parses(station_db, capsys, monkeypatch):
    from cloudevents.http import from_json

    db, numbers = station_db
    assert main(["integrations", "init", "--db", db]) == 0
    capsys.readouterr()
    monkeypatch.setenv("RMA_PUBLIC_URL", "https://returns.shop.example")
    assert main(["events", "feed", "--db", db, "--type-prefix", "com.shop.returns"]) == 0
    lines = capsys.readouterr().out.splitlines()
    events = [from_json(line) for line in lines]  # the CloudEvents SDK, structured JSON
    assert [(e["type"], e["subject"], e["cursor"]) for e in events] == [
        ("com.shop.returns.rma.received", numbers[0], 1), ("com.shop.returns.rma.received", numbers[1], 2)]
    assert all(e["source"] == "https://returns.shop.example/stations/DOCK01" and e["specversion"] == "1.0"
               and e["datacontenttype"] == "application/json" and e.data["rma"] == e["subject"] for e in events)
    assert main(["events", "feed", "--db", db, "--type-prefix", "Not A Domain"]) == 2
    assert "reverse domain" in capsys.readouterr().err


def test_admin_rotates_a_webhook_secret_and_retires_the_old_headers(station_db, receiver, capsys):
    from standardwebhooks import Webhook

    db, _numbers = station_db
    assert main(["integrations", "init", "--db", db]) == 0
    capsys.readouterr()
    assert main(["webhooks", "new-secret"]) == 0
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("whsec_") and Webhook(secret)  # the reference library reads it
    assert main(["webhooks", "add", receiver.url, "--secret-env", "HOOK_SECRET", "--name", "orders",
                 "--legacy-headers", "--db", db]) == 0
    assert main(["webhooks", "rotate", "orders", "--secret-env", "HOOK_SECRET_2", "--grace-hours", "48",
                 "--db", db]) == 0
    assert "old secret also signs until" in capsys.readouterr().out
    assert main(["webhooks", "rotate", "orders", "--secret-env", "HOOK_SECRET_3", "--grace-hours", "9000",
                 "--db", db]) == 2
    assert main(["webhooks", "legacy-headers", "orders", "off", "--db", db]) == 0
    capsys.readouterr()
    assert main(["webhooks", "list", "--db", db]) == 0
    row = json.loads(capsys.readouterr().out)
    assert (row["secret_env"], row["previous_secret_env"], row["legacy_headers"]) == (
        "HOOK_SECRET_2", "HOOK_SECRET", False)
