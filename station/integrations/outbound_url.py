"""Which URLs the station may send data to (webhooks): the rules and the address check.

A webhook URL is typed by an admin but the requests go out with the station's network
position, so a careless or hostile URL could reach what only the warehouse network can: a
router's admin page on 10.0.0.1, or the cloud metadata service on 169.254.169.254 that hands
out credentials. And a URL is echoed in listings and logs, so a password inside it leaks.
The rules:

- ``https`` only, except to loopback (a receiver on the same machine, and the tests');
- no user name or password in the URL: a receiver that wants a token gets it in a header
  whose value is read from an environment variable at delivery time, never stored;
- every address the host name resolves to must be public. Loopback is allowed. Private,
  shared (CGNAT), reserved and unspecified addresses are refused unless the admin allowed
  that host by name (``--allow-private-host hooks.internal``). Link-local addresses
  (169.254.0.0/16, fe80::/10) and multicast are refused always: cloud metadata services
  live there and no webhook receiver does.

The check runs when a consumer is added and again on every new connection at delivery, and
the connection goes to the very address that was checked (``pinned_address``), so a DNS
answer that changes after registration (DNS rebinding) cannot redirect a delivery.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from station.core.errors import InvalidInput

Resolver = Callable[[str, int], Sequence[str]]
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class OutboundRefused(InvalidInput):
    """A URL or address the station will not send to; the message says which rule."""

    code = "outbound_refused"


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the operating system's resolver)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OutboundRefused(f"The host {host!r} cannot be resolved ({exc.strerror or exc}).") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect and which host name to present (Host, TLS SNI)."""

    scheme: str
    host: str
    port: int
    path: str


def parse(url: str) -> tuple[Target, SplitResult]:
    """The URL's parts if it passes the rules that need no DNS (scheme, credentials, host)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise OutboundRefused(f"The webhook URL is not valid ({exc}).") from None
    if parts.scheme not in ("http", "https"):
        raise OutboundRefused(f"The webhook URL must start with https:// (not {parts.scheme or 'nothing'}://).")
    if parts.username is not None or parts.password is not None:
        raise OutboundRefused(
            "The webhook URL must not contain a user name or password: it would be stored and shown.",
            next_step="Give the receiver's token in a header instead: --auth-header Authorization "
                      "--auth-env VARIABLE (the value is read from that environment variable when sending).")
    if not parts.hostname:
        raise OutboundRefused("The webhook URL has no host.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default_port = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, parts.hostname, port or default_port, path), parts


def _address(text: str) -> IpAddress:
    address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def refusal(address: IpAddress, host: str, allowed_private_host: str) -> str:
    """Why ``address`` (one of ``host``'s) may not be sent to, or "" if it may."""
    if address.is_loopback:
        return ""
    what = f"{host} is" if host == str(address) else f"{host} resolves to"
    if address.is_link_local:
        return f"{what} the link-local address {address} (where cloud metadata services answer)"
    if address.is_multicast or address.is_unspecified:
        return f"{what} {address}, which is not a single host"
    if not address.is_global:
        if allowed_private_host and host.lower() == allowed_private_host.lower():
            return ""
        return (f"{what} the private address {address}; allow it by name with "
                f"--allow-private-host {host} if it really is your receiver")
    return ""


def check_addresses(target: Target, addresses: Sequence[str], allowed_private_host: str = "") -> str:
    """The first address of ``addresses`` that passes, after checking *all* of them."""
    if not addresses:
        raise OutboundRefused(f"The host {target.host!r} has no address.")
    checked = [_address(a) for a in addresses]
    for address in checked:
        reason = refusal(address, target.host, allowed_private_host)
        if reason:
            raise OutboundRefused(f"The webhook URL is refused: {reason}.")
    if target.scheme != "https" and not all(a.is_loopback for a in checked):
        raise OutboundRefused(
            f"The webhook URL must use https:// for {target.host}: plain http is only for a receiver on "
            "this machine (127.0.0.1, localhost).")
    return str(checked[0])


def check_url(url: str, allowed_private_host: str = "", resolver: Resolver = system_resolver) -> Target:
    """``url``'s target if every rule passes (resolving the host name); else ``OutboundRefused``."""
    target, _parts = parse(url)
    if allowed_private_host and allowed_private_host.lower() != target.host.lower():
        raise OutboundRefused(f"--allow-private-host {allowed_private_host} does not name this URL's host "
                              f"({target.host}).")
    check_addresses(target, resolver(target.host, target.port), allowed_private_host)
    return target


def pinned_address(target: Target, allowed_private_host: str = "",
                   resolver: Resolver = system_resolver) -> str:
    """Resolve again (at delivery) and return the checked address to connect to."""
    return check_addresses(target, resolver(target.host, target.port), allowed_private_host)


def redacted(url: str) -> str:
    """``url`` without any user name or password, for listings and logs of old consumers."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(invalid URL)"
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"***@{host}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()
