"""One-click unsubscribe (RFC 8058): signed links, the opt-out record, and the check before sending.

Every customer e-mail carries ``List-Unsubscribe: <https://<returns service>/unsubscribe/<token>>``.
The token names the address and carries an HMAC-SHA256 of it under a site secret, so a link
cannot be forged for somebody else's address, and nothing has to be stored per e-mail sent.
The secret lives outside the database, like the station's other secrets: the environment
variable ``RMA_UNSUBSCRIBE_SECRET`` (every process that sends or serves must see the same
one), or else a file ``<config dir>/unsubscribe.key`` created with mode 0600 on first use.

A POST to the link (what mail programs send for one-click, RFC 8058) records the address in
``email_opt_outs`` and audits it; later notices to that address are not sent. A GET only shows
a page with a button, because link checkers and virus scanners open links in mail.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from station.audit import chain as audit
from station.core import paths
from station.core.errors import ConfigError, InvalidInput
from station.models import EmailOptOut, utcnow

log = logging.getLogger(__name__)

ENV_SECRET = "RMA_UNSUBSCRIBE_SECRET"
FILE_NAME = "unsubscribe.key"
_TAG_BYTES = 16


def normalise(address: str) -> str:
    return address.strip().lower()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class UnsubscribeTokens:
    """Makes and checks unsubscribe tokens under one site key."""

    key: bytes

    @classmethod
    def from_site(cls, env: Mapping[str, str] | None = None, directory: Path | None = None) -> UnsubscribeTokens:
        """The site key from ``$RMA_UNSUBSCRIBE_SECRET``, else the 0600 key file (made on first use)."""
        env = os.environ if env is None else env
        value = env.get(ENV_SECRET, "").strip()
        if value:
            if len(value) < 16:
                raise ConfigError(f"${ENV_SECRET} is too short (at least 16 characters).")
            return cls(value.encode())
        return cls(_file_key((directory or paths.config_dir()) / FILE_NAME))

    def _tag(self, address: str) -> bytes:
        return hmac.new(self.key, b"unsubscribe:" + address.encode(), hashlib.sha256).digest()[:_TAG_BYTES]

    def token(self, address: str) -> str:
        address = normalise(address)
        return f"{_b64(address.encode())}.{_b64(self._tag(address))}"

    def address(self, token: str) -> str:
        """The address a token was made for; ``InvalidInput`` if it was not made with this key."""
        try:
            head, tag = token.split(".", 1)
            address = _unb64(head).decode()
            given = _unb64(tag)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise InvalidInput("This unsubscribe link is not complete.",
                               next_step="Open the link from the e-mail again, or reply to the e-mail.") from None
        if not hmac.compare_digest(given, self._tag(address)):
            raise InvalidInput("This unsubscribe link is not valid.",
                               next_step="Open the link from the e-mail again, or reply to the e-mail.")
        return address


def _file_key(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text + "\n")
        log.info("unsubscribe key created in %s", path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The unsubscribe key {path} cannot be read ({exc}).") from exc
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"The unsubscribe key {path} can be read by others.",
                          next_step=f"Run: chmod 600 {path}")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise ConfigError(f"The unsubscribe key in {path} is not hex digits.") from None


def _masked(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def record_opt_out(session: Session, station_id: str, address: str, via: str,
                   at: dt.datetime | None = None) -> bool:
    """Record (and audit) that ``address`` wants no more notices; False if it had already."""
    address = normalise(address)
    if session.get(EmailOptOut, address) is not None:
        return False
    now = at or utcnow()
    session.add(EmailOptOut(address=address, opted_out_at=now, via=via))
    # The audit chain cannot be edited later, so it keeps a masked address and a hash.
    audit.append(session, station_id=station_id, actor=None, action="email.opted_out",
                 entity_type="email_opt_out", entity_id=hashlib.sha256(address.encode()).hexdigest()[:16],
                 details={"address": _masked(address), "via": via}, at=now)
    log.info("notices: %s opted out (%s)", _masked(address), via)
    return True


def opted_out(conn: Connection, addresses: Iterable[str]) -> set[str]:
    """Which of ``addresses`` (any case) opted out, lower-cased."""
    wanted = {normalise(a) for a in addresses if a}
    if not wanted:
        return set()
    table = EmailOptOut.__table__
    return set(conn.scalars(select(table.c.address).where(func.lower(table.c.address).in_(wanted))))
