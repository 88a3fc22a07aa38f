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
- an IPv6 address that carries an IPv4 one is judged by the IPv4 rules as well: a NAT64
  gateway (64:ff9b::/96, 64:ff9b:1::/48), a 6to4 relay (2002::/16) or the stack itself
  (IPv4-compatible ::/96, IPv4-translated ::ffff:0:0:0/96) delivers to that IPv4 address, so
  ``64:ff9b::a9fe:a9fe`` is the metadata service as surely as ``169.254.169.254``. Loopback
  inside such an address is no exemption: it is the translator's, not this machine. An
  IPv4-mapped address (``::ffff:a.b.c.d``) is the IPv4 address itself to the operating
  system, and is judged (and connected to) as that.

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
    """The address to judge and connect to; an IPv4-mapped one (``::ffff:a.b.c.d``) is the IPv4
    address itself to the operating system, so it is that address here too."""
    address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


IPV4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")
"""RFC 2765's SIIT form (``::ffff:0:a.b.c.d``)."""
NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")
"""RFC 8215's prefix for a site's own NAT64, private to the site (Python 3.11 calls it
global). The site picks a /48 to /96 inside it, so the IPv4 address may sit at any of
RFC 6052's places for those lengths: every one is judged."""


def _rfc6052(address: ipaddress.IPv6Address, prefix_length: int) -> ipaddress.IPv4Address:
    """The IPv4 address RFC 6052 (2.2) places after a NAT64 prefix of ``prefix_length`` bits:
    the last 32 bits for /96; otherwise right after the prefix, skipping bits 64-71."""
    packed = address.packed
    if prefix_length == 96:
        return ipaddress.IPv4Address(packed[12:])
    payload = packed[:8] + packed[9:]
    start = prefix_length // 8
    return ipaddress.IPv4Address(payload[start:start + 4])


def embedded_ipv4(address: IpAddress) -> list[tuple[ipaddress.IPv4Address, str]]:
    """The IPv4 addresses ``address`` carries, each with the form that carries it."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    if int(address) >> 32 == 0 and int(address) > 1:  # ::a.b.c.d, not :: or ::1
        return [(ipaddress.IPv4Address(int(address)), "IPv4-compatible")]
    if address in IPV4_TRANSLATED:
        return [(_rfc6052(address, 96), "IPv4-translated")]
    if address in NAT64_WELL_KNOWN:
        return [(_rfc6052(address, 96), "NAT64")]
    if address in NAT64_LOCAL_USE:  # 0.0.0.0 is only the zeros of another length's layout
        found = ((_rfc6052(address, n), f"NAT64 /{n}") for n in (48, 56, 64, 96))
        return [(inner, form) for inner, form in found if int(inner)]
    if address.sixtofour is not None:  # 2002:aabb:ccdd::/48
        return [(address.sixtofour, "6to4")]
    return []


def refusal(address: IpAddress, host: str, allowed_private_host: str) -> str:
    """Why ``address`` (one of ``host``'s) may not be sent to, or "" if it may."""
    literal = _is_literal(host, address)
    what = f"{host} is" if literal else f"{host} resolves to"
    for inner, form in sorted(embedded_ipv4(address), key=lambda carried: _danger(carried[0])):
        reason = _refusal(inner, f"{inner} through {form}", what if literal else f"{what} {address}, that is",
                          host, allowed_private_host, loopback_ok=False)
        if reason:
            return reason
    return _refusal(address, str(address), what, host, allowed_private_host, loopback_ok=True)


def _refusal(address: IpAddress, shown: str, what: str, host: str, allowed_private_host: str, *,
             loopback_ok: bool) -> str:
    if address.is_loopback and loopback_ok:
        return ""
    if address.is_link_local:
        return f"{what} the link-local address {shown} (where cloud metadata services answer)"
    if address.is_multicast or address.is_unspecified:
        return f"{what} {shown}, which is not a single host"
    if not address.is_global or address in NAT64_LOCAL_USE:
        if allowed_private_host and host.lower() == allowed_private_host.lower():
            return ""
        return (f"{what} the private address {shown}; allow it by name with "
                f"--allow-private-host {host} if it really is your receiver")
    return ""


def _danger(address: IpAddress) -> int:
    """Which refusal to name first when an address may carry several (0: never allowed)."""
    if address.is_link_local:
        return 0
    return 1 if address.is_multicast or address.is_unspecified else 2


def _is_literal(host: str, address: IpAddress) -> bool:
    """``host`` is the address itself, written in any of its forms."""
    try:
        return _address(host) == address
    except ValueError:
        return False


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
