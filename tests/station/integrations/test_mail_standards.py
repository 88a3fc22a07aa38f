"""Customer e-mails in the form mail programs and providers expect, read back with Python's
``email`` package (policy ``default``) from a real SMTP server, and the one-click unsubscribe
link pressed through the returns service's ASGI app."""

from __future__ import annotations

import asyncio
import re
import stat
from email import message_from_bytes, policy

import httpx
import pytest
from sqlalchemy import select

from station.core import paths
from station.core.errors import ConfigError
from station.integrations.ledger import notices
from station.integrations.mail import SmtpMailer, SmtpSettings
from station.integrations.notifier import Notifier
from station.integrations.unsubscribe import FILE_NAME, UnsubscribeTokens
from station.integrations.webhooks import Backoff
from station.models import AuditEvent, EmailOptOut
from tests.helpers.builders import make_context
from tests.station.integrations.conftest import full_return, new_rma
from tests.station.integrations.smtp_peer import smtp_server
from web.app import create_app

PUBLIC = "https://returns.shop.example"


@pytest.fixture
def smtp():
    with smtp_server() as (inbox, port):
        yield inbox, port


def send(dock, engine, port, **settings):
    settings = {"sender": "returns@shop.example", "sender_name": "Shop Returns", **settings}
    tokens = UnsubscribeTokens.from_site() if settings.get("public_url") else None
    n = Notifier(engine, mailer=SmtpMailer(SmtpSettings("127.0.0.1", port, **settings), tokens),
                 clock=dock.clock, backoff=Backoff(base_s=60))
    try:
        return n.run_once()
    finally:
        n.close()


def received(inbox):
    """Each message as a mail program reads it: the bytes the server got, parsed with policy ``default``."""
    return [message_from_bytes(raw, policy=policy.default) for raw in inbox.raw]


class Browser:
    """Requests through the app's ASGI interface, in-process (what uvicorn would hand it)."""

    def __init__(self, app):
        self.app = app

    def _call(self, method, path, **kw):
        async def go():
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                         base_url=PUBLIC) as client:
                return await client.request(method, path, **kw)
        return asyncio.run(go())

    def get(self, path, **kw):
        return self._call("GET", path, **kw)

    def post(self, path, **kw):
        return self._call("POST", path, **kw)


def one_click_path(mail) -> str:
    links = re.findall(r"<([^>]+)>", str(mail["List-Unsubscribe"]))
    https = [link for link in links if link.startswith(PUBLIC + "/unsubscribe/")]
    assert len(https) == 1, links
    return https[0].removeprefix(PUBLIC)


def test_each_notice_has_both_parts_and_the_headers_providers_expect(dock, ledger_engine, smtp):
    inbox, port = smtp
    number = new_rma(dock, email="wang@example.com")
    zh = new_rma(dock, email="li@example.com", locale="zh")
    full_return(dock, number)
    full_return(dock, zh)
    assert send(dock, ledger_engine, port, public_url=PUBLIC, site_domain="mail.shop.example").sent == 4
    assert len(inbox.messages) == 4
    for mail in received(inbox):
        assert mail.get_content_type() == "multipart/alternative"
        plain, rich = mail.get_body(("plain",)), mail.get_body(("html",))
        assert plain is not None and rich is not None and plain is not rich
        rma = number if mail["To"] == "wang@example.com" else zh
        assert rma in plain.get_content() and rma in rich.get_content()
        assert rich.get_content().lstrip().startswith("<!DOCTYPE html>")
        assert mail["Date"].datetime.tzinfo is not None
        assert re.fullmatch(r"<[^@<>]+@mail\.shop\.example>", mail["Message-ID"])  # one line, not folded
        assert mail["Auto-Submitted"] == "auto-generated"
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "<mailto:returns@shop.example?subject=unsubscribe>" in mail["List-Unsubscribe"]
        path = one_click_path(mail)
        assert UnsubscribeTokens.from_site().address(path.rsplit("/", 1)[1]) == mail["To"]
        assert PUBLIC + path in plain.get_content() and f'href="{PUBLIC + path}"' in rich.get_content()
    assert len({m["Message-ID"] for m in inbox.messages}) == 4
    for raw in inbox.raw:  # on the wire the link is a plain URL, not RFC 2047 encoded words
        assert re.search(rb"^List-Unsubscribe: <https://returns\.shop\.example/unsubscribe/[\w.-]+>,\r?\n"
                         rb" <mailto:[^>]+>\r?$", raw, re.MULTILINE)
    key = paths.config_dir() / FILE_NAME
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_without_the_services_address_only_the_mailto_is_offered(dock, ledger_engine, smtp):
    inbox, port = smtp
    full_return(dock, new_rma(dock))
    send(dock, ledger_engine, port)
    mail = received(inbox)[0]
    assert mail["List-Unsubscribe"] == "<mailto:returns@shop.example?subject=unsubscribe>"
    assert mail["List-Unsubscribe-Post"] is None  # one-click needs https (RFC 8058)
    assert mail["Message-ID"].endswith("@shop.example>")  # the sender's domain by default


