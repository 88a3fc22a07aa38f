"""Webhooks a receiver checks with the conventions' own libraries: every delivery verified by
``standardwebhooks.Webhook.verify`` and parsed by the ``cloudevents`` SDK, secrets rotated with
a grace period, the deprecated X-RMA headers only where the admin keeps them."""

from __future__ import annotations

import datetime as dt

import pytest
from cloudevents.http import from_http
from standardwebhooks import Webhook, WebhookVerificationError

from station.core.errors import InvalidInput
from station.core.events import CloudEventEnvelope
from station.integrations import signing, webhooks
from station.integrations.webhooks import Backoff, WebhookDispatcher
from tests.station.integrations.conftest import SECRET, full_return, new_rma

NEW_SECRET = "whsec_" + "QmV0dGVyIHNlY3JldCBmb3IgdGhlIHNlY29uZCB5ZWFy"  # base64 of 33 bytes of text


def dispatcher(dock, engine, env, **kw):
    return WebhookDispatcher(engine, clock=dock.clock, env=env, workers=2, backoff=Backoff(base_s=60), **kw)


def send_all(dock, engine, env, **kw):
    d = dispatcher(dock, engine, env, **kw)
    try:
        return d.run_once()
    finally:
        d.close()


def test_every_delivery_verifies_with_standard_webhooks_and_parses_as_a_cloudevent(dock, ledger_engine, receiver):
    numbers = [new_rma(dock), new_rma(dock)]
    for n in numbers:
        full_return(dock, n)
    webhooks.add_consumer(ledger_engine, "orders", receiver.url, "ORDER_HOOK_SECRET", from_start=True)
    envelope = CloudEventEnvelope("com.acme.returns", "https://returns.acme.example")
    assert send_all(dock, ledger_engine, {"ORDER_HOOK_SECRET": SECRET}, envelope=envelope).delivered == 10

    assert receiver.bad_signatures == 0 and len(receiver.accepted()) == 10
    hook = Webhook(SECRET)
    for r in receiver.received:
        headers, body = r["headers"], r["body"]
        payload = hook.verify(body, headers)  # the reference library, not ours
        event = from_http(headers, body)  # the CloudEvents SDK, structured mode
        assert event["specversion"] == "1.0" and event["id"] == headers["webhook-id"]
        assert event["source"] == "https://returns.acme.example/stations/DOCK01"
        assert event["type"].startswith("com.acme.returns.") and event["subject"] in numbers
        assert event["datacontenttype"] == "application/json"
        assert dt.datetime.fromisoformat(event["time"]).tzinfo is not None
        assert event.data == payload["data"] and event.data["rma"] == event["subject"]
        assert headers["Content-Type"].startswith("application/cloudevents+json")
        assert "X-RMA-Signature" not in headers  # new consumers get the standard headers only
    kinds = [from_http(r["headers"], r["body"])["type"] for r in receiver.received
             if from_http(r["headers"], r["body"])["subject"] == numbers[0]]
    assert kinds == ["com.acme.returns.rma.received", "com.acme.returns.unit.inspected",
                     "com.acme.returns.unit.dispositioned", "com.acme.returns.resolution.issued",
                     "com.acme.returns.rma.closed"]


def test_a_tampered_body_or_another_secret_fails_the_reference_check(dock, ledger_engine, receiver):
    full_return(dock, new_rma(dock))
    webhooks.add_consumer(ledger_engine, "orders", receiver.url, "ORDER_HOOK_SECRET", from_start=True)
    send_all(dock, ledger_engine, {"ORDER_HOOK_SECRET": SECRET})
    first = receiver.received[0]
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(first["body"].replace(b'"rma"', b'"RMA"'), first["headers"])
    with pytest.raises(WebhookVerificationError):
        Webhook(NEW_SECRET).verify(first["body"], first["headers"])


