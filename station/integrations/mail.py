"""Sending email over SMTP with reused connections, in the form mail programs and providers expect.

Opening an SMTP session (TCP, EHLO, STARTTLS, AUTH) costs more than sending a short message,
so each sending thread keeps its session open and sends message after message on it; a
session the server dropped is reopened once. Every message gets a Message-ID derived from the
event and notice, on the site's domain, so a mail system that sees the same notice twice can
tell.

Each message has a plain-text and an HTML part (multipart/alternative), ``Date``,
``Auto-Submitted: auto-generated`` (RFC 3834: no auto-replies, please) and
``List-Unsubscribe`` with a mailto and, when the returns service's public https address is
set, a signed one-click link (``station.integrations.unsubscribe``) announced by
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), which large mailbox
providers require of bulk senders and show as an "unsubscribe" button.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, formataddr
from typing import Any
from urllib.parse import quote

from station.core.errors import ConfigError
from station.integrations.notices import Message
from station.integrations.unsubscribe import UnsubscribeTokens

log = logging.getLogger(__name__)

_FOOTER = {
    "en": "You get this e-mail because you returned an order to us. To get no more e-mails like it: {link}",
    "zh": "您收到此邮件是因为您向我们退回了订单。如不想再收到此类邮件，请点击：{link}",
}
_FOOTER_MAILTO = {
    "en": "You get this e-mail because you returned an order to us. To get no more, reply with \"unsubscribe\".",
    "zh": "您收到此邮件是因为您向我们退回了订单。如不想再收到此类邮件，请回复“unsubscribe”。",
}

class _MailPolicy(EmailPolicy):
    """``policy.default``, except for two headers whose values must stay whole.

    The default folding at 78 characters turns a long ``List-Unsubscribe`` link into RFC 2047
    encoded words, which no mail program reads as a link (a URL may not be folded inside,
    RFC 2369), so it is folded only between its links; ``Message-ID`` is never folded
    (lines may be up to 998 characters, RFC 5322)."""

    def fold(self, name: str, value: Any) -> str:
        if name.lower() == "list-unsubscribe":
            links = [part.strip() for part in str(value).split(",")]
            return f"{name}: " + f",{self.linesep} ".join(links) + self.linesep
        if name.lower() == "message-id":
            return f"{name}: {str(value).strip()}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        if name.lower() in ("list-unsubscribe", "message-id"):
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


_POLICY = _MailPolicy()


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 25
    sender: str = "returns@example.com"
    sender_name: str = "Returns"
    username: str = ""
    password: str = ""
    security: str = "none"  # "none", "starttls" or "ssl"
    timeout: float = 10.0
    #: The right-hand side of every Message-ID (default: the sender's domain).
    site_domain: str = ""
    #: The returns service's public https address, for the one-click unsubscribe link.
    public_url: str = ""
    #: Where unsubscribe mail goes (default: the sender's address).
    unsubscribe_mailto: str = ""

    def __post_init__(self) -> None:
        if self.public_url and not self.public_url.startswith("https://"):
            raise ConfigError(f"The returns service's public address {self.public_url!r} must start with https://.",
                              next_step="Mail programs only offer one-click unsubscribe over https (RFC 8058).")

    @property
    def domain(self) -> str:
        return self.site_domain or self.sender.rpartition("@")[2] or "localhost"


def unsubscribe_links(settings: SmtpSettings, to: str, tokens: UnsubscribeTokens | None) -> tuple[str, str]:
    """(the https one-click link or "", the mailto link) for a message to ``to``."""
    mailbox = settings.unsubscribe_mailto or settings.sender
    mailto = f"mailto:{mailbox}?subject={quote('unsubscribe')}"
    if not (settings.public_url and tokens is not None):
        return "", mailto
    return f"{settings.public_url.rstrip('/')}/unsubscribe/{tokens.token(to)}", mailto


def _html(text: str, footer: str, link: str, lang: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>\n"
                         for p in text.strip().split("\n\n") if p.strip())
    foot = html.escape(footer)
    if link:
        foot = foot.replace(html.escape(link), f'<a href="{html.escape(link)}">{html.escape(link)}</a>')
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"></head>\n'
            f'<body style="font-family: sans-serif; line-height: 1.5">\n{paragraphs}'
            f'<hr><p style="font-size: small; color: #555">{foot}</p>\n</body></html>\n')


def build_email(settings: SmtpSettings, to: str, message: Message, message_id: str,
                tokens: UnsubscribeTokens | None = None, now: dt.datetime | None = None) -> EmailMessage:
    lang = "zh-CN" if message.locale == "zh" else message.locale
    link, mailto = unsubscribe_links(settings, to, tokens)
    words = _FOOTER if link else _FOOTER_MAILTO
    footer = words.get(message.locale, words["en"]).format(link=link)
    mail = EmailMessage(policy=_POLICY)
    mail["From"] = formataddr((settings.sender_name, settings.sender))
    mail["To"] = to
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime((now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC))
    mail["Message-ID"] = f"<{message_id}@{settings.domain}>"
    mail["Auto-Submitted"] = "auto-generated"
    mail["List-Unsubscribe"] = f"<{link}>, <{mailto}>" if link else f"<{mailto}>"
    if link:  # one-click needs an https link (RFC 8058 section 3)
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail["X-RMA-Notice"] = message.notice
    mail.set_content(f"{message.body.rstrip()}\n\n-- \n{footer}\n", charset="utf-8")
    mail.add_alternative(_html(message.body, footer, link, lang), subtype="html", charset="utf-8")
    mail["Content-Language"] = lang  # after: set_content clears Content-*
    for item in message.attachments:
        maintype, _, subtype = item.content_type.partition("/")
        mail.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.filename)
    return mail


class SmtpMailer:
    """``send(to, message, message_id)``; safe to call from several threads at once."""

    def __init__(self, settings: SmtpSettings, tokens: UnsubscribeTokens | None = None) -> None:
        """``tokens`` signs the one-click unsubscribe links (needs ``settings.public_url``)."""
        self.settings = settings
        self.tokens = tokens
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[smtplib.SMTP] = []

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        if s.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.security == "starttls":
                client.starttls(context=ssl.create_default_context())
        if s.username:
            client.login(s.username, s.password)
        with self._lock:
            self._opened.append(client)
        return client

    def send(self, to: str, message: Message, message_id: str) -> None:
        mail = build_email(self.settings, to, message, message_id, self.tokens)
        for attempt in (1, 2):
            client = getattr(self._local, "client", None)
            fresh = client is None
            if client is None:
                client = self._local.client = self._open()
            try:
                client.send_message(mail)
                return
            except (smtplib.SMTPServerDisconnected, ConnectionResetError, BrokenPipeError):
                self._local.client = None
                if fresh or attempt == 2:
                    raise  # a new session failing is a real failure, not a stale connection

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for client in opened:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()
        self._local = threading.local()
