"""Sending email over SMTP with reused connections.

Opening an SMTP session (TCP, EHLO, STARTTLS, AUTH) costs more than sending a short message,
so each sending thread keeps its session open and sends message after message on it; a
session the server dropped is reopened once. Every message gets a Message-ID derived from the
event and notice, so a mail system that sees the same notice twice can tell.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr

from station.integrations.notices import Message

log = logging.getLogger(__name__)


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


def build_email(settings: SmtpSettings, to: str, message: Message, message_id: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = formataddr((settings.sender_name, settings.sender))
    mail["To"] = to
    mail["Subject"] = message.subject
    mail["Message-ID"] = f"<{message_id}@rma-station>"
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-RMA-Notice"] = message.notice
    mail.set_content(message.body, charset="utf-8")
    if message.html:
        mail.add_alternative(message.html, subtype="html", charset="utf-8")
    for item in message.attachments:
        maintype, _, subtype = item.content_type.partition("/")
        mail.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.filename)
    mail["Content-Language"] = "zh-CN" if message.locale == "zh" else message.locale  # after: set_content clears Content-*
    return mail


class SmtpMailer:
    """``send(to, message, message_id)``; safe to call from several threads at once."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
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
        mail = build_email(self.settings, to, message, message_id)
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
