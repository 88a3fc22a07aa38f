"""Where webhooks may go: https, no credentials in the URL, no private or link-local targets
unless allowed by name, checked at registration and again at delivery (DNS rebinding)."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text

from station.integrations import ledger, webhooks
from station.integrations.ledger import consumers, deliveries
from station.integrations.outbound_url import OutboundRefused
from station.integrations.webhooks import Backoff, WebhookDispatcher
from station.models import utcnow
from tests.station.integrations.conftest import SECRET, new_rma
from ui.cli import main

ENV = {"ORDER_HOOK_SECRET": SECRET, "SHOP_HOOK_TOKEN": "Bearer t0ken-4711"}


def stored(engine) -> list[dict]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(consumers))]


def dns(answers: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    """A resolver for names this test owns (the machine has no DNS entries for them)."""
    return lambda host, port: answers[host]


@pytest.mark.parametrize(("url", "words"), [
    ("https://shop:hunter2@orders.example/hooks", "must not contain a user name or password"),
    ("https://token@orders.example/hooks", "must not contain a user name or password"),
    ("http://93.184.216.34/hooks", "must use https:// for 93.184.216.34"),
    ("https://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
    ("http://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
    ("https://10.0.0.5/hooks", "private address 10.0.0.5; allow it by name with --allow-private-host 10.0.0.5"),
    ("https://[::ffff:192.168.1.9]/hooks", "private address 192.168.1.9"),
    ("https://[fe80::1]/hooks", "link-local address fe80::1"),
    ("ftp://orders.example/hooks", "must start with https://"),
])
def test_admin_is_refused_a_dangerous_webhook_url_with_the_reason(ledger_engine, url, words) -> None:
    with pytest.raises(OutboundRefused, match=None) as caught:
        webhooks.add_consumer(ledger_engine, "orders", url, "ORDER_HOOK_SECRET")
    assert words in str(caught.value)
    assert stored(ledger_engine) == []
    assert "hunter2" not in str(caught.value)


def test_every_resolved_address_is_checked(ledger_engine) -> None:
    resolver = dns({"orders.example": ["93.184.216.34", "10.1.2.3"]})
    with pytest.raises(OutboundRefused, match="orders.example resolves to the private address 10.1.2.3"):
        webhooks.add_consumer(ledger_engine, "orders", "https://orders.example/hooks", "S", resolver=resolver)


def test_a_private_receiver_allowed_by_name_is_accepted(ledger_engine) -> None:
    resolver = dns({"hooks.internal": ["10.0.0.7"]})
    with pytest.raises(OutboundRefused, match="--allow-private-host hooks.internal"):
        webhooks.add_consumer(ledger_engine, "erp", "https://hooks.internal/rma", "S", resolver=resolver)
    with pytest.raises(OutboundRefused, match="does not name this URL's host"):
        webhooks.add_consumer(ledger_engine, "erp", "https://hooks.internal/rma", "S", resolver=resolver,
                              allow_private_host="other.internal")
    webhooks.add_consumer(ledger_engine, "erp", "https://hooks.internal/rma", "S", resolver=resolver,
                          allow_private_host="hooks.internal")
    webhooks.add_consumer(ledger_engine, "erp2", "https://10.0.0.5/rma", "S", allow_private_host="10.0.0.5")
    assert [(c["name"], c["allow_private_host"]) for c in stored(ledger_engine)] == [
        ("erp", "hooks.internal"), ("erp2", "10.0.0.5")]
    # allowed by name is for private networks only: never the metadata service, never plain http
    with pytest.raises(OutboundRefused, match="link-local"):
        webhooks.add_consumer(ledger_engine, "meta", "https://169.254.169.254/", "S",
                              allow_private_host="169.254.169.254")
    with pytest.raises(OutboundRefused, match="must use https://"):
        webhooks.add_consumer(ledger_engine, "plain", "http://10.0.0.5/rma", "S", allow_private_host="10.0.0.5")


def test_delivery_carries_the_token_header_from_the_environment(dock, ledger_engine, receiver) -> None:
    dock.receiving.receive(dock.clerk, new_rma(dock))
    webhooks.add_consumer(ledger_engine, "shop", receiver.url, "ORDER_HOOK_SECRET", from_start=True,
                          auth_header="Authorization", auth_env="SHOP_HOOK_TOKEN")
    assert "t0ken" not in str(stored(ledger_engine))  # only the variable's name is kept
    d = WebhookDispatcher(ledger_engine, clock=dock.clock, env=ENV, backoff=Backoff(base_s=60))
    try:
        assert d.run_once().delivered == 1
    finally:
        d.close()
    assert receiver.bad_signatures == 0
    assert receiver.received[0]["headers"]["Authorization"] == "Bearer t0ken-4711"


def test_unset_token_variable_sends_nothing(dock, ledger_engine, receiver) -> None:
    dock.receiving.receive(dock.clerk, new_rma(dock))
    webhooks.add_consumer(ledger_engine, "shop", receiver.url, "ORDER_HOOK_SECRET", from_start=True,
                          auth_header="Authorization", auth_env="SHOP_HOOK_TOKEN")
    d = WebhookDispatcher(ledger_engine, clock=dock.clock, env={"ORDER_HOOK_SECRET": SECRET})
    try:
        assert d.run_once().failed == 1
    finally:
        d.close()
    assert receiver.received == []
    with ledger_engine.connect() as conn:
        assert "$SHOP_HOOK_TOKEN for the Authorization header is not set" in conn.scalar(
            select(deliveries.c.last_error))


@pytest.mark.parametrize(("header", "env", "words"), [
    ("Authorization", "", "together"), ("X-RMA-Signature", "TOKEN", "cannot carry the token"),
    ("Bad Header", "TOKEN", "cannot carry the token"), ("Authorization", "1TOKEN", "not an environment variable"),
])
def test_token_header_must_be_named_sensibly(ledger_engine, receiver, header, env, words) -> None:
    with pytest.raises(Exception, match=words):
        webhooks.add_consumer(ledger_engine, "shop", receiver.url, "S", auth_header=header, auth_env=env)


def test_a_name_that_later_resolves_to_the_metadata_service_gets_nothing(dock, ledger_engine) -> None:
    dock.receiving.receive(dock.clerk, new_rma(dock))
    answers = {"orders.example": ["93.184.216.34"]}
    webhooks.add_consumer(ledger_engine, "orders", "https://orders.example/hooks", "ORDER_HOOK_SECRET",
                          from_start=True, resolver=dns(answers))
    answers["orders.example"] = ["169.254.169.254"]  # DNS rebinding after registration
    d = WebhookDispatcher(ledger_engine, clock=dock.clock, env=ENV, resolver=dns(answers))
    try:
        assert d.run_once().failed == 1
    finally:
        d.close()
    with ledger_engine.connect() as conn:
        assert "link-local address 169.254.169.254" in conn.scalar(select(deliveries.c.last_error))


def test_a_consumer_stored_before_the_rules_is_refused_and_never_echoed(dock, ledger_engine, receiver,
                                                                        capsys) -> None:
    dock.receiving.receive(dock.clerk, new_rma(dock))
    port_url = receiver.url.replace("http://", "http://shop:hunter2@")
    with ledger_engine.begin() as conn:
        conn.execute(insert(consumers).values(name="old", url=port_url, secret_env="ORDER_HOOK_SECRET",
                                              events=[], active=True, max_attempts=8, planned_seq=0,
                                              created_at=utcnow()))
    d = WebhookDispatcher(ledger_engine, clock=dock.clock, env=ENV)
    try:
        assert d.run_once().failed == 1
    finally:
        d.close()
    assert receiver.received == []
    url = ledger_engine.url.render_as_string(hide_password=False)
    assert main(["webhooks", "list", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "hunter2" not in out and "http://***@127.0.0.1:" in out


def test_cli_refuses_credentials_and_accepts_a_named_private_host(ledger_engine, capsys) -> None:
    url = ledger_engine.url.render_as_string(hide_password=False)
    assert main(["webhooks", "add", "https://shop:hunter2@orders.example/hooks", "--secret-env", "S",
                 "--db", url]) == 2
    err = capsys.readouterr().err
    assert "must not contain a user name or password" in err and "--auth-header Authorization" in err
    assert main(["webhooks", "add", "https://10.0.0.5/hooks", "--secret-env", "S", "--db", url]) == 2
    assert "--allow-private-host 10.0.0.5" in capsys.readouterr().err
    assert main(["webhooks", "add", "https://10.0.0.5/hooks", "--secret-env", "S", "--allow-private-host",
                 "10.0.0.5", "--auth-header", "Authorization", "--auth-env", "SHOP_HOOK_TOKEN",
                 "--db", url]) == 0
    capsys.readouterr()
    assert main(["webhooks", "list", "--db", url]) == 0
    out = capsys.readouterr().out
    assert '"auth_header": "Authorization", "auth_env": "SHOP_HOOK_TOKEN", "allow_private_host": "10.0.0.5"' in out


def test_a_ledger_from_before_the_token_columns_is_brought_up_to_date(sqlite_engine) -> None:
    ledger.init(sqlite_engine)
    with sqlite_engine.begin() as conn:
        for column in ("auth_header", "auth_env", "allow_private_host"):
            conn.execute(text(f"ALTER TABLE webhook_consumers DROP COLUMN {column}"))
    assert ledger.init(sqlite_engine) == ["webhook_consumers.auth_header", "webhook_consumers.auth_env",
                                          "webhook_consumers.allow_private_host"]
    webhooks.add_consumer(sqlite_engine, "local", "http://127.0.0.1:9/hooks", "S")
    assert stored(sqlite_engine)[0]["auth_header"] == ""


def test_delivery_connects_to_the_address_that_was_checked(dock, ledger_engine, receiver) -> None:
    # "orders.test" exists only in this resolver: the request can only arrive if the poster
    # connects to the checked address itself instead of letting the system resolve the name.
    dock.receiving.receive(dock.clerk, new_rma(dock))
    port = receiver.url.split(":")[2].split("/")[0]
    resolver = dns({"orders.test": ["127.0.0.1"]})
    webhooks.add_consumer(ledger_engine, "orders", f"http://orders.test:{port}/hooks/rma", "ORDER_HOOK_SECRET",
                          from_start=True, resolver=resolver)
    d = WebhookDispatcher(ledger_engine, clock=dock.clock, env=ENV, resolver=resolver)
    try:
        assert d.run_once().delivered == 1
    finally:
        d.close()
    assert receiver.received[0]["headers"]["Host"] == f"orders.test:{port}"