def test_a_one_click_link_that_is_not_https_is_refused():
    with pytest.raises(ConfigError, match="https"):
        SmtpSettings(public_url="http://returns.shop.example")


def test_one_click_post_records_the_opt_out_and_later_notices_are_not_sent(dock, ledger_engine, smtp):
    inbox, port = smtp
    full_return(dock, new_rma(dock, email="wang@example.com"))
    full_return(dock, new_rma(dock, email="zhao@example.com"))
    send(dock, ledger_engine, port, public_url=PUBLIC)
    first = next(m for m in received(inbox) if m["To"] == "wang@example.com")
    path = one_click_path(first)
    client = Browser(create_app(make_context(dock.sf, dock.clock)))

    page = client.get(path)  # what a link checker does: nothing recorded
    assert page.status_code == 200 and 'method="post"' in page.text
    with dock.sf() as db:
        assert db.scalars(select(EmailOptOut)).all() == []
    # What a mail program sends for its "unsubscribe" button (RFC 8058 section 3.2)
    done = client.post(path, content=b"List-Unsubscribe=One-Click",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert done.status_code == 200 and "Unsubscribed" in done.text
    assert client.post(path, content=b"List-Unsubscribe=One-Click").status_code == 200  # pressed twice
    with dock.sf() as db:
        assert [(o.address, o.via) for o in db.scalars(select(EmailOptOut))] == [("wang@example.com", "one-click")]
        audited = db.scalars(select(AuditEvent).where(AuditEvent.action == "email.opted_out")).all()
        assert len(audited) == 1 and audited[0].details == {"address": "w***@example.com", "via": "one-click"}

    inbox.messages.clear()
    inbox.raw.clear()
    later = new_rma(dock, email="Wang@Example.com")  # the same mailbox, written differently
    full_return(dock, later)
    full_return(dock, new_rma(dock, email="zhao@example.com"))
    report = send(dock, ledger_engine, port, public_url=PUBLIC)
    assert {m["To"] for m in inbox.messages} == {"zhao@example.com"} and report.sent == 2
    with ledger_engine.connect() as conn:
        states = {r.state for r in conn.execute(select(notices).where(notices.c.recipient == "Wang@Example.com"))}
    assert states == {"opted_out"}


def test_a_forged_link_changes_nothing(dock, ledger_engine):
    client = Browser(create_app(make_context(dock.sf, dock.clock)))
    forged = UnsubscribeTokens(b"not the site's key, someone else's").token("wang@example.com")
    response = client.post(f"/unsubscribe/{forged}", content=b"List-Unsubscribe=One-Click")
    assert response.status_code == 400 and "not valid" in response.text
    assert client.post("/unsubscribe/garbage", content=b"").status_code == 400
    with dock.sf() as db:
        assert db.scalars(select(EmailOptOut)).all() == []