def test_during_a_rotation_old_and_new_secret_both_verify_until_the_grace_period_ends(
        dock, ledger_engine, receiver):
    env = {"HOOK_SECRET_2025": SECRET, "HOOK_SECRET_2026": NEW_SECRET}
    webhooks.add_consumer(ledger_engine, "orders", receiver.url, "HOOK_SECRET_2025")
    until = webhooks.rotate_secret(ledger_engine, "orders", "HOOK_SECRET_2026", dt.timedelta(hours=48),
                                   now=dock.clock())
    assert until == dock.clock() + dt.timedelta(hours=48)
    receiver.secret = NEW_SECRET
    full_return(dock, new_rma(dock))
    assert send_all(dock, ledger_engine, env).delivered == 5
    for r in receiver.received:
        assert len(r["headers"]["webhook-signature"].split(" ")) == 2
        Webhook(SECRET).verify(r["body"], r["headers"])  # a receiver not switched yet
        Webhook(NEW_SECRET).verify(r["body"], r["headers"])  # one that switched already

    dock.clock.advance(hours=49)
    receiver.received.clear()
    full_return(dock, new_rma(dock))
    assert send_all(dock, ledger_engine, env).delivered == 5
    for r in receiver.received:
        Webhook(NEW_SECRET).verify(r["body"], r["headers"])
        with pytest.raises(WebhookVerificationError):
            Webhook(SECRET).verify(r["body"], r["headers"])


def test_rotation_needs_another_variable_and_a_sane_grace_period(ledger_engine, receiver):
    webhooks.add_consumer(ledger_engine, "orders", receiver.url, "HOOK_SECRET")
    with pytest.raises(InvalidInput, match="already signs"):
        webhooks.rotate_secret(ledger_engine, "orders", "HOOK_SECRET", dt.timedelta(hours=1))
    with pytest.raises(InvalidInput, match="grace period"):
        webhooks.rotate_secret(ledger_engine, "orders", "HOOK_SECRET_NEW", dt.timedelta(days=365))


def test_legacy_headers_only_while_the_admin_keeps_them_on(dock, ledger_engine, receiver):
    webhooks.add_consumer(ledger_engine, "old-shop", receiver.url, "ORDER_HOOK_SECRET", legacy_headers=True)
    full_return(dock, new_rma(dock))
    send_all(dock, ledger_engine, {"ORDER_HOOK_SECRET": SECRET})
    for r in receiver.received:
        assert signing.verify(SECRET, r["headers"], r["body"])  # what an old receiver checks
        Webhook(SECRET).verify(r["body"], r["headers"])  # and the standard headers beside them

    webhooks.set_legacy_headers(ledger_engine, "old-shop", False)
    receiver.received.clear()
    full_return(dock, new_rma(dock))
    send_all(dock, ledger_engine, {"ORDER_HOOK_SECRET": SECRET})
    assert receiver.received and all("X-RMA-Signature" not in r["headers"] for r in receiver.received)


def test_a_new_secret_is_one_any_standard_webhooks_library_reads():
    secret = signing.new_secret()
    assert secret.startswith("whsec_") and len(signing.secret_key(secret)) == 32
    headers = signing.standard_headers([signing.secret_key(secret)], b'{"a":1}', msg_id="msg_1",
                                       timestamp=int(dt.datetime.now(dt.UTC).timestamp()))
    assert Webhook(secret).verify(b'{"a":1}', headers) == {"a": 1}
    with pytest.raises(InvalidInput, match="not base64"):
        signing.secret_key("whsec_not base64!")


def test_a_prefix_that_is_no_reverse_domain_is_refused():
    from station.core.errors import ConfigError

    with pytest.raises(ConfigError, match="reverse domain"):
        CloudEventEnvelope("Com Example!")


def test_a_consumer_from_before_the_upgrade_keeps_the_old_headers_for_now(dock, ledger_engine, receiver):
    """Upgrading must not break a receiver that checks X-RMA-Signature: consumers whose
    ledger predates Standard Webhooks get legacy_headers on when the column is added."""
    from sqlalchemy import inspect, text

    from station.integrations import ledger

    webhooks.add_consumer(ledger_engine, "old-shop", receiver.url, "ORDER_HOOK_SECRET")
    with ledger_engine.begin() as conn:  # the ledger as the previous release left it
        for column in ("legacy_headers", "previous_until", "previous_secret_env"):
            conn.execute(text(f"ALTER TABLE webhook_consumers DROP COLUMN {column}"))
    assert "legacy_headers" not in {c["name"] for c in inspect(ledger_engine).get_columns("webhook_consumers")}
    assert "webhook_consumers.legacy_headers" in ledger.add_missing_columns(ledger_engine)
    full_return(dock, new_rma(dock))
    assert send_all(dock, ledger_engine, {"ORDER_HOOK_SECRET": SECRET}).delivered == 5
    for r in receiver.received:
        assert signing.verify(SECRET, r["headers"], r["body"])
        Webhook(SECRET).verify(r["body"], r["headers"])
